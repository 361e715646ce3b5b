// The Markdown job summary (SPEC §5): what `run` and `merge` append to
// $GITHUB_STEP_SUMMARY so a CI job's page shows the verdicts without
// opening an artifact. A table of scenario × check, each failing, unknown
// or erroring cell with its message and first evidence line; nothing links
// anywhere (everything a target or a suite wrote sits in a code span, where
// GitHub makes no autolink and no markup); at most `limit` bytes, cut at a
// row with a note saying how many rows were left out.
#pragma once
#include <cstddef>
#include <string>
#include <vector>

#include "engine/scenario_result.hpp"

namespace firedrill::reports {

struct JobSummaryContext {
  std::string command;             // "firedrill run", "firedrill merge"
  std::string scope;               // "shard 2/3", "3 run folders"; may be empty
  std::vector<std::string> notes;  // shown above the table: missing shards, a run cut short
  int exit_code = 0;
};

// GitHub's limit for one step's summary.
constexpr std::size_t job_summary_limit = 1024 * 1024;

std::string render_job_summary(const std::vector<engine::RunResult>& runs, const JobSummaryContext& context,
                               std::size_t limit = job_summary_limit);

}  // namespace firedrill::reports
