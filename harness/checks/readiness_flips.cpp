// readiness-flips: after SIGTERM, /readyz stops answering 200 within the
// allowed time, so a load balancer stops sending new work. An exit counts as
// not ready (nothing answers any more).
#include <fmt/format.h>

#include "checks/evidence.hpp"
#include "checks/registry.hpp"
#include "checks/stops.hpp"

namespace firedrill::checks {

CheckResult readiness_flips(const CheckInput& in) {
  CheckResult r;
  auto stops = sigterms_to_app(in.history);
  if (stops.empty()) {
    r.verdict = Verdict::unknown;
    r.message = "no SIGTERM was sent to the app, so no readiness flip could be observed";
    return r;
  }
  const double allowed = static_cast<double>(in.limits.readiness_flip_us) / 1e6;
  std::size_t slow = 0, unobserved = 0;
  for (const auto& s : stops) {
    const history::Event* flip = s.not_ready;
    if (s.exit && (!flip || s.exit->at_us < flip->at_us)) flip = s.exit;
    std::string at = history::format_time(s.sigterm->at_us);
    if (!s.sigterm->delivered) {
      ++unobserved;
      r.evidence.push_back(fmt::format("SIGTERM at {}: the app was not running, so no flip could be observed", at));
      continue;
    }
    if (!flip) {
      ++unobserved;
      r.evidence.push_back(fmt::format("SIGTERM at {}: /readyz never stopped answering 200 and no exit was seen", at));
      continue;
    }
    double took = static_cast<double>(flip->at_us - s.sigterm->at_us) / 1e6;
    bool by_exit = flip == s.exit;
    if (flip->at_us - s.sigterm->at_us > in.limits.readiness_flip_us) {
      ++slow;
      r.evidence.push_back(fmt::format("SIGTERM at {}: /readyz kept answering 200 for {:.3f}s (allowed {:.3f}s){}", at,
                                       took, allowed, by_exit ? ", until the process exited" : ""));
    } else {
      r.evidence.push_back(fmt::format("SIGTERM at {}: not ready after {:.3f}s{}", at, took, by_exit ? " (exited)" : ""));
    }
  }
  if (slow) {
    r.verdict = Verdict::fail;
    r.message = fmt::format("{} of {} SIGTERMs: /readyz kept answering 200 longer than {:.3f}s", slow, stops.size(),
                            allowed);
  } else if (unobserved) {
    r.verdict = Verdict::unknown;
    r.message = fmt::format("{} of {} SIGTERMs: readiness was not observed to flip", unobserved, stops.size());
  } else {
    r.verdict = Verdict::pass;
    r.message = fmt::format("/readyz flipped within {:.3f}s after all {} SIGTERMs", allowed, stops.size());
  }
  return r;
}

}  // namespace firedrill::checks
