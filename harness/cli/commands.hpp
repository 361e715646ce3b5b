// The commands behind the CLI; each returns the process exit code (SPEC §5:
// 0 passed, 1 a check failed or was unknown, 2 invalid suite or command
// line, 3 the harness could not do its own job).
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "cli/target_overrides.hpp"
#include "engine/run_folder.hpp"
#include "reports/job_summary.hpp"
#include "suite/suite.hpp"

namespace firedrill::cli {

// Where reports go; any may be empty. junit_dir is a folder for one
// Surefire-style JUnit file per scenario.
struct ReportPaths {
  std::optional<std::string> junit, junit_dir, json, html;
};

struct RunArgs {
  std::vector<std::string> suites;
  TargetOverrides target;  // --target, --sidecar, --sidecar-kind
  ReportPaths reports;
  std::optional<std::uint64_t> seed;
  std::string filter;
  std::optional<std::string> work_dir;
  std::string runs_dir = "firedrill-runs";
  std::optional<std::string> deadline;  // a duration; default: from the suites' limits
  std::optional<std::string> ports;     // LO-HI: the band the pod's ports come from
  std::optional<std::string> shard;     // i/n: run the i-th of n shares of the scenarios
  bool verbose = false;
  bool quiet = false;
};

struct ListArgs {
  std::vector<std::string> suites;
  std::string filter;
  std::optional<std::string> shard;
};

struct SavedRunArgs {
  std::string run_dir;
  ReportPaths reports;
  bool verbose = false;
};

struct MergeArgs {
  std::vector<std::string> run_dirs;
  ReportPaths reports;
  bool verbose = false;
};

struct LoadArgs {
  std::string url;
  bool closed_loop = false;
  std::optional<double> rate;
  int connections = 32;
  int threads = 1;
  double duration_s = 10;
  std::optional<std::uint64_t> orders;
  double timeout_s = 5;
  std::uint64_t seed = 1;
  std::optional<std::string> history;
};

int run_command(const RunArgs& args);
int validate_command(const std::vector<std::string>& suites);
int list_command(const ListArgs& args);
int check_command(const SavedRunArgs& args);
int report_command(const SavedRunArgs& args);
int merge_command(const MergeArgs& args);
int load_command(const LoadArgs& args);

// Shared by the commands: every suite loaded and validated (faults and
// target commands included), or every error printed and nullopt (exit 2).
struct LoadedSuite {
  suite::Suite suite;
  std::string text;
};
std::optional<std::vector<LoadedSuite>> load_suites(const std::vector<std::string>& paths,
                                                    const TargetOverrides& overrides);
// What a run runs: --filter first, over every suite, then the shard's
// share of what it selected (engine/shard.hpp); `plan` is the whole run's,
// over all shards. false (with a message) on a bad --shard or a --filter
// that matches nothing in a suite.
bool pick_scenarios(const std::vector<LoadedSuite>& suites, const std::string& filter,
                      const std::optional<std::string>& shard, std::vector<std::vector<std::size_t>>& selections,
                      engine::RunPlan& plan);
// Writes the requested reports; false (with a message printed) if one failed.
bool write_reports(const std::vector<engine::RunResult>& runs, const ReportPaths& paths);
// Appends the Markdown job summary to $GITHUB_STEP_SUMMARY when it is set,
// within what the step has left of GitHub's 1 MiB. One that cannot be
// written is a warning: the verdicts are in the exit code and the reports.
void append_job_summary(const std::vector<engine::RunResult>& runs, const reports::JobSummaryContext& context);

}  // namespace firedrill::cli
