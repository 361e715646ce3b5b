// JUnit mapping of SPEC §5 — fail → failure, unknown → error, not picked →
// skipped — in one document both shipped schemas accept, whatever bytes
// the app printed. Also the exit code rules.
#include <gtest/gtest.h>

#include <regex>

#include "engine/scenario_result.hpp"
#include "reports/junit_report.hpp"
#include "support/paths.hpp"
#include "support/run_firedrill.hpp"

namespace firedrill::reports {
namespace {

using checks::CheckResult;
using checks::Verdict;

engine::RunResult sample_run() {
  engine::RunResult run{"graceful-shutdown", "suites/graceful-shutdown.yaml", 42};
  engine::ScenarioResult s;
  s.name = "sigterm-mid-rush";
  s.target = "app --flag \"quoted\" <&>";
  s.seed = 42;
  s.started = std::chrono::system_clock::time_point(std::chrono::seconds(1'800'000'000));
  s.seconds = 7.25;
  s.picked_checks = {"accepted-orders-durable", "drain-within-grace", "readiness-flips"};
  s.results = {CheckResult{"accepted-orders-durable", Verdict::fail, "2 of 9 accepted orders were lost <lost>",
                           {"ord-1 intended t=0.100s", "ord-2 ]]> \x1b[31m"}},
               CheckResult{"drain-within-grace", Verdict::unknown, "no exit was observed", {}},
               CheckResult{"readiness-flips", Verdict::pass, "ok", {}}};
  s.app_output = std::string("hello \x1b[1mbold\x1b[0m nul:\0: bad utf8:\xff\xfe ]]> <tag> &amp;\n", 55);
  s.app_output_dropped = 1234;
  run.scenarios.push_back(s);
  engine::ScenarioResult broken = s;
  broken.name = "rollout";
  broken.results.clear();
  broken.harness_error = "cannot start /x: No such file";
  run.scenarios.push_back(broken);
  return run;
}

TEST(JUnit, MapsVerdictsToElements) {
  auto xml = render_junit({sample_run()});
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
  ASSERT_TRUE(write_file(path, render_junit({sample_run()})));
  EXPECT_EQ(testing::schema_errors(path, *schemas + "/jenkins-junit-10.xsd"), "");
  EXPECT_EQ(testing::schema_errors(path, *schemas + "/ant-junit.xsd"), "");
}

TEST(ExitCode, FollowsTheSpec) {
  auto run = sample_run();
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
