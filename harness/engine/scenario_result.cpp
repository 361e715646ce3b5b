#include "engine/scenario_result.hpp"

#include <algorithm>

#include "checks/registry.hpp"

namespace firedrill::engine {

std::vector<checks::CheckResult> evaluate_checks(const ScenarioResult& s) {
  std::vector<checks::CheckResult> out;
  const checks::CheckInput input{s.history, s.readback, s.courier, s.limits, s.payments, s.app_output, s.sidecar_output,
                                 &s.telemetry};
  for (const auto& name : s.picked_checks) {
    if (const auto* def = checks::find_check(name)) {
      out.push_back(checks::run_check(*def, input));
    } else {
      out.push_back({name, checks::Verdict::unknown, "this firedrill does not know the check '" + name + "'", {}});
    }
  }
  return out;
}

bool reports_check(const ScenarioResult& s, std::string_view check) {
  if (s.harness_error && s.picked_checks.empty()) return true;
  return std::find(s.picked_checks.begin(), s.picked_checks.end(), check) != s.picked_checks.end();
}

int exit_code_of(const RunResult& run) {
  bool harness_failed = false, check_failed = false;
  std::size_t evaluated = 0;
  for (const auto& s : run.scenarios) {
    if (s.missing) check_failed = true;
    else if (s.harness_error) harness_failed = true;
    for (const auto& r : s.results) {
      ++evaluated;
      if (r.verdict != checks::Verdict::pass) check_failed = true;
    }
  }
  if (harness_failed) return 3;
  if (check_failed || evaluated == 0) return 1;
  return 0;
}

}  // namespace firedrill::engine
