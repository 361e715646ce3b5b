// Whether the harness explains a container's exit: a signal it delivered to
// that start of that container before the exit (a step of the timeline, a
// pod stop, a rollout, a scale-down, or a SIGKILL of its own). An exit
// nothing explains is a crash: no-unexpected-exits judges it and the HTML
// timeline marks it.
#pragma once
#include <csignal>
#include <cstdint>

#include "history/history.hpp"

namespace firedrill::checks {

// SIGKILL and SIGTERM explain any later exit of the start (what follows a
// SIGTERM is drain-within-grace's to judge, and its grace ends in a
// SIGKILL); SIGINT and SIGQUIT, the other requests to stop, an exit within
// the grace period after them; any other signal (SIGHUP, SIGUSR1, SIGSTOP,
// ...) only a death by that very signal: a reload asked for at 1 s does not
// explain a segfault at 10 s.
inline bool signal_explains(const history::Event& sig, const history::Event& exit, std::int64_t grace_us) {
  if (sig.kind != history::EventKind::signal || !sig.delivered || sig.container != exit.container ||
      sig.generation != exit.generation || sig.at_us > exit.at_us)
    return false;
  if (sig.signal == SIGKILL || sig.signal == SIGTERM) return true;
  if (sig.signal == SIGINT || sig.signal == SIGQUIT) return exit.at_us - sig.at_us <= grace_us;
  return exit.signal == sig.signal;
}

inline bool exit_explained(const history::History& h, const history::Event& exit, std::int64_t grace_us) {
  for (const auto& e : h.events)
    if (signal_explains(e, exit, grace_us)) return true;
  return false;
}

}  // namespace firedrill::checks
