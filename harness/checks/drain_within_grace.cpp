// drain-within-grace: after every SIGTERM the app exits by itself, before the
// grace period ends, with an allowed exit code (Kubernetes semantics: what is
// still alive at the deadline gets SIGKILL, and that is a failure).
#include <algorithm>

#include <fmt/format.h>

#include "checks/evidence.hpp"
#include "checks/registry.hpp"
#include "checks/stops.hpp"

namespace firedrill::checks {

CheckResult drain_within_grace(const CheckInput& in) {
  CheckResult r;
  auto stops = sigterms_to_app(in.history);
  if (stops.empty()) {
    r.verdict = Verdict::unknown;
    r.message = "no SIGTERM was sent to the app, so its drain could not be observed";
    return r;
  }
  const auto& allowed = in.limits.allowed_exit_codes;
  std::size_t bad = 0, unobserved = 0;
  for (const auto& s : stops) {
    std::string at = history::format_time(s.sigterm->at_us);
    if (!s.sigterm->delivered) {
      ++unobserved;
      r.evidence.push_back(fmt::format("SIGTERM at {}: the app was not running, so no drain could be observed", at));
      continue;
    }
    if (!s.exit) {
      ++unobserved;
      r.evidence.push_back(fmt::format("SIGTERM at {}: no exit was observed", at));
      continue;
    }
    double took = static_cast<double>(s.exit->at_us - s.sigterm->at_us) / 1e6;
    if (s.kill) {
      ++bad;
      r.evidence.push_back(fmt::format("SIGTERM at {}: still running when the {:.3f}s grace period ended; SIGKILLed at {}",
                                       at, static_cast<double>(in.limits.grace_us) / 1e6,
                                       history::format_time(s.kill->at_us)));
    } else if (s.exit->signal) {
      ++bad;
      r.evidence.push_back(fmt::format("SIGTERM at {}: died by {} after {:.3f}s instead of exiting", at,
                                       signal_name(s.exit->signal), took));
    } else if (std::find(allowed.begin(), allowed.end(), s.exit->exit_code) == allowed.end()) {
      ++bad;
      r.evidence.push_back(fmt::format("SIGTERM at {}: exited with code {} after {:.3f}s (allowed: {})", at,
                                       s.exit->exit_code, took, fmt::join(allowed, ", ")));
    } else {
      r.evidence.push_back(fmt::format("SIGTERM at {}: exited with code {} after {:.3f}s", at, s.exit->exit_code, took));
    }
  }
  if (bad) {
    r.verdict = Verdict::fail;
    r.message = fmt::format("{} of {} SIGTERMs did not end in a clean exit within the grace period", bad, stops.size());
  } else if (unobserved) {
    r.verdict = Verdict::unknown;
    r.message = fmt::format("{} of {} SIGTERMs had no observed exit (or found no app)", unobserved, stops.size());
  } else {
    r.verdict = Verdict::pass;
    r.message = fmt::format("all {} SIGTERMs ended in a clean exit within the grace period", stops.size());
  }
  return r;
}

}  // namespace firedrill::checks
