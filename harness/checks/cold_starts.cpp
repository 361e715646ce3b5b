#include "checks/cold_starts.hpp"

#include <algorithm>
#include <cmath>
#include <map>

#include "checks/check.hpp"

namespace firedrill::checks {
using history::EventKind;

std::vector<ScaleCycle> scale_cycles(const history::History& h) {
  std::map<int, ScaleCycle> by_number;
  auto cycle = [&](int n) -> ScaleCycle& {
    auto& c = by_number[n];
    c.number = n;
    return c;
  };
  ByOrder<const history::Operation*> ops;
  bool indexed = false;
  for (const auto& e : h.events) {
    if (e.container != history::activator_lane) continue;
    switch (e.kind) {
      case EventKind::scale_down: cycle(e.generation).scale_down = &e; break;
      case EventKind::at_zero:
        if (!cycle(e.generation).at_zero) cycle(e.generation).at_zero = &e;
        break;
      case EventKind::scale_up:
        if (!cycle(e.generation).scale_up) cycle(e.generation).scale_up = &e;
        break;
      case EventKind::serving: cycle(e.generation).serving = &e; break;
      case EventKind::held:
      case EventKind::hold_timeout:
      case EventKind::hold_overflow: {
        if (!indexed) {
          ops.reserve(h.operations.size());
          for (const auto& op : h.operations) ops.emplace(op.id, &op);
          indexed = true;
        }
        const auto it = ops.find(history::OrderId(e.detail));
        cycle(e.generation).held.push_back({&e, it == ops.end() ? nullptr : it->second});
        break;
      }
      default: break;
    }
  }
  std::vector<ScaleCycle> out;
  for (auto& [n, c] : by_number) {
    std::stable_sort(c.held.begin(), c.held.end(),
                     [](const HeldRequest& a, const HeldRequest& b) { return a.arrived_us() < b.arrived_us(); });
    // The app's first start at or after the scale-up.
    if (c.scale_up)
      for (const auto* s : h.events_of(EventKind::pod_start))
        if (s->at_us >= c.scale_up->at_us) {
          c.app_start = s;
          break;
        }
    if (c.app_start)
      for (const auto& r : c.held)
        if (r.op && r.op->outcome == history::Outcome::ok && r.op->completed_us() >= c.app_start->at_us &&
            (c.cold_start_us < 0 || r.op->completed_us() - c.app_start->at_us < c.cold_start_us))
          c.cold_start_us = r.op->completed_us() - c.app_start->at_us;
    out.push_back(std::move(c));
  }
  return out;
}

std::int64_t percentile(std::vector<std::int64_t>& values, double p) {
  if (values.empty()) return -1;
  std::sort(values.begin(), values.end());
  const auto rank = static_cast<std::size_t>(std::ceil(p / 100.0 * static_cast<double>(values.size())));
  return values[std::clamp<std::size_t>(rank, 1, values.size()) - 1];
}

}  // namespace firedrill::checks
