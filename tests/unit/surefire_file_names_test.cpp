// --junit-dir's file names: TEST-<suite>.<scenario>.xml, only
// [A-Za-z0-9._-], and never one file for two scenarios — a second file of
// the same name would silently replace the first one's verdicts.
#include <gtest/gtest.h>

#include <algorithm>
#include <regex>
#include <set>

#include "reports/surefire_file_names.hpp"

namespace firedrill::reports {
namespace {

engine::RunResult suite(const std::string& name, std::initializer_list<const char*> scenarios) {
  engine::RunResult run{name, name + ".yaml", 1};
  for (const char* s : scenarios) {
    run.scenarios.emplace_back();
    run.scenarios.back().name = s;
  }
  return run;
}

void expect_distinct_and_safe(const std::vector<std::string>& names) {
  std::set<std::string> folded;
  for (auto n : names) {
    EXPECT_TRUE(std::regex_match(n, std::regex(R"(TEST-[A-Za-z0-9._-]+\.xml)"))) << n;
    EXPECT_LE(n.size(), 255u) << n;
    std::transform(n.begin(), n.end(), n.begin(), [](unsigned char c) { return std::tolower(c); });
    EXPECT_TRUE(folded.insert(n).second) << "two scenarios share " << n << " (also where case is ignored)";
  }
}

TEST(SurefireFileNames, PlainNamesStayPlain) {
  EXPECT_EQ(surefire_file_names({suite("graceful-shutdown", {"sigterm-mid-rush", "rollout_2.b"})}),
            (std::vector<std::string>{"TEST-graceful-shutdown.sigterm-mid-rush.xml",
                                      "TEST-graceful-shutdown.rollout_2.b.xml"}));
}

// Byte by byte: the two bytes of an é are two underscores.
TEST(SurefireFileNames, UnsafeBytesBecomeUnderscores) {
  EXPECT_EQ(surefire_file_names({suite("my suite", {"a/b\\c:d*?\"<>| caf\xc3\xa9 \n"})}),
            (std::vector<std::string>{"TEST-my_suite.a_b_c_d_______caf____.xml"}));
}

// "a b", "a_b" and "a?b" all sanitise to a_b: each gets a hash of its own
// real name, the same whatever else the run (a shard, a merge) holds.
TEST(SurefireFileNames, NamesThatWouldCollideGetAHashOfTheRealName) {
  const auto three = surefire_file_names({suite("s", {"a b", "a_b", "a?b", "x"})});
  expect_distinct_and_safe(three);
  for (std::size_t i = 0; i < 3; ++i)
    EXPECT_TRUE(std::regex_match(three[i], std::regex(R"(TEST-s\.a_b-[0-9a-f]{8}\.xml)"))) << three[i];
  EXPECT_EQ(three[3], "TEST-s.x.xml") << "a unique name stays plain beside the collisions";
  const auto two = surefire_file_names({suite("s", {"a?b", "a_b"})});
  EXPECT_EQ(two[0], three[2]) << "stable whatever else is in the run";
  EXPECT_EQ(two[1], three[1]);
}

TEST(SurefireFileNames, CaseAloneDoesNotTellFilesApart) {
  const auto names = surefire_file_names({suite("s", {"Drain", "drain"})});
  expect_distinct_and_safe(names);
  EXPECT_NE(names[0], "TEST-s.Drain.xml") << "macOS and Windows would keep only one of the two";
}

TEST(SurefireFileNames, TheSuiteAndScenarioBoundaryCounts) {
  const auto names = surefire_file_names({suite("a.b", {"c"}), suite("a", {"b.c"})});
  expect_distinct_and_safe(names);
}

// Two suites of one name (two files, or a merge of separate runs): the
// same real names, told apart by their order in the report.
TEST(SurefireFileNames, IdenticalNamesGetAnOrdinal) {
  const auto names = surefire_file_names({suite("t", {"a"}), suite("t", {"a"}), suite("t", {"a"})});
  expect_distinct_and_safe(names);
  EXPECT_EQ(names[1], names[0].substr(0, names[0].size() - 4) + "-2.xml");
  EXPECT_EQ(names[2], names[0].substr(0, names[0].size() - 4) + "-3.xml");
}

TEST(SurefireFileNames, LongNamesAreCutToFitAFileSystem) {
  const std::string long_name(300, 'x');
  const auto names = surefire_file_names({suite("s", {(long_name + "1").c_str(), (long_name + "2").c_str()})});
  expect_distinct_and_safe(names);
}

}  // namespace
}  // namespace firedrill::reports
