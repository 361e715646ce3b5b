// JUnit mapping of SPEC §5 — fail → failure, unknown → error, not picked →
// skipped — in the one --junit document the Jenkins and Ant schemas both
// accept, whatever bytes the app printed. Also the exit code rules.
#include <gtest/gtest.h>

#include "engine/scenario_result.hpp"
#include "reports/junit_report.hpp"
#include "junit_sample.hpp"
#include "support/paths.hpp"
#include "support/run_firedrill.hpp"

namespace firedrill::reports {
namespace {

using checks::CheckResult;
using checks::Verdict;

TEST(JUnit, MapsVerdictsToElements) {
  auto xml = render_junit({sample::run()});
  auto v = testing::verdicts_from_junit(xml);
  EXPECT_EQ(v["sigterm-mid-rush/accepted-orders-durable"], "fail");
  EXPECT_EQ(v["sigterm-mid-rush/drain-within-grace"], "unknown");
  EXPECT_EQ(v["sigterm-mid-rush/readiness-flips"], "pass");
  EXPECT_EQ(v["sigterm-mid-rush/ready-within"], "skipped");
  EXPECT_EQ(v["rollout/accepted-orders-durable"], "unknown") << "harness error is an <error>";
  EXPECT_EQ(v["rollout/ready-within"], "skipped");
  EXPECT_NE(xml.find("tests=\"13\" failures=\"1\" errors=\"1\" skipped=\"10\" time=\"7.250\" "
                     "timestamp=\"2027-01-15T08:00:00\""),
            std::string::npos)
      << xml;
  EXPECT_NE(xml.find("<property name=\"seed\" value=\"42\"/>"), std::string::npos);
  EXPECT_NE(xml.find("[1234 earlier bytes cut]"), std::string::npos);
  EXPECT_NE(xml.find("message=\"2 of 9 accepted orders were lost &lt;lost&gt;\""), std::string::npos);
  EXPECT_NE(xml.find("ord-1 intended t=0.100s"), std::string::npos) << "evidence in the failure text";
}

TEST(JUnit, ValidAgainstBothSchemasWhateverTheAppPrinted) {
  auto schemas = testing::shared_schemas_dir();
  if (!schemas) GTEST_SKIP() << "../shared/schemas is not here: schema validation skipped";
  auto dir = testing::scratch_dir("junit-hostile");
  const std::string path = dir + "/junit.xml";
  ASSERT_TRUE(write_file(path, render_junit(sample::every_kind())));
  EXPECT_EQ(testing::schema_errors(path, *schemas + "/jenkins-junit-10.xsd"), "");
  EXPECT_EQ(testing::schema_errors(path, *schemas + "/ant-junit.xsd"), "");
}

TEST(ExitCode, FollowsTheSpec) {
  auto run = sample::run();
  EXPECT_EQ(engine::exit_code_of(run), 3) << "a scenario the harness could not run";
  run.scenarios.pop_back();
  EXPECT_EQ(engine::exit_code_of(run), 1);
  run.scenarios[0].results = {CheckResult{"readiness-flips", Verdict::pass, "ok", {}}};
  EXPECT_EQ(engine::exit_code_of(run), 0);
  run.scenarios[0].results.clear();
  EXPECT_EQ(engine::exit_code_of(run), 1) << "no check evaluated is a failure, not an empty green";
}

}  // namespace
}  // namespace firedrill::reports
