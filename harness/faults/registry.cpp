#include "faults/registry.hpp"

#include <cmath>

#include <fmt/format.h>

namespace firedrill::faults {

Built make_latency(const FaultSpec&);
Built make_bandwidth(const FaultSpec&);
Built make_reset(const FaultSpec&);
Built make_blackhole(const FaultSpec&);
Built make_refuse(const FaultSpec&);
Built make_slow_close(const FaultSpec&);
Built make_cut(const FaultSpec&);
Built make_slicer(const FaultSpec&);
Built make_http_status(const FaultSpec&);
Built make_http_delay(const FaultSpec&);
Built make_fail_first(const FaultSpec&);
Built make_stall(const FaultSpec&);

namespace {
constexpr Registration table[] = {
    {"latency", false, make_latency},       {"bandwidth", false, make_bandwidth},
    {"reset", false, make_reset},           {"blackhole", false, make_blackhole},
    {"refuse", false, make_refuse},         {"slow-close", false, make_slow_close},
    {"cut", false, make_cut},               {"slicer", false, make_slicer},
    {"http-status", true, make_http_status}, {"http-delay", true, make_http_delay},
    {"fail-first", true, make_fail_first},  {"stall", false, make_stall},
};
}  // namespace

std::span<const Registration> registrations() { return table; }

const Registration* find_registration(std::string_view name) {
  for (const auto& r : table)
    if (r.name == name) return &r;
  return nullptr;
}

Built build(const FaultSpec& spec) {
  const Registration* r = find_registration(spec.type);
  if (!r) {
    std::string valid;
    for (auto n : fault_names()) valid += (valid.empty() ? "" : ", ") + std::string(n);
    return {nullptr, fmt::format("unknown fault '{}', valid: {}", spec.type, valid)};
  }
  if (!std::isfinite(spec.probability) || spec.probability < 0 || spec.probability > 1)
    return {nullptr, fmt::format("{}: probability expected a number from 0 to 1, got {}", spec.type, spec.probability)};
  if (r->http && spec.direction == Direction::downstream)
    return {nullptr, fmt::format("{}: acts on requests, so direction must be upstream or both, got downstream",
                                 spec.type)};
  return r->make(spec);
}

std::optional<std::string> validate(const FaultSpec& spec) {
  Built b = build(spec);
  if (b.fault) return std::nullopt;
  return b.error;
}

std::vector<std::string_view> fault_names() {
  std::vector<std::string_view> names;
  for (const auto& r : table) names.push_back(r.name);
  return names;
}

std::string_view to_string(Direction d) {
  switch (d) {
    case Direction::upstream: return "upstream";
    case Direction::downstream: return "downstream";
    case Direction::both: return "both";
  }
  return "both";
}

std::optional<Direction> parse_direction(std::string_view text) {
  if (text == "upstream" || text == "up") return Direction::upstream;
  if (text == "downstream" || text == "down") return Direction::downstream;
  if (text == "both") return Direction::both;
  return std::nullopt;
}

}  // namespace firedrill::faults
