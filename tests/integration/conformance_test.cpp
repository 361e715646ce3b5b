// SPEC §4 end to end: the reference order service passes every check of the
// bundled suite, and each deliberately broken variant fails exactly the
// checks it is meant to break — with evidence in the failure text — while
// the JUnit it leaves validates against both shipped schemas.
#include <gtest/gtest.h>

#include <set>

#include "support/paths.hpp"
#include "support/run_firedrill.hpp"

namespace firedrill::testing {
namespace {

struct FlawCase {
  std::string flaw;                   // "" = the conforming reference
  std::string suite;                  // relative to the project root
  std::set<std::string> must_fail;    // "scenario/check"
  std::string wrapper;                // e.g. "/bin/sh -c": runs the service through it
};

// flaw -> the checks it must fail. Every other check the suite picks must pass.
const std::vector<FlawCase> flaw_table = {
    {"", "suites/graceful-shutdown.yaml", {}},
    {"ignore-sigterm", "suites/graceful-shutdown.yaml",
     {"sigterm-mid-rush/drain-within-grace", "sigterm-mid-rush/readiness-flips", "rollout/drain-within-grace",
      "rollout/readiness-flips"}},
    {"exit-at-once", "suites/graceful-shutdown.yaml",
     {"sigterm-mid-rush/drain-within-grace", "sigterm-mid-rush/in-flight-completed", "rollout/drain-within-grace",
      "rollout/in-flight-completed"}},
    {"memory-queue", "suites/graceful-shutdown.yaml",
     {"sigterm-mid-rush/accepted-orders-dispatched", "sigkill-mid-rush/accepted-orders-dispatched",
      "rollout/accepted-orders-dispatched"}},
    {"ack-before-fsync", "suites/graceful-shutdown.yaml",
     {"sigkill-mid-rush/accepted-orders-durable", "sigkill-mid-rush/accepted-orders-dispatched"}},
    {"stale-readiness", "suites/graceful-shutdown.yaml",
     {"sigterm-mid-rush/readiness-flips", "rollout/readiness-flips"}},
    {"phantom", "suites/graceful-shutdown.yaml",
     {"sigterm-mid-rush/refused-orders-absent", "rollout/refused-orders-absent"}},
    {"leaks-daemon", "suites/graceful-shutdown.yaml",
     {"sigterm-mid-rush/no-leftover-processes", "sigkill-mid-rush/no-leftover-processes",
      "rollout/no-leftover-processes"}},
    // ready-within needs a tight limit: tests/suites/cold-start.yaml.
    {"", "tests/suites/cold-start.yaml", {}},
    {"slow-start", "tests/suites/cold-start.yaml", {"cold-start/ready-within"}},
    // A shell that does not forward SIGTERM: the shell dies of it, the
    // service never hears it, and the whole process group is killed with
    // the shell (as a container runtime would) — so nothing is left over.
    {"", "tests/suites/cold-start.yaml", {"cold-start/drain-within-grace"}, "/bin/sh -c"},
    // Ambassador faults on the payment and courier paths.
    {"", "suites/ambassador-faults.yaml", {}},
    {"retry-new-key", "suites/ambassador-faults.yaml",
     {"payment-latency-spike/accepted-orders-charged-once", "payment-blackhole/accepted-orders-charged-once",
      "payment-resets/accepted-orders-charged-once"}},
    {"no-retry", "suites/ambassador-faults.yaml",
     {"payment-latency-spike/error-budget", "payment-5xx-burst/error-budget", "payment-blackhole/error-budget",
      "payment-resets/error-budget"}},
    // Charges are batched far apart and dropped at SIGTERM: every scenario
    // ends with one, so every scenario loses charges.
    {"charge-after-ack", "suites/ambassador-faults.yaml",
     {"payment-latency-spike/accepted-orders-charged-once", "payment-5xx-burst/accepted-orders-charged-once",
      "payment-blackhole/accepted-orders-charged-once", "payment-resets/accepted-orders-charged-once",
      "courier-refuses-during-drain/accepted-orders-charged-once"}},
};

void PrintTo(const FlawCase& c, std::ostream* os) { *os << (c.flaw.empty() ? "reference" : c.flaw) << " on " << c.suite; }

class Conformance : public ::testing::TestWithParam<FlawCase> {};

TEST_P(Conformance, FailsExactlyTheChecksOfItsFlaw) {
  const auto& c = GetParam();
  const std::string name = c.flaw.empty() ? "reference" : c.flaw;
  const std::string dir =
      scratch_dir("conformance-" + name + "-" + std::to_string(c.suite.size()) + (c.wrapper.empty() ? "" : "-wrapped"));
  const std::string junit = dir + "/junit.xml";
  std::string target = bin_path("order-service");
  if (!c.flaw.empty()) target += " --flaw " + c.flaw;
  // "; exit" keeps sh from exec'ing the service: sh stays the main process.
  if (!c.wrapper.empty()) target = c.wrapper + " '" + target + "; exit $?'";
  auto r = run_command({bin_path("firedrill"), "run", source_path(c.suite), "--target", target, "--junit", junit,
                        "--seed", "11", "--work-dir", dir + "/work", "--runs-dir", dir + "/runs"});
  SCOPED_TRACE(r.output);
  ASSERT_EQ(r.exit_code, c.must_fail.empty() ? 0 : 1);

  auto verdicts = verdicts_from_junit(read_file(junit));
  ASSERT_FALSE(verdicts.empty());
  for (const auto& key : c.must_fail) {
    ASSERT_TRUE(verdicts.contains(key)) << key;
    EXPECT_EQ(verdicts[key], "fail") << key;
  }
  for (const auto& [key, verdict] : verdicts) {
    if (c.must_fail.contains(key) || verdict == "skipped") continue;
    EXPECT_EQ(verdict, "pass") << key << " should pass for " << name;
  }

  // The evidence a person needs without rerunning: counts, and order ids
  // or signal times.
  if (!c.must_fail.empty()) {
    EXPECT_NE(r.output.find("FAIL"), std::string::npos);
    bool names_orders = r.output.find("ord-") != std::string::npos;
    bool names_signals = r.output.find("SIGTERM at t=") != std::string::npos;
    bool names_starts = r.output.find("start #") != std::string::npos;
    EXPECT_TRUE(names_orders || names_signals || names_starts) << "no evidence in the failure text";
  }

  auto schemas = shared_schemas_dir();
  if (!schemas) GTEST_SKIP() << "../shared/schemas is not here: JUnit schema validation skipped";
  EXPECT_EQ(schema_errors(junit, *schemas + "/jenkins-junit-10.xsd"), "");
  EXPECT_EQ(schema_errors(junit, *schemas + "/ant-junit.xsd"), "");
}

std::string case_name(const ::testing::TestParamInfo<FlawCase>& info) {
  std::string n = info.param.flaw.empty() ? "reference" : info.param.flaw;
  if (!info.param.wrapper.empty()) n = "shell_wrapped_" + n;
  const auto& s = info.param.suite;
  n += s.find("cold-start") != std::string::npos   ? "_cold_start"
       : s.find("ambassador") != std::string::npos ? "_ambassador_faults"
                                                   : "_graceful_shutdown";
  for (auto& ch : n)
    if (ch == '-') ch = '_';
  return n;
}

INSTANTIATE_TEST_SUITE_P(FlawTable, Conformance, ::testing::ValuesIn(flaw_table), case_name);

}  // namespace
}  // namespace firedrill::testing
