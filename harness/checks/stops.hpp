// Pairs each SIGTERM the harness sent to the app with what followed it in the
// same start of the app: the harness's SIGKILL (if grace ran out) and
// the exit. Three checks reason about exactly this, so it is derived once.
#pragma once
#include <vector>

#include "history/history.hpp"

namespace firedrill::checks {

struct Stop {
  const history::Event* sigterm = nullptr;    // delivered false: it found no app, and nothing after it is its doing
  const history::Event* kill = nullptr;       // SIGKILL after the grace period, if any
  const history::Event* exit = nullptr;       // nullptr: no exit was observed
  const history::Event* not_ready = nullptr;  // first /readyz != 200 after the SIGTERM
};

std::vector<Stop> sigterms_to_app(const history::History& h);

}  // namespace firedrill::checks
