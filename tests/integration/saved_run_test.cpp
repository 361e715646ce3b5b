// SPEC §5: every run is saved; `firedrill check` re-evaluates the checks
// from the saved run alone and `firedrill report` renders it again; the
// JSON report follows its documented schema.
#include <gtest/gtest.h>

#include <filesystem>
#include <sstream>

#include "support/paths.hpp"
#include "support/run_firedrill.hpp"

namespace firedrill::testing {
namespace {
namespace fs = std::filesystem;

fs::path only_run_folder(const std::string& runs) {
  std::vector<fs::path> found;
  for (const auto& e : fs::directory_iterator(runs)) found.push_back(e.path());
  EXPECT_EQ(found.size(), 1u);
  return found.empty() ? fs::path() : found[0];
}

TEST(SavedRun, CheckAndReportWorkFromTheFolderAlone) {
  const auto dir = scratch_dir("saved-run");
  const std::string runs = dir + "/runs";
  // A failing run (the phantom flaw), so verdicts differ between checks.
  auto r = run_command({bin_path("firedrill"), "run", source_path("suites/graceful-shutdown.yaml"), "--filter",
                        "sigterm-mid-rush", "--target", bin_path("order-service") + " --flaw phantom", "--seed", "5",
                        "--runs-dir", runs, "--json", dir + "/run.json", "--junit", dir + "/run.xml"});
  ASSERT_EQ(r.exit_code, 1) << r.output;
  const fs::path folder = only_run_folder(runs);
  for (const char* f : {"run.json", "01-graceful-shutdown/suite.yaml",
                        "01-graceful-shutdown/01-sigterm-mid-rush/history.jsonl",
                        "01-graceful-shutdown/01-sigterm-mid-rush/events.jsonl",
                        "01-graceful-shutdown/01-sigterm-mid-rush/observations.json",
                        "01-graceful-shutdown/01-sigterm-mid-rush/scenario.json",
                        "01-graceful-shutdown/01-sigterm-mid-rush/app-output.log"})
    EXPECT_TRUE(fs::exists(folder / f)) << f;

  // Re-check: same verdicts, same exit code, nothing started.
  auto check = run_command({bin_path("firedrill"), "check", folder.string(), "--junit", dir + "/check.xml", "--json",
                            dir + "/check.json", "--junit-dir", dir + "/check-junit"},
                           60);
  EXPECT_EQ(check.exit_code, 1) << check.output;
  EXPECT_EQ(verdicts_from_junit(read_file(dir + "/check.xml")), verdicts_from_junit(read_file(dir + "/run.xml")));
  EXPECT_EQ(verdicts_from_junit_dir(dir + "/check-junit"), verdicts_from_junit(read_file(dir + "/run.xml")))
      << "check --junit-dir: one Surefire-style file per scenario, the same verdicts";
  EXPECT_EQ(verdicts_from_junit(read_file(dir + "/check.xml"))["sigterm-mid-rush/refused-orders-absent"], "fail");

  // Report: the saved results rendered again, identical JUnit verdicts.
  auto report = run_command({bin_path("firedrill"), "report", folder.string(), "--junit", dir + "/report.xml"}, 60);
  EXPECT_EQ(report.exit_code, 1) << report.output;
  EXPECT_EQ(verdicts_from_junit(read_file(dir + "/report.xml")), verdicts_from_junit(read_file(dir + "/run.xml")));

  for (const auto& json : {dir + "/run.json", dir + "/check.json"}) {
    auto problems = json_schema_errors(json);
    if (problems.find("No module named 'jsonschema'") != std::string::npos)
      GTEST_SKIP() << "python3-jsonschema is not installed (.ci/install-deps installs it)";
    EXPECT_EQ(problems, "") << json;
  }
  const auto doc = read_file(dir + "/run.json");
  EXPECT_NE(doc.find("\"seed\":5"), std::string::npos);
  EXPECT_NE(doc.find("\"from\":\"intended send\""), std::string::npos);
}

// The same --seed replays the same orders: ids and intended send offsets
// (relative to the first order) are identical; another seed changes the ids.
TEST(SavedRun, TheSameSeedReplaysTheSameOrders) {
  auto orders_of = [](const std::string& dir, const std::string& seed) {
    auto r = run_command({bin_path("firedrill"), "run", source_path("tests/suites/cold-start.yaml"), "--target",
                          bin_path("order-service"), "--seed", seed, "--runs-dir", dir, "--quiet"},
                         120);
    EXPECT_EQ(r.exit_code, 0) << r.output;
    const auto folder = only_run_folder(dir);
    std::istringstream lines(read_file((folder / "01-cold-start/01-cold-start/history.jsonl").string()));
    std::vector<std::string> out;
    std::int64_t first = -1;
    for (std::string line; std::getline(lines, line);) {
      auto id = line.substr(line.find("\"id\":\"") + 6);
      id = id.substr(0, id.find('"'));
      auto at = std::stoll(line.substr(line.find("\"intended_us\":") + 14));
      if (first < 0) first = at;
      out.push_back(id + "@" + std::to_string(at - first));
    }
    return out;
  };
  const auto base = scratch_dir("determinism");
  auto a = orders_of(base + "/a", "9"), b = orders_of(base + "/b", "9"), c = orders_of(base + "/c", "10");
  ASSERT_FALSE(a.empty());
  EXPECT_EQ(a, b);
  ASSERT_EQ(a.size(), c.size());
  EXPECT_NE(a[0].substr(0, a[0].find('@')), c[0].substr(0, c[0].find('@')));
}

TEST(SavedRun, ADamagedFolderIsAClearErrorNotACrash) {
  const auto dir = scratch_dir("damaged-run");
  auto r = run_command({bin_path("firedrill"), "check", dir}, 30);
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.output.find("run.json"), std::string::npos) << r.output;
}

}  // namespace
}  // namespace firedrill::testing
