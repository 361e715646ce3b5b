// The figures of a scenario that reports show beside the verdicts: counts
// by outcome, latency from the intended send time (no coordinated
// omission), drain and readiness-flip times per SIGTERM, exits, fault
// windows. Derived from the history alone, so a saved run gives the same.
#pragma once
#include <optional>
#include <string>
#include <vector>

#include "engine/scenario_result.hpp"

namespace firedrill::reports {

struct Counts {
  std::size_t total = 0, accepted = 0, refused = 0, indeterminate = 0, recovered = 0, retried = 0;
};

struct Latency {  // milliseconds, over operations that completed
  double p50 = 0, p90 = 0, p99 = 0, max = 0;
  std::size_t samples = 0;
};

struct Drain {
  double sigterm_at_s = 0;
  std::optional<double> drain_s;           // SIGTERM to exit, if it exited
  std::optional<double> readiness_flip_s;  // SIGTERM to first not-ready (or exit)
  bool sigkilled = false;
  std::optional<int> exit_code, exit_signal;
};

struct FaultWindow {
  std::string on, fault;
  double from_s = 0;
  std::optional<double> to_s;
};

struct Figures {
  Counts counts;
  Latency latency;
  std::vector<Drain> drains;
  std::vector<FaultWindow> faults;
  std::size_t starts = 0;
};

Figures figures_of(const engine::ScenarioResult& s);

// "200/s for 2.0s: 400 sent (200.0/s); idle for 10.0s: 0 sent (0.0/s); ..."
std::string describe_load_phases(const std::vector<engine::LoadPhaseFigures>& phases);

}  // namespace firedrill::reports
