// no-leftover-processes: once every container of the pod has exited, no
// process of the pod may still be alive — a daemon that escaped with
// setsid(), a child a shell wrapper left behind. The harness records each
// one it finds (pid and command line) before it kills it.
#include <fmt/format.h>

#include "checks/evidence.hpp"
#include "checks/registry.hpp"

namespace firedrill::checks {

CheckResult no_leftover_processes(const CheckInput& in) {
  CheckResult r;
  auto leftovers = in.history.events_of(history::EventKind::leftover, "");
  auto exits = in.history.events_of(history::EventKind::exit, history::app_container);
  if (exits.empty()) {
    r.verdict = Verdict::unknown;
    r.message = "the app never exited, so nothing could outlive it";
    return r;
  }
  if (leftovers.empty()) {
    r.verdict = Verdict::pass;
    r.message = "no process of the pod outlived it";
    return r;
  }
  r.verdict = Verdict::fail;
  r.message = fmt::format("{} processes of the pod were still alive after it exited (firedrill killed them)",
                          leftovers.size());
  for (std::size_t i = 0; i < leftovers.size() && i < evidence_limit; ++i)
    r.evidence.push_back(fmt::format("{} at {}", leftovers[i]->detail, history::format_time(leftovers[i]->at_us)));
  if (leftovers.size() > evidence_limit) r.evidence.push_back(fmt::format("... and {} more", leftovers.size() - evidence_limit));
  r.evidence.push_back(pod_timeline(in.history));
  return r;
}

}  // namespace firedrill::checks
