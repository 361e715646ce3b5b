// telemetry-delivered: every accepted order has at least one span or log
// record carrying its order.id at the telemetry receiver by the end of the
// scenario (SPEC §4), sent by the app directly or through its telemetry
// sidecar. Unknown when the receiver was not observed, or saw nothing at
// all while the app never ran. Evidence: how many and the first order ids
// missing, and when the last record came relative to each SIGTERM (spans
// lost at exit arrive, if ever, after it).
#include <csignal>

#include <fmt/format.h>

#include "checks/evidence.hpp"
#include "checks/registry.hpp"

namespace firedrill::checks {

CheckResult telemetry_delivered(const CheckInput& in) {
  CheckResult r;
  if (!in.telemetry || !in.telemetry->available) {
    r.verdict = Verdict::unknown;
    r.message = "the telemetry receiver's ledger could not be read" +
                (in.telemetry && !in.telemetry->why_not.empty() ? ": " + in.telemetry->why_not : std::string());
    return r;
  }
  const auto& t = *in.telemetry;
  if (t.records == 0 && in.history.events_of(history::EventKind::pod_start).empty()) {
    r.verdict = Verdict::unknown;
    r.message = "the app never ran and the telemetry receiver saw nothing";
    return r;
  }
  std::vector<const history::Operation*> missing;
  std::size_t accepted = 0;
  for (const auto& op : in.history.operations) {
    if (op.outcome != history::Outcome::ok) continue;
    ++accepted;
    if (!t.first_arrival.contains(op.id)) missing.push_back(&op);
  }
  if (missing.empty()) {
    r.verdict = Verdict::pass;
    r.message = fmt::format("all {} accepted orders have a span or log record at the telemetry receiver ({} records)",
                            accepted, t.records);
    return r;
  }
  r.verdict = Verdict::fail;
  r.message = fmt::format("{} of {} accepted orders have no span or log record at the telemetry receiver ({} records "
                          "came)",
                          missing.size(), accepted, t.records);
  add_operations(r, missing);
  std::string last = t.last_arrival_us < 0 ? "no record ever came"
                                           : fmt::format("the last record came at {}", history::format_time(t.last_arrival_us));
  for (const auto* e : in.history.events_of(history::EventKind::signal))
    if (e->signal == SIGTERM && e->delivered && t.last_arrival_us >= 0)
      last += fmt::format("; {:+.3f}s from the SIGTERM at {}",
                          static_cast<double>(t.last_arrival_us - e->at_us) / 1e6, history::format_time(e->at_us));
  r.evidence.push_back(std::move(last));
  r.evidence.push_back(pod_timeline(in.history));
  return r;
}

}  // namespace firedrill::checks
