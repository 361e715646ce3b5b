// Whether the harness explains a container's exit: a signal it delivered to
// that start of that container before the exit (a step of the timeline, a
// pod stop, a rollout, a scale-down, or a SIGKILL of its own). An exit
// nothing explains is a crash: no-unexpected-exits judges it and the HTML
// timeline marks it.
#pragma once
#include <csignal>

#include "history/history.hpp"

namespace firedrill::checks {

// The signals that end a process (SIGSTOP and SIGCONT do not).
inline bool ends_a_process(int sig) { return sig != SIGSTOP && sig != SIGCONT; }

inline bool exit_explained(const history::History& h, const history::Event& exit) {
  for (const auto& e : h.events)
    if (e.kind == history::EventKind::signal && e.delivered && ends_a_process(e.signal) &&
        e.container == exit.container && e.generation == exit.generation && e.at_us <= exit.at_us)
      return true;
  return false;
}

}  // namespace firedrill::checks
