// Runs the selected scenarios of a suite one after another on one event
// loop (one pod at a time per machine, SPEC §6) and collects their results.
#pragma once
#include <functional>
#include <string>

#include "engine/scenario_result.hpp"
#include "engine/scenario_runner.hpp"
#include "suite/suite.hpp"

namespace firedrill::engine {

// Scenario names matching `filter` (a shell glob; "" matches all).
std::vector<std::size_t> select_scenarios(const suite::Suite& suite, const std::string& filter);

RunResult run_suite(const suite::Suite& suite, const std::vector<std::size_t>& selected, const RunOptions& options,
                    const std::function<void(const ScenarioResult&)>& on_scenario_done);

}  // namespace firedrill::engine
