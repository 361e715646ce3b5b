// The CI examples in docs/ci/ do what the README says they do. The GitHub
// workflow passes action-validator (GitHub's schema; tests/ci's pinned
// copy), which a broken copy fails; and, beyond the schema, both examples
// are read as YAML for the points that make a sharded run safe: every shard
// runs to its end and keeps its run folder even when it fails, and a merge
// that runs whatever the shards did fails the build on a failed check or a
// missing shard and publishes the JUnit report.
#include <gtest/gtest.h>

#include <fstream>

#include <yaml-cpp/yaml.h>

#include "node_tools.hpp"
#include "support/paths.hpp"
#include "support/run_firedrill.hpp"

namespace firedrill::testing {
namespace {

const std::string github = source_path("docs/ci/github-actions.yml");
const std::string gitlab = source_path("docs/ci/gitlab-ci.yml");

CommandResult action_validator(const std::string& path) {
  return run_command({node_path(), source_path("tests/ci/node_modules/@action-validator/cli/cli.mjs"), path}, 120);
}

// The step of `job` whose `uses` or `run` contains `text`.
YAML::Node step_with(const YAML::Node& job, const std::string& key, const std::string& text) {
  for (const auto& step : job["steps"])
    if (step[key] && step[key].as<std::string>().find(text) != std::string::npos) return step;
  return YAML::Node();
}

TEST(CiExamples, TheGithubWorkflowPassesActionValidatorAndABrokenCopyDoesNot) {
  FIREDRILL_REQUIRE_CI_TOOL("@action-validator/cli");
  auto ok = action_validator(github);
  EXPECT_EQ(ok.exit_code, 0) << ok.output;
  // The validator does validate: an unknown key in the strategy is refused.
  const auto broken = scratch_dir("ci-examples") + "/broken.yml";
  auto text = read_file(github);
  text.replace(text.find("fail-fast: false"), 16, "fail-fast: false\n      retry-forever: true");
  std::ofstream(broken) << text;
  EXPECT_NE(action_validator(broken).exit_code, 0);
}

TEST(CiExamples, TheGithubWorkflowShardsThreeWaysAndMergesWhateverHappened) {
  const auto doc = YAML::LoadFile(github);
  const auto shard = doc["jobs"]["shard"], merge = doc["jobs"]["merge"];
  ASSERT_TRUE(shard && merge);
  EXPECT_FALSE(shard["strategy"]["fail-fast"].as<bool>()) << "fail-fast: false, or one red shard cancels the others";
  EXPECT_EQ(shard["strategy"]["matrix"]["shard"].size(), 3u);
  const auto run = step_with(shard, "run", "firedrill run");
  ASSERT_TRUE(run);
  EXPECT_NE(run["run"].as<std::string>().find("--shard ${{ matrix.shard }}/3"), std::string::npos);
  EXPECT_NE(run["run"].as<std::string>().find("--seed"), std::string::npos) << "one seed for all shards";
  const auto upload = step_with(shard, "uses", "actions/upload-artifact");
  ASSERT_TRUE(upload);
  EXPECT_EQ(upload["if"].as<std::string>(), "always()") << "the run folder is kept when the shard fails";
  EXPECT_EQ(upload["with"]["path"].as<std::string>().rfind("firedrill-runs", 0), 0u);

  EXPECT_EQ(merge["needs"].as<std::string>(), "shard");
  EXPECT_EQ(merge["if"].as<std::string>(), "always()") << "the merge runs after a failed or cancelled shard";
  ASSERT_TRUE(step_with(merge, "uses", "actions/download-artifact"));
  const auto merging = step_with(merge, "run", "firedrill merge");
  ASSERT_TRUE(merging);
  EXPECT_FALSE(merging["continue-on-error"]) << "its exit code fails the build";
  EXPECT_NE(merging["run"].as<std::string>().find("--junit"), std::string::npos);
  const auto publish = step_with(merge, "uses", "action-junit-report");
  ASSERT_TRUE(publish);
  EXPECT_EQ(publish["if"].as<std::string>(), "always()") << "a red merge still publishes its report";
}

TEST(CiExamples, TheGitlabJobShardsWithParallelAndReportsJunit) {
  const auto doc = YAML::LoadFile(gitlab);
  const auto shard = doc["firedrill"], merge = doc["firedrill-merge"];
  ASSERT_TRUE(shard && merge);
  EXPECT_EQ(shard["parallel"].as<int>(), 3);
  std::string script;
  for (const auto& line : shard["script"]) script += line.as<std::string>() + "\n";
  EXPECT_NE(script.find("--shard \"${CI_NODE_INDEX}/${CI_NODE_TOTAL}\""), std::string::npos) << script;
  EXPECT_EQ(shard["artifacts"]["when"].as<std::string>(), "always");
  EXPECT_TRUE(shard["artifacts"]["reports"]["junit"]);
  EXPECT_EQ(shard["artifacts"]["paths"][0].as<std::string>(), "firedrill-runs/");
  EXPECT_EQ(merge["when"].as<std::string>(), "always");
  EXPECT_EQ(merge["needs"][0].as<std::string>(), "firedrill");
  EXPECT_NE(merge["script"][0].as<std::string>().find("firedrill merge firedrill-runs/*"), std::string::npos);
  EXPECT_EQ(merge["artifacts"]["reports"]["junit"].as<std::string>(), "firedrill.xml");
  EXPECT_FALSE(merge["allow_failure"]) << "its exit code fails the pipeline";
}

}  // namespace
}  // namespace firedrill::testing
