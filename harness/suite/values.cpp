#include "suite/values.hpp"

#include <algorithm>
#include <charconv>
#include <csignal>
#include <cmath>
#include <utility>
#include <vector>

namespace firedrill::suite {
namespace {

std::optional<double> parse_number(std::string_view s) {
  if (s.empty()) return std::nullopt;
  double v = 0;
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc{} || end != s.data() + s.size() || !std::isfinite(v) || v < 0) return std::nullopt;
  return v;
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && s.front() == ' ') s.remove_prefix(1);
  while (!s.empty() && s.back() == ' ') s.remove_suffix(1);
  return s;
}

}  // namespace

std::optional<std::int64_t> parse_duration_us(std::string_view text) {
  text = trim(text);
  static const std::pair<std::string_view, double> units[] = {
      {"us", 1}, {"ms", 1e3}, {"s", 1e6}, {"m", 60e6}, {"h", 3600e6}};
  for (auto [suffix, scale] : units) {
    if (text.size() <= suffix.size() || !text.ends_with(suffix)) continue;
    auto number = text.substr(0, text.size() - suffix.size());
    // "ms" also ends with "s": only accept if the rest is a plain number.
    if (auto v = parse_number(number)) {
      double us = *v * scale;
      if (us > 1e15) return std::nullopt;
      return static_cast<std::int64_t>(std::llround(us));
    }
  }
  return std::nullopt;
}

std::optional<double> parse_rate(std::string_view text, bool zero_allowed) {
  text = trim(text);
  if (text.ends_with("/s")) text.remove_suffix(2);
  auto v = parse_number(trim(text));
  if (!v || *v < 0 || (*v == 0 && !zero_allowed) || *v > 10'000'000) return std::nullopt;
  return v;
}

std::optional<int> parse_signal(std::string_view text) {
  static const std::pair<std::string_view, int> names[] = {
      {"TERM", SIGTERM}, {"KILL", SIGKILL}, {"INT", SIGINT},   {"STOP", SIGSTOP}, {"CONT", SIGCONT},
      {"HUP", SIGHUP},   {"QUIT", SIGQUIT}, {"USR1", SIGUSR1}, {"USR2", SIGUSR2}};
  text = trim(text);
  if (text.starts_with("SIG")) text.remove_prefix(3);
  for (auto [n, v] : names)
    if (n == text) return v;
  return std::nullopt;
}

std::string nearest(std::string_view word, const std::vector<std::string_view>& choices) {
  auto distance = [](std::string_view a, std::string_view b) {
    std::vector<std::size_t> row(b.size() + 1);
    for (std::size_t j = 0; j <= b.size(); ++j) row[j] = j;
    for (std::size_t i = 1; i <= a.size(); ++i) {
      std::size_t diag = row[0];
      row[0] = i;
      for (std::size_t j = 1; j <= b.size(); ++j) {
        std::size_t up = row[j];
        row[j] = std::min({row[j] + 1, row[j - 1] + 1, diag + (a[i - 1] == b[j - 1] ? 0 : 1)});
        diag = up;
      }
    }
    return row[b.size()];
  };
  std::string best;
  std::size_t best_d = std::max<std::size_t>(2, word.size() / 3) + 1;
  for (auto c : choices) {
    std::size_t d = distance(word, c);
    if (d < best_d) { best_d = d; best = std::string(c); }
  }
  return best;
}

}  // namespace firedrill::suite
