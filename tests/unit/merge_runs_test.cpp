// firedrill merge's joining (engine/merge_runs.hpp), on hand-built saved
// runs: shards join in plan order with their own seeds; a missing shard, a
// missing scenario and a missing shard that had nothing to run are each an
// error that names the shard, exit 1; the same scenario or shard twice is
// refused; separate runs merge side by side.
#include <gtest/gtest.h>

#include "engine/merge_runs.hpp"

namespace firedrill::engine {
namespace {

const char* suite_text = R"(suite: orders
target:
  command: ./order-service
scenarios:
  - {name: a, checks: [accepted-orders-durable], load: {rate: 10/s, duration: 1s}}
  - {name: b, checks: [drain-within-grace], load: {rate: 10/s, duration: 1s}}
  - {name: c, checks: [accepted-orders-durable], load: {rate: 10/s, duration: 1s}}
  - {name: d, checks: [accepted-orders-durable], load: {rate: 10/s, duration: 1s}}
  - {name: e, checks: [readiness-flips], load: {rate: 10/s, duration: 1s}}
)";

const std::vector<std::string> all_names = {"a", "b", "c", "d", "e"};

ScenarioResult passed(const std::string& name, std::uint64_t seed) {
  ScenarioResult s;
  s.name = name;
  s.seed = seed;
  s.picked_checks = {"accepted-orders-durable"};
  s.results.push_back({"accepted-orders-durable", checks::Verdict::pass, "all read back", {}});
  return s;
}

// Shard i/n of a run of `names` (the suite "orders"), as its folder holds it.
FolderToMerge shard(std::size_t i, std::size_t n, std::uint64_t seed, std::vector<std::string> names = all_names,
                    std::string suite = "orders") {
  FolderToMerge f;
  f.dir = "runs/" + suite + "-shard" + std::to_string(i) + "of" + std::to_string(n);
  f.saved.seed = seed;
  f.saved.plan.suites.push_back({suite, suite + ".yaml", names});
  f.saved.plan.shard = {i, n};
  RunResult run;
  run.suite_name = suite;
  run.suite_path = suite + ".yaml";
  run.seed = seed;
  const auto r = shard_range(names.size(), {i, n});
  for (std::size_t p = r.begin; p < r.end; ++p) run.scenarios.push_back(passed(names[p], seed));
  f.saved.runs.push_back(std::move(run));
  f.saved.suite_texts.push_back(suite_text);
  return f;
}

int exit_of(const MergedRuns& m) {
  int code = 0;
  for (const auto& r : m.runs) code = std::max(code, exit_code_of(r));
  return code;
}

std::vector<std::string> names_of(const MergedRuns& m) {
  std::vector<std::string> out;
  for (const auto& r : m.runs)
    for (const auto& s : r.scenarios) out.push_back(s.name);
  return out;
}

TEST(MergeRuns, AllShardsJoinInPlanOrderKeepingEachSeed) {
  // Given in any order, each with its own seed (CI jobs without --seed).
  const auto m = merge_runs({shard(3, 3, 30), shard(1, 3, 10), shard(2, 3, 20)});
  ASSERT_FALSE(m.refusal) << *m.refusal;
  EXPECT_TRUE(m.missing.empty());
  ASSERT_EQ(m.runs.size(), 1u);
  EXPECT_EQ(names_of(m), all_names);
  EXPECT_EQ(m.runs[0].scenarios[0].seed, 10u);  // a, b: shard 1
  EXPECT_EQ(m.runs[0].scenarios[2].seed, 20u);  // c, d: shard 2
  EXPECT_EQ(m.runs[0].scenarios[4].seed, 30u);  // e: shard 3
  EXPECT_EQ(exit_of(m), 0);
}

TEST(MergeRuns, AMissingShardIsAnErrorNamingItAndExits1) {
  const auto m = merge_runs({shard(1, 3, 7), shard(3, 3, 7)});
  ASSERT_FALSE(m.refusal);
  EXPECT_EQ(names_of(m), all_names) << "the missing shard's scenarios keep their places";
  ASSERT_EQ(m.missing.size(), 2u);
  for (const auto& line : m.missing) EXPECT_NE(line.find("shard 2/3"), std::string::npos) << line;
  const auto& c = m.runs[0].scenarios[2];
  EXPECT_TRUE(c.missing);
  ASSERT_TRUE(c.harness_error);
  EXPECT_NE(c.harness_error->find("shard 2/3 was not merged"), std::string::npos) << *c.harness_error;
  // Its checks come from a sibling's copy of the suite, so the reports mark the right ones.
  EXPECT_EQ(c.picked_checks, std::vector<std::string>{"accepted-orders-durable"});
  EXPECT_EQ(exit_of(m), 1) << "missing, not a harness failure: exit 1, never 0";
}

TEST(MergeRuns, AMissingShardThatHadNothingToRunStillFails) {
  // 5 scenarios over 7 shards: 6/7 and 7/7 are empty; 7/7 was cancelled.
  std::vector<FolderToMerge> folders;
  for (std::size_t i = 1; i <= 6; ++i) folders.push_back(shard(i, 7, 1));
  const auto m = merge_runs(folders);
  ASSERT_FALSE(m.refusal);
  ASSERT_EQ(m.missing.size(), 1u);
  EXPECT_NE(m.missing[0].find("shard 7/7"), std::string::npos) << m.missing[0];
  EXPECT_EQ(names_of(m).back(), "(shard 7/7)");
  EXPECT_TRUE(reports_check(m.runs[0].scenarios.back(), "accepted-orders-durable"))
      << "a placeholder with unknown checks is an error in each, never all skipped";
  EXPECT_EQ(exit_of(m), 1);
  folders.push_back(shard(7, 7, 1));
  EXPECT_EQ(exit_of(merge_runs(folders)), 0);
}

TEST(MergeRuns, AScenarioItsShardsFolderLacksIsMissing) {
  auto two = shard(2, 3, 7);
  two.saved.runs[0].scenarios.pop_back();  // d never written (a hand-edited or damaged folder)
  const auto m = merge_runs({shard(1, 3, 7), two, shard(3, 3, 7)});
  ASSERT_EQ(m.missing.size(), 1u);
  EXPECT_NE(m.missing[0].find("scenario 'd'"), std::string::npos) << m.missing[0];
  EXPECT_NE(m.missing[0].find(two.dir.string()), std::string::npos) << m.missing[0];
  EXPECT_EQ(exit_of(m), 1);
}

TEST(MergeRuns, TheSameScenarioTwiceIsRefusedNamingBothFolders) {
  const auto a = shard(1, 1, 1), b = shard(1, 1, 2);
  auto m = merge_runs({a, b});
  ASSERT_TRUE(m.refusal);
  EXPECT_NE(m.refusal->find(a.dir.string()), std::string::npos) << *m.refusal;
  EXPECT_NE(m.refusal->find("scenario 'a'"), std::string::npos) << *m.refusal;
  // Two copies of one empty shard hold no scenario, and are still refused.
  const auto e1 = shard(7, 7, 1);
  auto e2 = shard(7, 7, 1);
  e2.dir = "elsewhere";
  m = merge_runs({e1, e2});
  ASSERT_TRUE(m.refusal);
  EXPECT_NE(m.refusal->find("shard 7/7"), std::string::npos) << *m.refusal;
  EXPECT_NE(m.refusal->find("elsewhere"), std::string::npos) << *m.refusal;
}

TEST(MergeRuns, SeparateRunsMergeSideBySide) {
  const auto m = merge_runs({shard(1, 1, 5, {"x", "y"}, "first"), shard(1, 1, 6, {"z"}, "second")});
  ASSERT_FALSE(m.refusal);
  EXPECT_TRUE(m.missing.empty());
  ASSERT_EQ(m.runs.size(), 2u);
  EXPECT_EQ(m.runs[0].suite_name, "first");
  EXPECT_EQ(m.runs[1].seed, 6u);
  EXPECT_EQ(exit_of(m), 0);
}

}  // namespace
}  // namespace firedrill::engine
