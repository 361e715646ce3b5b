// The --junit-dir flavour: one Surefire-style <testsuite> file per
// scenario, mapping every verdict exactly as the --junit file does, with
// the app's output on the testcases a reader opens, valid against both
// Surefire schemas and the Jenkins one whatever the app printed.
#include <gtest/gtest.h>

#include "junit_sample.hpp"
#include "reports/junit_report.hpp"
#include "reports/surefire_report.hpp"
#include "support/paths.hpp"
#include "support/run_firedrill.hpp"

namespace firedrill::reports {
namespace {

// The testcase element of `check` in a document, up to its end.
std::string testcase_of(const std::string& xml, const std::string& check) {
  const auto at = xml.find("<testcase name=\"" + check + "\"");
  if (at == std::string::npos) return "";
  const auto self_closed = xml.find("/>", at), opened = xml.find('>', at);
  if (self_closed != std::string::npos && self_closed + 1 == opened) return xml.substr(at, opened + 1 - at);
  return xml.substr(at, xml.find("</testcase>", at) + 11 - at);
}

TEST(Surefire, OneFilePerScenarioWithTheVerdictsOfTheJunitFile) {
  const auto runs = sample::every_kind();
  const auto files = render_surefire_files(runs);
  ASSERT_EQ(files.size(), 5u);
  EXPECT_EQ(files[0].name, "TEST-graceful-shutdown.sigterm-mid-rush.xml");
  EXPECT_EQ(files[4].name, "TEST-shards.no-stop.xml");
  std::map<std::string, std::string> joined;
  for (const auto& f : files) {
    EXPECT_EQ(f.content.find("<testsuites"), std::string::npos) << f.name;
    for (const auto& [k, v] : testing::verdicts_from_junit(f.content)) joined[k] = v;
  }
  EXPECT_EQ(joined, testing::verdicts_from_junit(render_junit(runs)));
  EXPECT_EQ(joined["sigkill-mid-rush/accepted-orders-durable"], "unknown") << "an incomplete scenario is an <error>";
  EXPECT_EQ(joined["no-stop/ready-within"], "unknown") << "a scenario the merge lacks: every check an <error>";
}

TEST(Surefire, SuiteCarriesCountsTimeAndPropertiesButNothingSurefireForbids) {
  const auto xml = render_surefire_files(sample::every_kind())[0].content;
  EXPECT_NE(xml.find("<testsuite name=\"graceful-shutdown.sigterm-mid-rush\" tests=\"13\" failures=\"1\" errors=\"1\" "
                     "skipped=\"10\" time=\"7.250\">"),
            std::string::npos)
      << xml;
  for (const char* forbidden : {"hostname=", "timestamp=", "package=", " id="})
    EXPECT_EQ(xml.find(forbidden), std::string::npos) << forbidden;
  EXPECT_NE(xml.find("<property name=\"seed\" value=\"42\"/>"), std::string::npos);
  EXPECT_NE(xml.find("<property name=\"target\" value=\"app --flag &quot;quoted&quot; &lt;&amp;&gt;\"/>"),
            std::string::npos);
  EXPECT_NE(xml.find("message=\"2 of 9 accepted orders were lost &lt;lost&gt;\""), std::string::npos);
}

TEST(Surefire, OutputSitsOnTheFailedAndErroredChecks) {
  const auto files = render_surefire_files(sample::every_kind());
  const auto& mixed = files[0].content;
  for (const char* check : {"accepted-orders-durable", "drain-within-grace"}) {
    const auto c = testcase_of(mixed, check);
    EXPECT_NE(c.find("<system-out>[1234 earlier bytes cut]\nhello \\x1b[1mbold"), std::string::npos) << c;
  }
  EXPECT_EQ(testcase_of(mixed, "readiness-flips").find("system-out"), std::string::npos) << "not on a pass";
  EXPECT_EQ(testcase_of(mixed, "ready-within").find("system-out"), std::string::npos) << "not on a skip";
  // All green: on the first passed check only, with the sidecars' output.
  const auto& green = files[2].content;
  const auto first = testcase_of(green, "accepted-orders-durable");
  EXPECT_NE(first.find("<system-out>"), std::string::npos) << green;
  EXPECT_NE(first.find("<system-err>[ambassador] \\x1b[2mstopping\\x1b[0m \\xc3(\n</system-err>"), std::string::npos)
      << first;
  EXPECT_EQ(testcase_of(green, "readiness-flips").find("system-out"), std::string::npos);
  // Nothing printed: no empty element.
  EXPECT_EQ(files[4].content.find("system-out"), std::string::npos) << files[4].content;
}

TEST(Surefire, ValidAgainstBothSurefireSchemasAndJenkinsWhateverTheAppPrinted) {
  const auto schemas = testing::shared_schemas_dir();
  if (!schemas) GTEST_SKIP() << "../shared/schemas is not here: schema validation skipped";
  const auto dir = testing::scratch_dir("surefire-hostile");
  for (const auto& f : render_surefire_files(sample::every_kind()))
    ASSERT_TRUE(write_file(dir + "/" + f.name, f.content));
  ASSERT_EQ(testing::junit_dir_files(dir).size(), 5u);
  EXPECT_EQ(testing::junit_dir_schema_errors(dir, *schemas), "");
}

}  // namespace
}  // namespace firedrill::reports
