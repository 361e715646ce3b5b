// in-flight-completed: a request that was in flight when SIGTERM was sent
// (fully written before the signal, or already being answered) must be
// answered, not cut by a reset, an EOF or a timeout. Requests that arrive
// after the signal may be refused; their resets are counted, not failed.
#include <fmt/format.h>

#include "checks/evidence.hpp"
#include "checks/in_flight.hpp"
#include "checks/registry.hpp"
#include "checks/stops.hpp"

namespace firedrill::checks {

CheckResult in_flight_completed(const CheckInput& in) {
  CheckResult r;
  auto stops = sigterms_to_app(in.history);
  if (stops.empty()) {
    r.verdict = Verdict::unknown;
    r.message = "no SIGTERM was sent to the app, so no request could be in flight at one";
    return r;
  }
  std::vector<const history::Operation*> cut;
  std::size_t in_flight = 0, late_resets = 0, missed = 0;
  for (const auto& s : stops) {
    std::int64_t t = s.sigterm->at_us;
    // A SIGTERM that found no app judges nothing: what was cut then was
    // cut by the app's own end (no-unexpected-exits says which).
    if (!s.sigterm->delivered) {
      ++missed;
      r.evidence.push_back(fmt::format("SIGTERM at {}: the app was not running", history::format_time(t)));
      continue;
    }
    for (const auto& op : in.history.operations) {
      if (in_flight_at(op, t)) {
        ++in_flight;
        if (was_cut(op)) cut.push_back(&op);
      } else if (op.sent_us() != history::never && op.sent_us() > t && was_cut(op)) {
        ++late_resets;
      }
    }
  }
  if (!cut.empty()) {
    r.verdict = Verdict::fail;
    r.message = fmt::format("{} of {} requests in flight at SIGTERM were cut instead of answered", cut.size(), in_flight);
    add_operations(r, cut);
    r.evidence.push_back(pod_timeline(in.history));
  } else if (missed) {
    r.verdict = Verdict::unknown;
    r.message = fmt::format("{} of {} SIGTERMs found no app, so what was in flight at them could not be judged; "
                            "the {} requests in flight at the others were answered", missed, stops.size(), in_flight);
  } else {
    r.verdict = Verdict::pass;
    r.message = fmt::format("all {} requests in flight at SIGTERM were answered", in_flight);
  }
  r.evidence.push_back(fmt::format("{} requests sent after SIGTERM were cut (allowed: the service was going away)",
                                   late_resets));
  return r;
}

}  // namespace firedrill::checks
