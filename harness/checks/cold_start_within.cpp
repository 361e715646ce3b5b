// cold-start-within (SPEC §4): every request the activator held while the
// pod was at zero or starting is accepted within the cold-start limit of
// its arrival. It fails when a held request waited longer, was answered
// 503 by the activator (hold-timeout, max-held), or was refused or cut by
// an app that had already said it was ready (readiness before serving).
#include <fmt/format.h>

#include "checks/cold_starts.hpp"
#include "checks/registry.hpp"

namespace firedrill::checks {
namespace {

using history::format_time;

std::string ms(std::int64_t us) { return us < 0 ? "-" : fmt::format("{:.0f}ms", static_cast<double>(us) / 1e3); }

// What became of one held request, on one line: its arrival, hold, release
// and answer, and its cycle's pod start and readiness.
std::string describe_held(const HeldRequest& r, const ScaleCycle& c) {
  std::string how;
  switch (r.end->kind) {
    case history::EventKind::hold_timeout:
      how = fmt::format("answered 503 by the activator at {} after {} held (hold-timeout)", format_time(r.end->at_us),
                        ms(r.hold_us()));
      break;
    case history::EventKind::hold_overflow: how = "answered 503 by the activator at once (max-held reached)"; break;
    default:
      how = fmt::format("held {}, released to the app at {}", ms(r.hold_us()), format_time(r.end->at_us));
      if (r.op)
        how += fmt::format(", answered at {} ({})", format_time(r.op->completed_us()),
                           r.op->outcome == history::Outcome::ok ? fmt::format("accepted, {} after arrival",
                                                                               ms(r.op->completed_us() - r.arrived_us()))
                                                                 : std::string(history::to_string(r.op->reason)) +
                                                                       (r.op->status ? fmt::format(" {}", r.op->status) : ""));
  }
  return fmt::format("order {} arrived {}: {}; cycle {}: pod start {}, activator saw ready {}", r.end->detail,
                     format_time(r.arrived_us()), how, c.number, c.app_start ? format_time(c.app_start->at_us) : "never",
                     c.serving ? format_time(c.serving->at_us) : "never");
}

}  // namespace

CheckResult cold_start_within(const CheckInput& in) {
  CheckResult r;
  const auto cycles = scale_cycles(in.history);
  std::vector<std::int64_t> holds, latencies;
  std::size_t held = 0, late = 0, cold_starts = 0;
  for (const auto& c : cycles) {
    cold_starts += c.scale_up != nullptr;
    for (const auto& h : c.held) {
      ++held;
      holds.push_back(h.hold_us());
      if (h.op && h.op->completed_us() >= 0) latencies.push_back(h.op->completed_us() - h.op->intended_us());
      const bool accepted = h.released() && h.op && h.op->outcome == history::Outcome::ok;
      const bool in_time = accepted && h.op->completed_us() - h.arrived_us() <= in.limits.cold_start_us;
      if (in_time) continue;
      ++late;
      if (r.evidence.size() < evidence_limit) r.evidence.push_back(describe_held(h, c));
    }
  }
  if (held == 0) {
    r.verdict = Verdict::unknown;
    r.message = cold_starts ? "the pod was started from zero, but no request was held to measure it by"
                            : "no request was held: the pod never scaled to zero (no `scaling`, or no idle gap longer "
                              "than to-zero-after)";
    return r;
  }
  const std::string figures =
      fmt::format("hold p50 {} p99 {} max {}; latency of held requests p50 {} p99 {} max {}", ms(percentile(holds, 50)),
                  ms(percentile(holds, 99)), ms(percentile(holds, 100)), ms(percentile(latencies, 50)),
                  ms(percentile(latencies, 99)), ms(percentile(latencies, 100)));
  const double limit = static_cast<double>(in.limits.cold_start_us) / 1e6;
  if (late) {
    r.verdict = Verdict::fail;
    r.message = fmt::format("{} of {} requests held in {} cold starts were not accepted within {:.3f}s of their "
                            "arrival ({})", late, held, cold_starts, limit, figures);
  } else {
    r.verdict = Verdict::pass;
    r.message = fmt::format("all {} requests held in {} cold starts were accepted within {:.3f}s ({})", held,
                            cold_starts, limit, figures);
    for (const auto& c : cycles)
      if (c.scale_up && r.evidence.size() < evidence_limit)
        r.evidence.push_back(fmt::format("cycle {}: scale-down {}, pod start {}, ready {}, cold start {}, {} held",
                                         c.number, c.scale_down ? format_time(c.scale_down->at_us) : "-",
                                         c.app_start ? format_time(c.app_start->at_us) : "-",
                                         c.serving ? format_time(c.serving->at_us) : "-", ms(c.cold_start_us),
                                         c.held.size()));
  }
  return r;
}

}  // namespace firedrill::checks
