#include "checks/stops.hpp"

#include <csignal>

namespace firedrill::checks {

std::vector<Stop> sigterms_to_app(const history::History& h) {
  using history::EventKind;
  std::vector<Stop> stops;
  for (const auto& e : h.events) {
    if (e.container != history::app_container || e.kind != EventKind::signal || e.signal != SIGTERM) continue;
    Stop s{&e};
    if (!e.delivered) {
      stops.push_back(s);
      continue;
    }
    for (const auto& f : h.events) {
      if (f.container != history::app_container || f.generation != e.generation || f.at_us < e.at_us) continue;
      if (f.kind == EventKind::exit && !s.exit) s.exit = &f;
      if (f.kind == EventKind::signal && f.signal == SIGKILL && f.by_harness && !s.kill) s.kill = &f;
      if (f.kind == EventKind::not_ready && !s.not_ready) s.not_ready = &f;
    }
    stops.push_back(s);
  }
  return stops;
}

}  // namespace firedrill::checks
