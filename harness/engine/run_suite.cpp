#include "engine/run_suite.hpp"

#include <fnmatch.h>

#include <csignal>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <fmt/format.h>

#include "engine/run_bounds.hpp"
#include "pod/guardian.hpp"

namespace firedrill::engine {
namespace asio = boost::asio;
using Clock = std::chrono::steady_clock;

std::vector<std::size_t> select_scenarios(const suite::Suite& suite, const std::string& filter) {
  std::vector<std::size_t> out;
  for (std::size_t i = 0; i < suite.scenarios.size(); ++i)
    if (filter.empty() || ::fnmatch(filter.c_str(), suite.scenarios[i].name.c_str(), 0) == 0) out.push_back(i);
  return out;
}

ScenarioResult planned_result(const suite::Suite& suite, std::size_t index, std::uint64_t seed) {
  ScenarioResult r;
  r.name = suite.scenarios[index].name;
  r.target = suite.target.app.command;
  r.seed = seed;
  r.picked_checks = suite.scenarios[index].checks;
  r.limits = suite.scenarios[index].limits;
  return r;
}

namespace {

// Where the running scenario is, for the sentence that says what a cut-short
// run was waiting for.
struct PhaseClock {
  std::string phase = "starting";
  Clock::time_point since = Clock::now();
  std::string describe() const {
    return fmt::format("phase '{}' for {:.1f}s", phase, std::chrono::duration<double>(Clock::now() - since).count());
  }
};

std::string internal_error(std::exception_ptr error) {
  try {
    std::rethrow_exception(error);
  } catch (const std::exception& e) {
    return std::string("internal error: ") + e.what();
  } catch (...) {
    return "internal error";
  }
}

}  // namespace

RunResult run_suite(const suite::Suite& suite, const std::vector<std::size_t>& selected, const RunOptions& options,
                    const ScenarioObserver& observer) {
  RunResult run;
  run.suite_name = suite.name;
  run.suite_path = suite.path;
  run.seed = options.seed;
  PhaseClock where;
  RunOptions opts = options;
  opts.on_phase = [&](const std::string& scenario, const std::string& phase) {
    where = {phase, Clock::now()};
    if (options.on_phase) options.on_phase(scenario, phase);
  };
  auto tell = [](const auto& hook, std::size_t k, const ScenarioResult& r) {
    if (hook) hook(k, r);
  };
  for (std::size_t k = 0; k < selected.size(); ++k) {
    const std::size_t index = selected[k];
    ScenarioResult result = planned_result(suite, index, options.seed);
    if (!run.cut_short.empty() || !options.not_run_because.empty()) {
      result.harness_error = "not run: " + (run.cut_short.empty() ? options.not_run_because : run.cut_short);
      tell(observer.recorded, k, result);
      tell(observer.done, k, result);
      run.scenarios.push_back(std::move(result));
      continue;
    }
    tell(observer.started, k, result);
    opts.on_recorded = [&](const ScenarioResult& r) { tell(observer.recorded, k, r); };
    where = {};
    const auto t0 = Clock::now();
    std::exception_ptr error;
    bool done = false;
    {
      // One loop per scenario: whatever a cut-short scenario left pending
      // dies with it, before its result is read.
      asio::io_context io;
      asio::co_spawn(io, run_scenario(suite, index, opts, result), [&](std::exception_ptr e) {
        error = e;
        done = true;
        // Do not wait for stragglers (e.g. a pipe a leftover process still
        // held): the scenario is over and its cleanup already ran.
        io.stop();
      });
      asio::signal_set interrupts(io);
      if (options.handle_interrupts) {
        interrupts.add(SIGINT);
        interrupts.add(SIGTERM);
        interrupts.async_wait([&](boost::system::error_code ec, int sig) {
          if (ec) return;
          run.cut_short = fmt::format("interrupted by {} in scenario '{}', {}",
                                      sig == SIGINT ? "SIGINT (Ctrl-C)" : "SIGTERM", result.name, where.describe());
          io.stop();
        });
      }
      asio::steady_timer deadline(io);
      if (options.deadline) {
        deadline.expires_at(*options.deadline);
        deadline.async_wait([&](boost::system::error_code ec) {
          if (ec) return;
          run.cut_short = fmt::format("the run did not finish within its deadline of {}; scenario '{}' was still in {}",
                                      options.deadline_origin, result.name, where.describe());
          io.stop();
        });
      }
      io.run();
      if (!done) {
        // Cut short: take the pod down now (the guardian would only act
        // once we exit), then let the loop's teardown free the rest.
        pod::kill_marked_processes(pod::Guardian::marker());
      }
    }
    if (!done || error) {
      // The scenario did not get to save itself: save what it recorded,
      // as a harness error (a bug of ours must not look like a verdict).
      result.seconds = std::chrono::duration<double>(Clock::now() - t0).count();
      result.results.clear();
      result.harness_error = !done ? run.cut_short : internal_error(error);
      tell(observer.recorded, k, result);
    }
    tell(observer.done, k, result);
    run.scenarios.push_back(std::move(result));
  }
  return run;
}

}  // namespace firedrill::engine
