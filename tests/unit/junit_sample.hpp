// Hand-built runs for the JUnit tests of both flavours: every outcome
// SPEC §5 maps (fail, unknown, pass, not picked, a scenario the harness
// could not run, one cut off mid-run, one a merge lacks) and the hostile
// bytes an app may print (escape codes, NUL, invalid UTF-8, "]]>").
#pragma once
#include <chrono>
#include <string>
#include <vector>

#include "engine/scenario_result.hpp"

namespace firedrill::reports::sample {

using checks::CheckResult;
using checks::Verdict;

// One suite: a scenario with a failure, an unknown (error), a pass and
// skips; and one the harness could not start.
inline engine::RunResult run() {
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

// run(), plus an all-green scenario with sidecar output, one the harness
// was killed during (incomplete), and a second suite whose scenario a
// merge did not find.
inline std::vector<engine::RunResult> every_kind() {
  auto first = run();
  engine::ScenarioResult green = first.scenarios[0];
  green.name = "sigterm-idle";
  green.results = {CheckResult{"accepted-orders-durable", Verdict::pass, "ok", {}},
                   CheckResult{"drain-within-grace", Verdict::pass, "ok", {}},
                   CheckResult{"readiness-flips", Verdict::pass, "ok", {}}};
  green.sidecar_output = "[ambassador] \x1b[2mstopping\x1b[0m \xc3\x28\n";
  first.scenarios.push_back(green);
  engine::ScenarioResult cut = first.scenarios[0];
  cut.name = "sigkill-mid-rush";
  cut.results.clear();
  cut.app_output = std::string("half a line\0\x7f ]]>", 19);
  cut.harness_error = "interrupted: the harness ended (killed, or crashed) while this scenario ran";
  first.scenarios.push_back(cut);
  engine::RunResult second{"shards", "tests/suites/shards.yaml", 42};
  engine::ScenarioResult missing;
  missing.name = "no-stop";
  missing.missing = true;
  missing.harness_error = "missing: shard 2/2 was not merged";
  second.scenarios.push_back(missing);
  return {first, second};
}

}  // namespace firedrill::reports::sample
