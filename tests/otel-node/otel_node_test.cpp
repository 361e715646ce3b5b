// A real OpenTelemetry SDK as the telemetry receiver's client (issue 14,
// item 6): the real `firedrill run` of tests/suites/otel-node.yaml against
// tests/otel-node/order-target.mjs, the npm OpenTelemetry JS SDK with its
// default BatchSpanProcessor, once per OTLP encoding (exporter-trace-otlp-http
// for JSON, exporter-trace-otlp-proto for protobuf) and SIGTERM behaviour:
//   shutdown  await provider.shutdown() before exit 0: every check passes;
//   exit      process.exit(0) at once: telemetry-delivered fails, and only
//             it, with the spans of the last half second missing.
// Without node or the pinned packages the tests skip, except on CI (CI is
// set), where that is a broken setup.
#include <cstdlib>
#include <filesystem>
#include <ostream>
#include <regex>
#include <string>

#include <boost/json.hpp>
#include <gtest/gtest.h>

#include "support/paths.hpp"
#include "support/run_firedrill.hpp"

namespace firedrill::testing {
namespace {

namespace json = boost::json;

std::string missing_sdk() {
  if (find_on_path({"node", "nodejs"}).empty()) return "no node on PATH (.ci/install-deps installs one)";
  for (const char* pkg : {"sdk-trace-node", "exporter-trace-otlp-http", "exporter-trace-otlp-proto"})
    if (!std::filesystem::exists(source_path(std::string("tests/otel-node/node_modules/@opentelemetry/") + pkg +
                                             "/package.json")))
      return std::string("@opentelemetry/") + pkg +
             " is not installed: run `npm ci` in tests/otel-node (.ci/install-deps does)";
  return "";
}

#define REQUIRE_OTEL_SDK()                   \
  do {                                       \
    const auto why = missing_sdk();          \
    if (!why.empty()) {                      \
      if (std::getenv("CI")) FAIL() << why;  \
      GTEST_SKIP() << why;                   \
    }                                        \
  } while (0)

struct Mode {
  std::string encoding;     // json | proto
  std::string on_sigterm;   // shutdown | exit
};

void PrintTo(const Mode& m, std::ostream* os) { *os << "--encoding " << m.encoding << " --on-sigterm " << m.on_sigterm; }

std::string mode_name(const ::testing::TestParamInfo<Mode>& info) {
  return info.param.encoding + "_" + info.param.on_sigterm;
}

const std::string scenario = "sigterm-with-spans-in-the-batch-processor";

// The check's entry in the JSON report: {"name", "verdict", "message", "evidence"}.
json::object check_in_report(const std::string& report_path, const std::string& check) {
  const auto report = json::parse(read_file(report_path));
  for (const auto& suite : report.at("suites").as_array())
    for (const auto& sc : suite.at("scenarios").as_array()) {
      if (sc.at("name").as_string() != scenario) continue;
      for (const auto& c : sc.at("checks").as_array())
        if (c.at("name").as_string() == check) return c.as_object();
    }
  return {};
}

class OtelNodeSdk : public ::testing::TestWithParam<Mode> {};

TEST_P(OtelNodeSdk, TelemetryDeliveredJudgesItsSigterm) {
  REQUIRE_OTEL_SDK();
  const auto& m = GetParam();
  const std::string dir = scratch_dir("otel-node-" + m.encoding + "-" + m.on_sigterm);
  const std::string junit = dir + "/junit.xml", report = dir + "/report.json";
  const std::string target = find_on_path({"node", "nodejs"}) + " " + source_path("tests/otel-node/order-target.mjs") +
                             " --encoding " + m.encoding + " --on-sigterm " + m.on_sigterm;
  auto r = run_command({bin_path("firedrill"), "run", source_path("tests/suites/otel-node.yaml"), "--target", target,
                        "--junit", junit, "--json", report, "--seed", "14", "--runs-dir", dir + "/runs"},
                       90);
  SCOPED_TRACE(r.output);
  const bool flushes = m.on_sigterm == "shutdown";
  ASSERT_EQ(r.exit_code, flushes ? 0 : 1);

  // JUnit: telemetry-delivered is the one check that separates the modes.
  auto verdicts = verdicts_from_junit(read_file(junit));
  const std::string key = scenario + "/telemetry-delivered";
  ASSERT_TRUE(verdicts.contains(key));
  EXPECT_EQ(verdicts[key], flushes ? "pass" : "fail");
  std::size_t evaluated = 0;
  for (const auto& [k, verdict] : verdicts) {
    if (k == key || verdict == "skipped") continue;
    ++evaluated;
    EXPECT_EQ(verdict, "pass") << k;
  }
  EXPECT_GE(evaluated, 4u) << "drain-within-grace, readiness-flips, ready-within, no-leftover-processes";

  // The JSON report says the same, with the evidence.
  const auto check = check_in_report(report, "telemetry-delivered");
  ASSERT_FALSE(check.empty()) << "no telemetry-delivered in " << report;
  EXPECT_EQ(check.at("verdict").as_string(), flushes ? "pass" : "fail");
  const std::string message(check.at("message").as_string());
  std::smatch n;
  if (flushes) {
    // Every accepted order's span was decoded from what the SDK sent.
    ASSERT_TRUE(std::regex_search(message, n, std::regex(R"(all (\d+) accepted orders have a span)"))) << message;
    EXPECT_GT(std::stoi(n[1]), 400) << message;
    return;
  }
  // The first batch (after 5 s) arrived and decoded; what was still
  // buffered at the SIGTERM did not: nothing came after it.
  ASSERT_TRUE(std::regex_search(message, n, std::regex(R"((\d+) of (\d+) accepted orders have no span .*\((\d+) records came\))")))
      << message;
  EXPECT_GT(std::stoi(n[1]), 0) << message;
  EXPECT_GT(std::stoi(n[3]), 0) << "the SDK's first batch never reached the receiver: " << message;
  std::string evidence;
  for (const auto& e : check.at("evidence").as_array()) evidence += std::string(e.as_string()) + "\n";
  EXPECT_TRUE(std::regex_search(evidence, std::regex(R"(the last record came at t=[0-9.]+s; -[0-9.]+s from the SIGTERM at)")))
      << evidence;
}

INSTANTIATE_TEST_SUITE_P(Modes, OtelNodeSdk,
                         ::testing::Values(Mode{"json", "shutdown"}, Mode{"proto", "shutdown"}, Mode{"json", "exit"},
                                           Mode{"proto", "exit"}),
                         mode_name);

}  // namespace
}  // namespace firedrill::testing
