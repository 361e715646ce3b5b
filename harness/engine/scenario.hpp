// Runs one scenario of a suite end to end (SPEC §3), in phases that read
// top to bottom in scenario.cpp: prepare, start and wait ready, drive (the
// open-model load and the timeline together), settle (restart on the same
// DATA_DIR if the app is down, read back), tear down, save, check.
#pragma once
#include <cstdint>
#include <filesystem>
#include <chrono>
#include <functional>
#include <optional>
#include <string>

#include <boost/asio/awaitable.hpp>

#include "engine/scenario_result.hpp"
#include "load/open_model.hpp"
#include "pod/port_lease.hpp"
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
  // When the whole run must have ended (SPEC §5 exit 3 past it), and how
  // that deadline came about, for the message.
  std::optional<std::chrono::steady_clock::time_point> deadline;
  std::string deadline_origin;
  // Take SIGINT and SIGTERM: end the scenario, keep what it recorded.
  bool handle_interrupts = true;
  // Set: run nothing, report every scenario as not run, for this reason
  // (an earlier suite of the run was cut short).
  std::string not_run_because;
  // Where the pod's ports come from (SPEC §1): outside the ephemeral range.
  pod::PortPolicy ports = pod::PortPolicy::from_system();
  // Called once the scenario has ended (the pod is down), before its checks
  // run: the run folder saves what was recorded then (SPEC §5), so a harness
  // killed while checking or later loses nothing of this scenario.
  std::function<void(const ScenarioResult&)> on_recorded;
};

// Fills `out` as it goes, so a run cut short (deadline, Ctrl-C) still has
// the history up to that moment.
boost::asio::awaitable<void> run_scenario(const suite::Suite& suite, std::size_t index, const RunOptions& options,
                                          ScenarioResult& out);

}  // namespace firedrill::engine
