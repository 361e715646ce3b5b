// `firedrill merge` (SPEC §5): joins run folders — the shards of one run, or
// separate runs — into one set of results, as a single run of all of them
// would have produced, and says what is missing.
//
// Folders whose plans (suites, scenarios after --filter, shard count) are
// equal are shards of one run. For each such run, every shard 1..n must be
// there: a scenario of a missing shard, or a planned scenario no folder
// holds, becomes an error result that names its shard ("missing"), and a
// missing shard that had no scenario still appears as one, so a cancelled
// CI job never makes a green report. The same scenario in two folders, or
// the same shard twice, is refused: the merge cannot tell which to believe.
#pragma once
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "engine/run_folder.hpp"

namespace firedrill::engine {

struct FolderToMerge {
  std::filesystem::path dir;
  SavedRun saved;
};

struct MergedRuns {
  std::vector<RunResult> runs;        // per suite, in the order the folders first name them
  std::vector<std::string> missing;   // one line per missing shard or scenario
  std::optional<std::string> refusal; // set: the folders overlap (exit 2); nothing else is set
  std::size_t shards = 0;             // folders merged
};

MergedRuns merge_runs(const std::vector<FolderToMerge>& folders);

}  // namespace firedrill::engine
