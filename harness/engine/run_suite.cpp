#include "engine/run_suite.hpp"

#include <fnmatch.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>

namespace firedrill::engine {
namespace asio = boost::asio;

std::vector<std::size_t> select_scenarios(const suite::Suite& suite, const std::string& filter) {
  std::vector<std::size_t> out;
  for (std::size_t i = 0; i < suite.scenarios.size(); ++i)
    if (filter.empty() || ::fnmatch(filter.c_str(), suite.scenarios[i].name.c_str(), 0) == 0) out.push_back(i);
  return out;
}

RunResult run_suite(const suite::Suite& suite, const std::vector<std::size_t>& selected, const RunOptions& options,
                    const std::function<void(const ScenarioResult&)>& on_scenario_done) {
  RunResult run;
  run.suite_name = suite.name;
  run.suite_path = suite.path;
  run.seed = options.seed;
  asio::io_context io;
  for (std::size_t index : selected) {
    std::exception_ptr error;
    ScenarioResult result;
    asio::co_spawn(io, run_scenario(suite, index, options), [&](std::exception_ptr e, ScenarioResult r) {
      error = e;
      result = std::move(r);
      // Do not wait for stragglers (e.g. a pipe a leftover process still
      // held): the scenario is over and its cleanup already ran.
      io.stop();
    });
    io.run();
    io.restart();
    if (error) {
      // A bug of ours must not look like a verdict: report it as a harness error.
      result.name = suite.scenarios[index].name;
      result.target = suite.target.app.command;
      result.seed = options.seed;
      result.picked_checks = suite.scenarios[index].checks;
      try {
        std::rethrow_exception(error);
      } catch (const std::exception& e) {
        result.harness_error = std::string("internal error: ") + e.what();
      } catch (...) {
        result.harness_error = "internal error";
      }
    }
    if (on_scenario_done) on_scenario_done(result);
    run.scenarios.push_back(std::move(result));
  }
  return run;
}

}  // namespace firedrill::engine
