// in-flight-completed: a request that was in flight when SIGTERM was sent
// (fully written before the signal, or already being answered) must be
// answered, not cut by a reset, an EOF or a timeout. Requests that arrive
// after the signal may be refused; their resets are counted, not failed.
#include <fmt/format.h>

#include "checks/evidence.hpp"
#include "checks/registry.hpp"
#include "checks/stops.hpp"

namespace firedrill::checks {
namespace {

bool was_cut(const history::Operation& op) {
  using history::Reason;
  return op.outcome == history::Outcome::info &&
         (op.reason == Reason::reset || op.reason == Reason::eof || op.reason == Reason::timeout);
}

bool in_flight_at(const history::Operation& op, std::int64_t t) {
  bool written_before = op.written_us() != history::never && op.written_us() <= t;
  bool answering = op.first_byte_us() != history::never && op.first_byte_us() <= t;
  bool still_open = op.completed_us() == history::never || op.completed_us() > t;
  return (written_before || answering) && still_open;
}

}  // namespace

CheckResult in_flight_completed(const CheckInput& in) {
  CheckResult r;
  auto stops = sigterms_to_app(in.history);
  if (stops.empty()) {
    r.verdict = Verdict::unknown;
    r.message = "no SIGTERM was sent to the app, so no request could be in flight at one";
    return r;
  }
  std::vector<const history::Operation*> cut;
  std::size_t in_flight = 0, late_resets = 0;
  for (const auto& s : stops) {
    std::int64_t t = s.sigterm->at_us;
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
  } else {
    r.verdict = Verdict::pass;
    r.message = fmt::format("all {} requests in flight at SIGTERM were answered", in_flight);
  }
  r.evidence.push_back(fmt::format("{} requests sent after SIGTERM were cut (allowed: the service was going away)",
                                   late_resets));
  return r;
}

}  // namespace firedrill::checks
