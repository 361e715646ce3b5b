// ready-within: every start of the app (first start, restart after a kill,
// the new pod of a rollout) answers /readyz 200 within the limit.
#include <algorithm>
#include <cstdint>

#include <fmt/format.h>

#include "checks/evidence.hpp"
#include "checks/registry.hpp"

namespace firedrill::checks {

CheckResult ready_within(const CheckInput& in) {
  using history::EventKind;
  CheckResult r;
  auto starts = in.history.events_of(EventKind::pod_start);
  if (starts.empty()) {
    // A native sidecar that never started keeps the app from starting, as
    // the kubelet would: the pod was not ready, which is a failure.
    for (const auto* note : in.history.events_of(EventKind::start_note, ""))
      if (note->detail.starts_with("native sidecar not started")) {
        r.verdict = Verdict::fail;
        r.message = "the app was never started: a native sidecar was not started first";
        r.evidence.push_back(fmt::format("{} start #{} at {}: {}", note->container, note->generation,
                                         history::format_time(note->at_us), note->detail));
        return r;
      }
    r.verdict = Verdict::unknown;
    r.message = "the app was never started";
    return r;
  }
  const double limit = static_cast<double>(in.limits.ready_within_us) / 1e6;
  std::size_t slow = 0;
  for (const auto* start : starts) {
    const history::Event* ready = nullptr;
    for (const auto* e : in.history.events_of(EventKind::ready))
      if (e->generation == start->generation) { ready = e; break; }
    if (!ready) {
      ++slow;
      // What the probe last got while the app was left alone: once it is
      // signalled or gone, "connection refused" says nothing about why.
      std::int64_t left_alone_until = INT64_MAX;
      for (const auto kind : {EventKind::signal, EventKind::exit})
        for (const auto* e : in.history.events_of(kind))
          if (e->generation == start->generation) left_alone_until = std::min(left_alone_until, e->at_us);
      std::string why, probe;
      for (const auto* e : in.history.events_of(EventKind::not_ready))
        if (e->generation == start->generation && !e->detail.empty() && e->at_us < left_alone_until) probe = e->detail;
      if (!probe.empty()) probe = "; the readiness probe last got: " + probe;
      for (const auto* e : in.history.events_of(EventKind::start_note))
        if (e->generation == start->generation) probe += "; " + e->detail;
      for (const auto* e : in.history.events_of(EventKind::exit))
        if (e->generation == start->generation)
          why = e->signal ? fmt::format(" (died by {} at {})", signal_name(e->signal), history::format_time(e->at_us))
                          : fmt::format(" (exited with code {} at {})", e->exit_code, history::format_time(e->at_us));
      r.evidence.push_back(fmt::format("start #{} at {}: never became ready{}{}", start->generation,
                                       history::format_time(start->at_us), why, probe));
      continue;
    }
    double took = static_cast<double>(ready->at_us - start->at_us) / 1e6;
    bool late = ready->at_us - start->at_us > in.limits.ready_within_us;
    if (late) ++slow;
    r.evidence.push_back(fmt::format("start #{} at {}: ready after {:.3f}s{}", start->generation,
                                     history::format_time(start->at_us), took, late ? " (too late)" : ""));
  }
  if (slow) {
    r.verdict = Verdict::fail;
    r.message = fmt::format("{} of {} starts were not ready within {:.3f}s", slow, starts.size(), limit);
  } else {
    r.verdict = Verdict::pass;
    r.message = fmt::format("all {} starts were ready within {:.3f}s", starts.size(), limit);
  }
  return r;
}

}  // namespace firedrill::checks
