// firedrill check / report: work on a saved run folder, never run anything.
// check re-evaluates the checks from the saved history and observations;
// report renders the saved results again.
#include <cstdio>

#include "cli/commands.hpp"
#include "reports/console_report.hpp"

namespace firedrill::cli {
namespace {

std::optional<std::vector<engine::RunResult>> load(const std::string& dir) {
  try {
    return engine::load_run(dir);
  } catch (const engine::RunFolderError& e) {
    std::fprintf(stderr, "firedrill: %s\n", e.what());
    return std::nullopt;
  }
}

int finish(const std::vector<engine::RunResult>& runs, const SavedRunArgs& args) {
  auto style = reports::ConsoleStyle::for_stream(stdout);
  style.verbose = args.verbose;
  for (const auto& run : runs)
    for (const auto& s : run.scenarios) std::fputs(reports::render_scenario_summary(s, style).c_str(), stdout);
  std::fputs(reports::render_totals(runs, style).c_str(), stdout);
  if (!write_reports(runs, args.reports)) return 3;
  int code = 0;
  for (const auto& r : runs) code = std::max(code, engine::exit_code_of(r));
  return code;
}

}  // namespace

int check_command(const SavedRunArgs& args) {
  auto runs = load(args.run_dir);
  if (!runs) return 2;
  for (auto& run : *runs)
    for (auto& s : run.scenarios)
      if (!s.harness_error) s.results = engine::evaluate_checks(s);
  return finish(*runs, args);
}

int report_command(const SavedRunArgs& args) {
  auto runs = load(args.run_dir);
  if (!runs) return 2;
  return finish(*runs, args);
}

}  // namespace firedrill::cli
