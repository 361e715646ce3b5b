#include "engine/scenario_result.hpp"

namespace firedrill::engine {

int exit_code_of(const RunResult& run) {
  bool harness_failed = false, check_failed = false;
  std::size_t evaluated = 0;
  for (const auto& s : run.scenarios) {
    if (s.harness_error) harness_failed = true;
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
