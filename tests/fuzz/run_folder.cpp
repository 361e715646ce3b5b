// Fuzz target: reading a saved run folder (engine/run_folder: run.json,
// scenario.json, observations.json, history.jsonl, events.jsonl), as
// `firedrill check` and `firedrill report` do, then re-evaluating its checks
// and merging it (alone, and with itself: refused) as `firedrill merge` does.
// The input holds the five files in that order, separated by lines of "%%";
// they are written to a scratch folder (under TMPDIR) for every input. A bad
// folder is a RunFolderError naming the file, never a crash or another
// exception; a folder that loads can be checked.
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "engine/merge_runs.hpp"
#include "engine/run_folder.hpp"
#include "engine/scenario_result.hpp"
#include "fuzz_check.hpp"

namespace {
namespace fs = std::filesystem;
using namespace firedrill;

// run.json names the suite folder and the scenario folders; the seeds use
// these two, so the other three files are found.
constexpr const char* suite_dir = "01-s";
constexpr const char* scenario_dir = "01-c";
constexpr std::string_view separator = "\n%%\n";

const fs::path& scratch() {
  static const fs::path dir = [] {
    auto d = fs::temp_directory_path() / ("firedrill-fuzz-run-" + std::to_string(::getpid()));
    fs::create_directories(d / suite_dir / scenario_dir);
    return d;
  }();
  return dir;
}

void put(const fs::path& p, std::optional<std::string_view> text) {
  if (!text) {
    fs::remove(p);
    return;
  }
  std::ofstream(p, std::ios::binary | std::ios::trunc).write(text->data(), static_cast<std::streamsize>(text->size()));
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view rest = fuzz::text_of(data, size);
  std::optional<std::string_view> parts[5];
  for (auto& part : parts) {
    auto at = rest.find(separator);
    part = rest.substr(0, at);
    if (at == std::string_view::npos) break;
    rest.remove_prefix(at + separator.size());
  }
  const fs::path& dir = scratch();
  const fs::path scenario = dir / suite_dir / scenario_dir;
  put(dir / "run.json", parts[0]);
  put(scenario / "scenario.json", parts[1]);
  put(scenario / "observations.json", parts[2]);
  put(scenario / "history.jsonl", parts[3]);
  put(scenario / "events.jsonl", parts[4]);
  put(scenario / "app-output.log", "");
  put(scenario / "sidecars-output.log", "");

  engine::SavedRun saved;
  try {
    saved = engine::load_saved_run(dir);
  } catch (const engine::RunFolderError& e) {
    FUZZ_CHECK(std::string_view(e.what()).find(dir.string()) != std::string_view::npos);  // names the file
    return 0;
  }
  const auto alone = engine::merge_runs({{dir, saved}});
  FUZZ_CHECK(!alone.refusal);
  std::size_t held = 0, merged = 0;
  for (const auto& run : saved.runs) held += run.scenarios.size();
  for (const auto& run : alone.runs)
    for (const auto& s : run.scenarios) merged += s.missing ? 0 : 1;
  FUZZ_CHECK(merged == held);  // nothing a folder holds is dropped by a merge
  if (held > 0) FUZZ_CHECK(engine::merge_runs({{dir, saved}, {dir, saved}}).refusal.has_value());
  auto& runs = saved.runs;
  for (auto& run : runs) {
    for (auto& s : run.scenarios) s.results = engine::evaluate_checks(s);
    const int code = engine::exit_code_of(run);
    FUZZ_CHECK(code == 0 || code == 1 || code == 3);
  }
  return 0;
}
