// SPEC §5's JUnit mapping of one scenario, shared by both JUnit flavours
// (junit_report: one <testsuites> file for Jenkins and Ant; surefire_report:
// one <testsuite> file per scenario for Maven Surefire's schemas): one
// testcase per check, the properties, the app's output tail. Each flavour
// decides only where these pieces sit, so the two can never map a verdict
// differently.
#pragma once
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "engine/scenario_result.hpp"

namespace firedrill::reports {

// One check of a scenario as JUnit shows it. Text is raw bytes: the
// renderers escape it.
struct JunitCase {
  enum class Outcome { passed, failed, error, skipped };
  std::string check;
  Outcome outcome = Outcome::passed;
  std::string type;     // of a failure or error
  std::string message;  // of a failure, error or skip
  std::string text;     // the body of a failure or error: message and evidence
};

struct JunitCounts {
  std::size_t tests = 0, failures = 0, errors = 0, skipped = 0;
};

// One case per registered check, in the registry's order: fail → failed,
// unknown → error, not picked → skipped, and every picked check an error
// when the harness could not run the scenario (or a merge lacks it).
std::vector<JunitCase> junit_cases(const engine::ScenarioResult& s);
JunitCounts count_cases(const std::vector<JunitCase>& cases);

// One <testcase> element at `indent`; `inner` (markup, already escaped and
// indented) follows the outcome element inside it.
std::string render_testcase(const JunitCase& c, std::string_view classname, std::string_view indent,
                            std::string_view inner = {});
// The <properties> element (seed, target, suite, scenario, orders) at `indent`.
std::string render_properties(const engine::RunResult& run, const engine::ScenarioResult& s, std::string_view indent);
// The app's output tail as system-out shows it, with a note of what was cut
// before it; raw bytes.
std::string app_output_tail(const engine::ScenarioResult& s);

}  // namespace firedrill::reports
