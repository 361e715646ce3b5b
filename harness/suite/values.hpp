// Parsers for the scalar notations of a suite: durations ("150ms", "2s",
// "1.5m"), rates ("200/s") and signal names ("SIGTERM", "TERM", "15").
// Each returns nullopt on bad input; the caller names the location.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace firedrill::suite {

std::optional<std::int64_t> parse_duration_us(std::string_view text);
std::optional<double> parse_rate(std::string_view text, bool zero_allowed = false);
std::optional<int> parse_signal(std::string_view text);

// The valid choices, for error messages.
inline constexpr std::string_view signal_choices = "SIGTERM, SIGKILL, SIGINT, SIGSTOP, SIGCONT, SIGHUP, SIGQUIT, SIGUSR1, SIGUSR2";

// The closest of `choices` to `word` (edit distance), or "" if none is close.
std::string nearest(std::string_view word, const std::vector<std::string_view>& choices);

}  // namespace firedrill::suite
