// Runs the selected scenarios of a suite one after another on one event
// loop (one pod at a time per machine, SPEC §6) and collects their results.
#pragma once
#include <functional>
#include <string>

#include "engine/scenario_result.hpp"
#include "engine/scenario.hpp"
#include "suite/suite.hpp"

namespace firedrill::engine {

// Scenario names matching `filter` (a shell glob; "" matches all).
std::vector<std::size_t> select_scenarios(const suite::Suite& suite, const std::string& filter);

// A scenario before it runs: its name, target, seed, checks and limits.
ScenarioResult planned_result(const suite::Suite& suite, std::size_t index, std::uint64_t seed);

// What the caller hears of the k-th selected scenario (0-based), in this
// order: it starts (nothing recorded yet), it is recorded (its pod is down,
// its checks not yet run: the moment to save it), it is done (checked).
// A scenario the run never got to is recorded and done at once.
struct ScenarioObserver {
  std::function<void(std::size_t k, const ScenarioResult&)> started, recorded, done;
};

RunResult run_suite(const suite::Suite& suite, const std::vector<std::size_t>& selected, const RunOptions& options,
                    const ScenarioObserver& observer);

}  // namespace firedrill::engine
