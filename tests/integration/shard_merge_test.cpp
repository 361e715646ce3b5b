// CI at scale (SPEC §5): `run --shard i/n` runs its share and records it;
// a shard replays the same scenario as an unsharded run with the same
// --seed; `merge` joins the shards into one valid report set that exits as
// one run would, names a missing shard (exit 1) and refuses a scenario
// twice (exit 2); the job summary is appended to $GITHUB_STEP_SUMMARY.
// `run` and `merge` also write --junit-dir's per-scenario files.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include <boost/json.hpp>

#include "support/paths.hpp"
#include "support/run_firedrill.hpp"

namespace firedrill::testing {
namespace {
namespace fs = std::filesystem;
namespace json = boost::json;

const std::string suite = source_path("tests/suites/shards.yaml");

void expect_surefire_valid(const std::string& junit_dir) {
  if (auto schemas = shared_schemas_dir()) {
    EXPECT_EQ(junit_dir_schema_errors(junit_dir, *schemas), "") << junit_dir;
  }
}

fs::path only_folder(const std::string& runs) {
  std::vector<fs::path> found;
  for (const auto& e : fs::directory_iterator(runs)) found.push_back(e.path());
  EXPECT_EQ(found.size(), 1u) << runs;
  return found.empty() ? fs::path() : found[0];
}

// "id@offset" of every order of a scenario's saved history.
std::vector<std::string> orders_in(const fs::path& scenario_dir) {
  std::istringstream lines(read_file((scenario_dir / "history.jsonl").string()));
  std::vector<std::string> out;
  std::int64_t first = -1;
  for (std::string line; std::getline(lines, line);) {
    const auto v = json::parse(line).as_object();
    const auto at = v.at("intended_us").to_number<std::int64_t>();
    if (first < 0) first = at;
    out.push_back(std::string(v.at("id").as_string()) + "@" + std::to_string(at - first));
  }
  return out;
}

TEST(ShardMerge, ShardsRunTheirShareAndMergeIntoOneReport) {
  const auto dir = scratch_dir("shard-merge");
  auto run_shard = [&](const std::string& shard, std::vector<std::string> extra = {}) {
    std::vector<std::string> argv{bin_path("firedrill"), "run", suite, "--seed", "77", "--shard", shard,
                                  "--runs-dir", dir + "/" + shard.substr(0, 1) + "of" + shard.substr(2), "--quiet"};
    argv.insert(argv.end(), extra.begin(), extra.end());
    return run_command(argv, 240);
  };
  auto one = run_shard("1/2", {"--junit-dir", dir + "/junit-1of2"}), two = run_shard("2/2");
  ASSERT_EQ(one.exit_code, 0) << one.output;
  ASSERT_EQ(two.exit_code, 0) << two.output;
  EXPECT_EQ(junit_dir_files(dir + "/junit-1of2"),
            (std::vector<std::string>{dir + "/junit-1of2/TEST-shards.sigterm-early.xml",
                                      dir + "/junit-1of2/TEST-shards.sigterm-late.xml"}))
      << "one file per scenario the shard ran";
  EXPECT_EQ(verdicts_from_junit_dir(dir + "/junit-1of2").at("sigterm-late/drain-within-grace"), "pass");
  expect_surefire_valid(dir + "/junit-1of2");
  const auto f1 = only_folder(dir + "/1of2"), f2 = only_folder(dir + "/2of2");
  EXPECT_NE(f1.filename().string().find("-shard1of2"), std::string::npos) << f1;
  const auto meta = json::parse(read_file((f1 / "run.json").string())).as_object();
  EXPECT_EQ(meta.at("shard").at("index").to_number<int>(), 1);
  EXPECT_EQ(meta.at("shard").at("total").to_number<int>(), 2);
  EXPECT_EQ(meta.at("plan").at(0).at("scenarios").as_array().size(), 3u) << "the whole run's scenarios";
  EXPECT_EQ(meta.at("suites").at(0).at("scenarios").as_array().size(), 2u) << "shard 1/2 ran two";

  // More shards than scenarios: exit 0, says so, and a folder that records the shard.
  auto empty = run_shard("5/5", {"--junit", dir + "/empty.xml", "--junit-dir", dir + "/junit-5of5"});
  EXPECT_EQ(empty.exit_code, 0) << empty.output;
  EXPECT_TRUE(fs::is_directory(dir + "/junit-5of5")) << "the folder a CI step reads exists, empty";
  EXPECT_TRUE(junit_dir_files(dir + "/junit-5of5").empty());
  if (auto schemas = shared_schemas_dir())
    for (const char* xsd : {"jenkins-junit-10.xsd", "ant-junit.xsd"})
      EXPECT_EQ(schema_errors(dir + "/empty.xml", *schemas + "/" + xsd), "") << "an empty shard's JUnit, " << xsd;
  EXPECT_NE(empty.output.find("shard 5/5 has no scenario"), std::string::npos) << empty.output;
  const auto f5 = only_folder(dir + "/5of5");
  EXPECT_EQ(json::parse(read_file((f5 / "run.json").string())).at("shard").at("index").to_number<int>(), 5);

  // The third scenario, alone and unsharded (another position), replays
  // shard 2/2's orders exactly: seeds follow names, not positions.
  auto alone = run_command({bin_path("firedrill"), "run", suite, "--seed", "77", "--filter", "no-stop", "--runs-dir",
                            dir + "/alone", "--quiet"},
                           240);
  ASSERT_EQ(alone.exit_code, 0) << alone.output;
  const auto in_shard = orders_in(f2 / "01-shards" / "01-no-stop");
  ASSERT_FALSE(in_shard.empty());
  EXPECT_EQ(in_shard, orders_in(only_folder(dir + "/alone") / "01-shards" / "01-no-stop"));

  // All shards: one report set, exit 0, valid JUnit, each seed kept; the
  // job summary appended after what the step already wrote.
  const std::string summary = dir + "/summary.md";
  std::ofstream(summary) << "earlier step output\n";
  CommandOptions env;
  env.env = {"GITHUB_STEP_SUMMARY=" + summary};
  auto merged = run_command({bin_path("firedrill"), "merge", f2.string(), f1.string(), "--junit", dir + "/merged.xml",
                             "--junit-dir", dir + "/junit-merged", "--json", dir + "/merged.json", "--html",
                             dir + "/merged.html"},
                            env);
  EXPECT_EQ(merged.exit_code, 0) << merged.output;
  const auto verdicts = verdicts_from_junit(read_file(dir + "/merged.xml"));
  EXPECT_EQ(junit_dir_files(dir + "/junit-merged").size(), 3u);
  EXPECT_EQ(verdicts_from_junit_dir(dir + "/junit-merged"), verdicts) << "both flavours say the same";
  expect_surefire_valid(dir + "/junit-merged");
  EXPECT_EQ(verdicts.at("sigterm-early/drain-within-grace"), "pass");
  EXPECT_EQ(verdicts.at("no-stop/accepted-orders-durable"), "pass");
  if (auto schemas = shared_schemas_dir()) {
    EXPECT_EQ(schema_errors(dir + "/merged.xml", *schemas + "/jenkins-junit-10.xsd"), "");
    EXPECT_EQ(schema_errors(dir + "/merged.xml", *schemas + "/ant-junit.xsd"), "");
  }
  const auto report = json::parse(read_file(dir + "/merged.json")).as_object();
  const auto& scenarios = report.at("suites").at(0).at("scenarios").as_array();
  ASSERT_EQ(scenarios.size(), 3u);
  EXPECT_EQ(scenarios[0].at("name").as_string(), "sigterm-early") << "plan order, whatever the folders' order";
  for (const auto& s : scenarios) EXPECT_EQ(s.at("seed").to_number<int>(), 77);
  const auto md = read_file(summary);
  EXPECT_EQ(md.rfind("earlier step output\n", 0), 0u) << "appended, never overwritten";
  EXPECT_NE(md.find("3 of 3 scenarios passed"), std::string::npos) << md;

  // A shard missing (a cancelled job): named, an error, exit 1 — never green.
  auto partial = run_command({bin_path("firedrill"), "merge", f1.string(), f5.string(), "--junit", dir + "/partial.xml",
                              "--junit-dir", dir + "/junit-partial"});
  EXPECT_EQ(partial.exit_code, 1) << partial.output;
  EXPECT_NE(partial.output.find("shard 2/2 was not merged"), std::string::npos) << partial.output;
  const auto partial_xml = read_file(dir + "/partial.xml");
  EXPECT_EQ(verdicts_from_junit(partial_xml).at("no-stop/accepted-orders-durable"), "unknown") << "an <error>";
  EXPECT_NE(partial_xml.find("missing: shard 2/2 was not merged"), std::string::npos);
  // The folders hold two plans (of 2 and of 5 shards), so the merge lists
  // some scenarios twice: each still gets a file of its own.
  const auto partial_files = junit_dir_files(dir + "/junit-partial");
  std::size_t suites = 0;
  for (auto at = partial_xml.find("<testsuite "); at != std::string::npos; at = partial_xml.find("<testsuite ", at + 1))
    ++suites;
  EXPECT_EQ(partial_files.size(), suites) << "one file per scenario, none overwritten";
  EXPECT_EQ(verdicts_from_junit_dir(dir + "/junit-partial").at("no-stop/accepted-orders-durable"), "unknown")
      << "an <error> in the per-scenario files too";
  bool named = false;
  for (const auto& f : partial_files)
    named = named || read_file(f).find("missing: shard 2/2 was not merged") != std::string::npos;
  EXPECT_TRUE(named) << "the missing shard named in a file";
  expect_surefire_valid(dir + "/junit-partial");

  // The same scenario twice: refused, naming both folders.
  fs::copy(f1, dir + "/copy-of-1", fs::copy_options::recursive);
  auto twice = run_command({bin_path("firedrill"), "merge", f1.string(), dir + "/copy-of-1"});
  EXPECT_EQ(twice.exit_code, 2) << twice.output;
  EXPECT_NE(twice.output.find(f1.string()), std::string::npos) << twice.output;
  EXPECT_NE(twice.output.find("copy-of-1"), std::string::npos) << twice.output;
}

TEST(ShardMerge, ABadShardExitsTwoWithTheValidForm) {
  for (const char* bad : {"0/3", "4/3", "a/b", "1/0"}) {
    auto r = run_command({bin_path("firedrill"), "run", suite, "--shard", bad}, 60);
    EXPECT_EQ(r.exit_code, 2) << bad << ": " << r.output;
    EXPECT_NE(r.output.find("expected i/n"), std::string::npos) << bad << ": " << r.output;
  }
  auto list = run_command({bin_path("firedrill"), "list", suite, "--shard", "2/2"}, 60);
  EXPECT_EQ(list.exit_code, 0) << list.output;
  EXPECT_NE(list.output.find("no-stop"), std::string::npos) << list.output;
  EXPECT_EQ(list.output.find("sigterm-early"), std::string::npos) << list.output;
}

}  // namespace
}  // namespace firedrill::testing
