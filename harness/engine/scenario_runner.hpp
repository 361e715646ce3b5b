// Runs one scenario of a suite end to end — the timeline of SPEC §3:
// start the pod, wait until ready, drive open-model load, apply the
// timeline's signals, stops and rollouts, settle (restart on the same
// DATA_DIR if the app is down), read back, tear down, then run the checks.
#pragma once
#include <cstdint>
#include <filesystem>
#include <functional>
#include <string>

#include <boost/asio/awaitable.hpp>

#include "engine/scenario_result.hpp"
#include "load/open_model.hpp"
#include "suite/suite.hpp"

namespace firedrill::engine {

// A snapshot of a running scenario, for a live progress line.
struct Progress {
  std::string scenario;
  std::string phase;
  double elapsed_s = 0;
  load::LoadCounters orders;
};

struct RunOptions {
  std::uint64_t seed = 1;
  std::filesystem::path work_dir;  // per-scenario DATA_DIRs go below it
  // Called with a short line at each phase ("ready", "load", "SIGTERM app", ...).
  std::function<void(const std::string& scenario, const std::string& phase)> on_phase;
  // Called about four times a second while a scenario runs (on its thread).
  std::function<void(const Progress&)> on_progress;
};

boost::asio::awaitable<ScenarioResult> run_scenario(const suite::Suite& suite, std::size_t index,
                                                    const RunOptions& options);

}  // namespace firedrill::engine
