#include "faults/params.hpp"

#include <charconv>
#include <cmath>

#include <fmt/format.h>

#include "suite/values.hpp"

namespace firedrill::faults {

Params::Params(const FaultSpec& spec, std::initializer_list<std::string_view> known) : spec_(spec) {
  for (const auto& [key, value] : spec.params) {
    bool ok = false;
    for (auto k : known) ok = ok || k == key;
    if (ok) continue;
    std::string list;
    for (auto k : known) list += (list.empty() ? "" : ", ") + std::string(k);
    fail(fmt::format("{}: unknown parameter '{}', expected {}", spec.type, key,
                     list.empty() ? std::string("none") : "one of " + list));
    return;
  }
}

void Params::fail(std::string message) {
  if (!error_) error_ = std::move(message);
}

const std::string* Params::find(std::string_view name, bool required) {
  auto it = spec_.params.find(std::string(name));
  if (it != spec_.params.end()) return &it->second;
  if (required) fail(fmt::format("{}: missing parameter '{}'", spec_.type, name));
  return nullptr;
}

std::int64_t Params::duration_us(std::string_view name, std::int64_t fallback, bool required) {
  const std::string* text = find(name, required);
  if (!text) return fallback;
  auto us = suite::parse_duration_us(*text);
  if (!us) {
    fail(fmt::format("{}: '{}' expected a duration such as 200ms, got '{}'", spec_.type, name, *text));
    return fallback;
  }
  return *us;
}

std::int64_t Params::integer(std::string_view name, std::int64_t min, std::int64_t max, std::int64_t fallback,
                             bool required) {
  const std::string* text = find(name, required);
  if (!text) return fallback;
  std::int64_t v = 0;
  auto [end, ec] = std::from_chars(text->data(), text->data() + text->size(), v);
  if (ec != std::errc{} || end != text->data() + text->size() || v < min || v > max) {
    fail(fmt::format("{}: '{}' expected a whole number from {} to {}, got '{}'", spec_.type, name, min, max, *text));
    return fallback;
  }
  return v;
}

bool Params::flag(std::string_view name, bool fallback) {
  const std::string* text = find(name, false);
  if (!text) return fallback;
  if (*text == "true" || *text == "false") return *text == "true";
  fail(fmt::format("{}: '{}' expected true or false, got '{}'", spec_.type, name, *text));
  return fallback;
}

double Params::number(std::string_view name, double min, double max, double fallback, bool required) {
  const std::string* text = find(name, required);
  if (!text) return fallback;
  double v = 0;
  auto [end, ec] = std::from_chars(text->data(), text->data() + text->size(), v);
  if (ec != std::errc{} || end != text->data() + text->size() || !std::isfinite(v) || v < min || v > max) {
    fail(fmt::format("{}: '{}' expected a number from {} to {}, got '{}'", spec_.type, name, min, max, *text));
    return fallback;
  }
  return v;
}

}  // namespace firedrill::faults
