// A realistic run for the HTML report tests, built by hand: sigterm-mid-rush
// (start, ready, 200 orders/s, a payment fault window, SIGTERM, readiness
// flip, an app that hangs until the grace deadline's SIGKILL, restart, the
// final drain; three failing checks with evidence; hostile app output) and
// sigterm-idle (a clean drain, every check passing, nothing printed).
#pragma once
#include "engine/scenario_result.hpp"

namespace firedrill::testing {

inline constexpr std::int64_t ms = 1000;

// One order sent at `sent` µs that took `took` µs to reach its outcome.
history::Operation order(int n, std::int64_t sent, history::Outcome outcome, history::Reason reason, int status,
                         std::int64_t took);

engine::ScenarioResult mid_rush_story();
engine::RunResult report_story();  // both scenarios, mid-rush first

}  // namespace firedrill::testing
