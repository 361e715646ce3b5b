// The run folder's states (engine/run_folder.hpp): a scenario saved before
// its checks ran is checked on load; one still "running" is an interrupted
// harness error; one never started is "not run"; no write leaves a
// temporary behind.
#include <gtest/gtest.h>

#include <filesystem>

#include "engine/run_folder.hpp"
#include "support/paths.hpp"

namespace firedrill::engine {
namespace {
namespace fs = std::filesystem;

ScenarioResult scenario(const std::string& name) {
  ScenarioResult s;
  s.name = name;
  s.target = "app";
  s.seed = 9;
  s.picked_checks = {"accepted-orders-durable"};
  history::Operation op;
  op.id = "ord-1";
  op.outcome = history::Outcome::ok;
  op.reason = history::Reason::accepted;
  op.set_intended_us(1000);
  op.set_completed_us(2000);
  s.history.operations.push_back(op);
  s.readback.ran = true;
  s.readback.by_id["ord-1"] = checks::Stored::no;  // lost: the check must fail
  s.load_phases.push_back({10, 10, 0, 1'000'000, 10, 9});
  return s;
}

TEST(RunFolder, EachStateLoadsAsTheRunWouldHaveEndedIt) {
  const fs::path dir = testing::scratch_dir("run-folder-states");
  {
    RunFolderWriter w(dir / "run", {PlannedSuite{"s", "s.yaml", "suite: s\n", {scenario("recorded"), scenario("running"), scenario("never")}}}, 9);
    w.started(0, 0, scenario("recorded"));
    w.recorded(0, 0, scenario("recorded"));  // and then the harness died before checking it
    w.started(0, 1, scenario("running"));
  }
  for (const auto& e : fs::recursive_directory_iterator(dir)) EXPECT_NE(e.path().extension(), ".tmp") << e.path();

  const auto runs = load_run(dir / "run");
  ASSERT_EQ(runs.size(), 1u);
  ASSERT_EQ(runs[0].scenarios.size(), 3u);
  const auto& recorded = runs[0].scenarios[0];
  ASSERT_EQ(recorded.results.size(), 1u) << "a recorded scenario is checked when it is loaded";
  EXPECT_EQ(recorded.results[0].verdict, checks::Verdict::fail);
  ASSERT_EQ(recorded.load_phases.size(), 1u);
  EXPECT_EQ(recorded.load_phases[0].launched, 9u);
  EXPECT_DOUBLE_EQ(recorded.load_phases[0].achieved_rate(), 9);

  const auto& running = runs[0].scenarios[1];
  ASSERT_TRUE(running.harness_error);
  EXPECT_NE(running.harness_error->find("interrupted"), std::string::npos) << *running.harness_error;
  EXPECT_TRUE(running.results.empty());
  EXPECT_EQ(running.name, "running");

  const auto& never = runs[0].scenarios[2];
  ASSERT_TRUE(never.harness_error);
  EXPECT_NE(never.harness_error->find("not run"), std::string::npos);
  EXPECT_EQ(never.name, "never");
  EXPECT_EQ(never.picked_checks.size(), 1u) << "its checks are known, so each is an <error> in JUnit";
  EXPECT_EQ(exit_code_of(runs[0]), 3);
}

TEST(RunFolder, ACheckedScenarioKeepsItsSavedVerdicts) {
  const fs::path dir = testing::scratch_dir("run-folder-checked");
  auto s = scenario("done");
  s.results = {{"accepted-orders-durable", checks::Verdict::pass, "as saved", {}}};
  {
    RunFolderWriter w(dir / "run", {PlannedSuite{"s", "s.yaml", "suite: s\n", {scenario("done")}}}, 9);
    w.started(0, 0, s);
    w.recorded(0, 0, s);
    w.checked(0, 0, s);
  }
  const auto runs = load_run(dir / "run");
  ASSERT_EQ(runs[0].scenarios[0].results.size(), 1u);
  EXPECT_EQ(runs[0].scenarios[0].results[0].message, "as saved") << "report renders what was saved";
}

}  // namespace
}  // namespace firedrill::engine
