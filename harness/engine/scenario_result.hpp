// What one scenario produced: its history, the verdict of each check the
// suite picked, the app's output tail, and whether the harness itself failed
// to run it (exit code 3). Everything the reports need, nothing they compute.
#pragma once
#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "checks/check.hpp"
#include "history/history.hpp"

namespace firedrill::engine {

// What the open model did in one phase of its schedule (SPEC §3).
struct LoadPhaseFigures {
  double from_rate = 0, to_rate = 0;  // as the suite set them (equal: a constant rate)
  std::int64_t start_us = 0;          // scenario time
  std::int64_t duration_us = 0;
  std::size_t scheduled = 0;          // orders due in the phase
  std::size_t launched = 0;           // orders the generator sent off in it
  double achieved_rate() const {
    return duration_us > 0 ? static_cast<double>(launched) * 1e6 / static_cast<double>(duration_us) : 0;
  }
};

struct ScenarioResult {
  std::string name;
  std::string target;  // the app's command as run
  std::uint64_t seed = 0;
  std::chrono::system_clock::time_point started;
  double seconds = 0;
  history::History history;
  std::vector<std::string> picked_checks;  // what the suite asked for, in order
  checks::Limits limits;                   // as run, so a saved run re-checks alone
  // What the probes observed at the end: the checks' input beside the history.
  checks::Readback readback;
  checks::CourierLedger courier;
  checks::TelemetryLedger telemetry;
  checks::PaymentLedger payments;
  std::vector<checks::CheckResult> results;
  std::string app_output;     // tail of everything the app printed
  std::size_t app_output_dropped = 0;
  std::string sidecar_output; // tails of the sidecars, labelled
  std::optional<std::string> harness_error;  // set: the harness could not run it
  // A merge found no run folder holding it (harness_error says which shard):
  // an error in the reports, exit 1 rather than 3, as no harness failed.
  bool missing = false;
  double achieved_rate = 0;   // orders per second actually sent
  std::vector<LoadPhaseFigures> load_phases;
};

struct RunResult {
  std::string suite_name;
  std::string suite_path;
  std::uint64_t seed = 0;
  std::vector<ScenarioResult> scenarios;
  // Why the run ended before its last scenario did (Ctrl-C, SIGTERM, the
  // run's deadline); empty when it ran to the end.
  std::string cut_short;
};

// Whether the reports give `check` a verdict for this scenario: the suite
// picked it, or the scenario could not run and nobody knows its picks (a
// merge that lacks its shard and its suite), when every check is an error
// rather than a row of skips.
bool reports_check(const ScenarioResult& s, std::string_view check);

// Runs the picked checks on what the scenario observed (also on a run
// loaded from its folder: nothing is re-run).
std::vector<checks::CheckResult> evaluate_checks(const ScenarioResult& s);

// SPEC §5: 0 all checks passed, 1 a check failed or was unknown (or a merge
// lacks the scenario), 3 the harness could not run a scenario. A run with no
// evaluated check fails.
int exit_code_of(const RunResult& run);

}  // namespace firedrill::engine
