// The run folder (SPEC §5): everything a run observed, written as the run
// goes, so `firedrill check` can re-evaluate the checks and `firedrill
// report` can render any report again without running anything, also after
// the harness was killed mid-suite.
//
//   RUN_DIR/run.json                      seed, shard, the whole run's plan, this folder's suites and scenarios
//   RUN_DIR/<i>-<suite>/suite.yaml        the suite as run
//   RUN_DIR/<i>-<suite>/<nn>-<scenario>/  scenario.json (meta, state, limits, results),
//       history.jsonl, events.jsonl, observations.json, app-output.log, sidecars-output.log
//
// Crash safety: run.json, the suites and every scenario's scenario.json
// ("pending") are written before the first scenario starts; a scenario's
// scenario.json says "running" from its start;
// its history, events, observations and output are written as soon as it
// ends and before its checks run ("recorded"); its verdicts last
// ("checked"). Every file is written to a temporary beside it, fsynced and
// renamed over, so a reader finds the old file or the new one, never a
// torn one. A scenario still "running" in a folder whose harness is gone
// was interrupted: it loads as a harness error (exit 3), and one never
// started loads as "not run".
#pragma once
#include <filesystem>
#include <stdexcept>
#include <string>
#include <vector>

#include "engine/scenario_result.hpp"
#include "engine/shard.hpp"

namespace firedrill::engine {

struct RunFolderError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// What a run will do, known before it starts.
struct PlannedSuite {
  std::string name, path;
  std::string text;                    // the suite file as it was read
  std::vector<ScenarioResult> scenarios;  // the selected scenarios before they run (planned_result), in run order
};

// What the whole run is to run, over all its shards: every suite given and
// the scenarios --filter selected, in order. `firedrill merge` reads it to
// tell a missing shard or scenario from one that was never planned.
struct RunPlan {
  struct Suite {
    std::string name, path;
    std::vector<std::string> scenarios;
  };
  std::vector<Suite> suites;
  Shard shard;  // the share this folder ran
  std::size_t scenario_count() const;
};

class RunFolderWriter {
 public:
  // Creates `dir` with run.json, every suite.yaml and every scenario of
  // `suites` (this shard's) as pending. An empty plan: `suites` is the
  // whole run. Throws RunFolderError.
  RunFolderWriter(std::filesystem::path dir, std::vector<PlannedSuite> suites, std::uint64_t seed,
                  RunPlan plan = {});
  const std::filesystem::path& dir() const { return dir_; }

  // Scenario k of suite i (both 0-based, in plan order). Each throws
  // RunFolderError naming the file it could not write.
  void started(std::size_t suite, std::size_t k, const ScenarioResult& s);   // marks it running
  void recorded(std::size_t suite, std::size_t k, const ScenarioResult& s);  // history, observations, output
  void checked(std::size_t suite, std::size_t k, const ScenarioResult& s);   // its verdicts

 private:
  std::filesystem::path scenario_dir(std::size_t suite, std::size_t k) const;

  std::filesystem::path dir_;
  std::vector<PlannedSuite> suites_;
};

// Reads a folder back. Recorded scenarios come with their checks evaluated,
// interrupted and never-started ones as harness errors that say so.
// Throws RunFolderError naming the file.
struct SavedRun {
  std::uint64_t seed = 0;
  RunPlan plan;  // folders written before shards existed: their own scenarios, shard 1/1
  std::vector<RunResult> runs;
  std::vector<std::string> suite_texts;  // each run's suite.yaml as it was run
};
SavedRun load_saved_run(const std::filesystem::path& dir);
std::vector<RunResult> load_run(const std::filesystem::path& dir);

// A fresh folder name under `root`: <root>/<suite>-<UTC time>-seed<seed>,
// with -shard<i>of<n> for a shard.
std::filesystem::path new_run_dir(const std::filesystem::path& root, const std::string& suite, std::uint64_t seed,
                                  const Shard& shard = {});

}  // namespace firedrill::engine
