// firedrill check / report / merge: work on saved run folders, never run
// anything. check re-evaluates the checks from the saved history and
// observations; report renders the saved results again; merge joins folders
// (shards, or separate runs) into one report set (engine/merge_runs.hpp).
#include <cstdio>

#include <fmt/format.h>

#include "cli/commands.hpp"
#include "engine/merge_runs.hpp"
#include "reports/console_report.hpp"

namespace firedrill::cli {
namespace {

int exit_code_of(const std::vector<engine::RunResult>& runs) {
  int code = 0;
  for (const auto& r : runs) code = std::max(code, engine::exit_code_of(r));
  return code;
}

std::optional<std::vector<engine::RunResult>> load(const std::string& dir) {
  try {
    return engine::load_run(dir);
  } catch (const engine::RunFolderError& e) {
    std::fprintf(stderr, "firedrill: %s\n", e.what());
    return std::nullopt;
  }
}

int finish(const std::vector<engine::RunResult>& runs, const ReportPaths& paths, bool verbose) {
  auto style = reports::ConsoleStyle::for_stream(stdout);
  style.verbose = verbose;
  for (const auto& run : runs)
    for (const auto& s : run.scenarios) std::fputs(reports::render_scenario_summary(s, style).c_str(), stdout);
  std::fputs(reports::render_totals(runs, style).c_str(), stdout);
  if (!write_reports(runs, paths)) return 3;
  return exit_code_of(runs);
}

}  // namespace

int check_command(const SavedRunArgs& args) {
  auto runs = load(args.run_dir);
  if (!runs) return 2;
  for (auto& run : *runs)
    for (auto& s : run.scenarios)
      if (!s.harness_error) s.results = engine::evaluate_checks(s);
  return finish(*runs, args.reports, args.verbose);
}

int report_command(const SavedRunArgs& args) {
  auto runs = load(args.run_dir);
  if (!runs) return 2;
  return finish(*runs, args.reports, args.verbose);
}

int merge_command(const MergeArgs& args) {
  std::vector<engine::FolderToMerge> folders;
  for (const auto& dir : args.run_dirs) {
    try {
      folders.push_back({dir, engine::load_saved_run(dir)});
    } catch (const engine::RunFolderError& e) {
      std::fprintf(stderr, "firedrill: merge: %s\n", e.what());
      return 2;
    }
  }
  auto merged = engine::merge_runs(folders);
  if (merged.refusal) {
    std::fprintf(stderr, "firedrill: merge: %s\n", merged.refusal->c_str());
    return 2;
  }
  int code = finish(merged.runs, args.reports, args.verbose);
  std::fflush(stdout);  // the summary first, then what is missing, in that order in a CI log
  for (const auto& line : merged.missing) std::fprintf(stderr, "firedrill: merge: %s\n", line.c_str());
  if (!merged.missing.empty())
    std::fprintf(stderr, "firedrill: merge: %zu shard(s) or scenario(s) missing: the merged report is not complete\n",
                 merged.missing.size());
  const std::string scope = fmt::format("{} run folder{}", merged.shards, merged.shards == 1 ? "" : "s");
  append_job_summary(merged.runs, {"firedrill merge", scope, merged.missing, exit_code_of(merged.runs)});
  return code;
}

}  // namespace firedrill::cli
