// The run folder (SPEC §5): everything a run observed, saved before its
// results are reported, so `firedrill check` can re-evaluate the checks and
// `firedrill report` can render any report again without running anything.
//
//   RUN_DIR/run.json                      seed, suites, scenario folders
//   RUN_DIR/<i>-<suite>/suite.yaml        the suite as run
//   RUN_DIR/<i>-<suite>/<nn>-<scenario>/  scenario.json (meta, limits, results),
//       history.jsonl, events.jsonl, observations.json, app-output.log
#pragma once
#include <filesystem>
#include <stdexcept>
#include <string>
#include <vector>

#include "engine/scenario_result.hpp"

namespace firedrill::engine {

struct RunFolderError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

struct SavedSuite {
  RunResult run;
  std::string suite_text;  // the suite file as it was read
};

// Writes (or rewrites) the whole folder. Throws RunFolderError.
void save_run(const std::filesystem::path& dir, const std::vector<SavedSuite>& suites);
// Reads it back; results as saved. Throws RunFolderError naming the file.
std::vector<RunResult> load_run(const std::filesystem::path& dir);

// A fresh folder name under `root`: <root>/<suite>-<UTC time>-seed<seed>.
std::filesystem::path new_run_dir(const std::filesystem::path& root, const std::string& suite, std::uint64_t seed);

}  // namespace firedrill::engine
