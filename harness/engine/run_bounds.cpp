#include "engine/run_bounds.hpp"

#include <algorithm>

#include <fmt/format.h>

namespace firedrill::engine {

std::int64_t ready_wait_bound_us(const checks::Limits& l) {
  return std::max(2 * l.ready_within_us, l.ready_within_us + 5'000'000);
}

std::int64_t stop_bound_us(const checks::Limits& l) { return l.grace_us + 5'000'000; }

std::int64_t readback_bound_us(std::size_t ids) {
  // 16 parallel readers at ~1 ms per id normally; a wedged app costs at most
  // two rounds of request timeouts before the probe gives up on it.
  return 30'000'000 + static_cast<std::int64_t>(ids) * 5'000;
}

std::int64_t scenario_bound_us(const suite::ScenarioSpec& s) {
  const auto& l = s.limits;
  const auto orders = static_cast<std::size_t>(s.load.orders()) + 1;
  std::int64_t stops = 0;  // each stop or rollout may run its whole course
  for (const auto& step : s.timeline)
    if (step.action == suite::Action::stop || step.action == suite::Action::rollout)
      stops += stop_bound_us(l) + ready_wait_bound_us(l);
  // Scale-to-zero: at most one scale-down per to-zero-after of the load,
  // each a stop and a cold start.
  if (s.scaling) stops += (s.load.duration_us / s.scaling->to_zero_after_us + 1) * (stop_bound_us(l) + ready_wait_bound_us(l));
  return ready_wait_bound_us(l)                              // first start
         + s.load.duration_us + s.load.request_timeout_us    // load and its last answers
         + stops                                             // background stops and rollouts
         + stop_bound_us(l) + ready_wait_bound_us(l)         // settle: drain, restart
         + s.settle_us + settle_extension_bound_us           // settle until quiet
         + readback_bound_us(orders)                         // read-back
         + stop_bound_us(l) + 5'000'000                      // teardown, reap
         + 30'000'000;                                       // margin
}

std::int64_t run_deadline_us(const std::vector<const suite::ScenarioSpec*>& scenarios) {
  std::int64_t total = 0;
  for (const auto* s : scenarios) total += scenario_bound_us(*s);
  return total;
}

std::string describe_duration(std::int64_t us) {
  if (us < 1'000'000) return fmt::format("{}ms", us / 1000);
  const std::int64_t s = (us + 500'000) / 1'000'000;
  if (s < 60) return fmt::format("{}s", s);
  if (s % 60 == 0) return fmt::format("{}m", s / 60);
  return fmt::format("{}m{}s", s / 60, s % 60);
}

}  // namespace firedrill::engine
