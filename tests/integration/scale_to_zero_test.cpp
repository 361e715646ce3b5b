// Scale-to-zero through the real binary (SPEC §3): the hold the activator
// measures against a start delay known in advance, the per-cycle figures
// of the JSON report (valid against its schema), and a bad `scaling`
// refused with exit 2 before anything runs.
#include <gtest/gtest.h>

#include <fstream>

#include <boost/json.hpp>

#include "support/paths.hpp"
#include "support/run_firedrill.hpp"

namespace firedrill::testing {
namespace {
namespace json = boost::json;

double number(const json::value& v) { return v.is_double() ? v.as_double() : static_cast<double>(v.as_int64()); }

TEST(ScaleToZero, TheHoldOfAColdStartCoversTheAppsKnownStartDelay) {
  const auto dir = scratch_dir("scale-to-zero");
  auto r = run_command({bin_path("firedrill"), "run", source_path("tests/suites/known-start-delay.yaml"), "--seed", "3",
                        "--runs-dir", dir + "/runs", "--json", dir + "/run.json"});
  ASSERT_EQ(r.exit_code, 0) << r.output;
  EXPECT_EQ(json_schema_errors(dir + "/run.json"), "");
  const json::value doc = json::parse(read_file(dir + "/run.json"));
  const auto& scaling = doc.at("suites").at(0).at("scenarios").at(0).at("scaling").as_array();
  ASSERT_GE(scaling.size(), 1u) << r.output;
  const auto& c = scaling.at(0).as_object();
  EXPECT_FALSE(c.at("scale_down_s").is_null());
  EXPECT_GE(number(c.at("held")), 1);
  EXPECT_EQ(number(c.at("refused_by_activator")), 0);
  // The first held request started the pod, which listens 3 s later: it
  // waited at least that, and (generously, on a loaded machine) not
  // seconds more. The cold start ends at its accepted answer.
  const double hold_max = number(c.at("hold_ms").at("max"));
  EXPECT_GE(hold_max, 2990) << r.output;
  EXPECT_LE(hold_max, 9000) << r.output;
  EXPECT_GE(number(c.at("cold_start_ms")), 2990);
  EXPECT_GE(number(c.at("ready_s")), number(c.at("app_start_s")) + 2.99);
  // Released right after the activator's probe saw 200: far under the
  // 10 ms probe interval's worth of slack times a hundred.
  EXPECT_LE(number(c.at("release_lag_ms").at("max")), 1000);
}

TEST(ScaleToZero, BadScalingIsExit2WithFileLineAndColumn) {
  const auto dir = scratch_dir("scale-to-zero-bad");
  const std::string path = dir + "/bad.yaml";
  std::ofstream(path) << "target: {command: app}\nscenarios:\n  - name: a\n    checks: [cold-start-within]\n"
                         "    load: {rate: 10/s, duration: 2s}\n    scaling: {to-zero-after: 5s}\n";
  auto r = run_command({bin_path("firedrill"), "validate", path}, 60);
  EXPECT_EQ(r.exit_code, 2) << r.output;
  EXPECT_NE(r.output.find(path + ":6:30: to-zero-after is 5s but the load lasts 2s"), std::string::npos) << r.output;
}

}  // namespace
}  // namespace firedrill::testing
