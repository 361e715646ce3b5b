#include "reports/timeline_model.hpp"

#include <algorithm>
#include <csignal>
#include <cstdlib>
#include <map>

#include <fmt/format.h>

#include "checks/evidence.hpp"
#include "checks/exit_cause.hpp"

namespace firedrill::reports {
namespace {

using history::Event;
using history::EventKind;

std::int64_t end_of(const history::History& h) {
  std::int64_t end = 1'000'000;  // at least a second, so an empty run still has an axis
  for (const auto& e : h.events) end = std::max(end, e.at_us);
  for (const auto& op : h.operations) end = std::max({end, op.intended_us(), op.sent_us(), op.completed_us()});
  return end;
}

std::int64_t bucket_for(std::int64_t end_us) {
  for (std::int64_t ms : {100, 200, 250, 500, 1000, 2000, 5000, 10000, 30000, 60000, 300000})
    if (end_us <= ms * 1000 * max_buckets) return ms * 1000;
  return (end_us / max_buckets / 1'000'000 + 1) * 1'000'000;
}

// The slice an order belongs to is when it went on the wire: that is what
// lines up with a signal. Orders never sent sit at their intended time.
void fill_buckets(const history::History& h, TimelineModel& m) {
  std::vector<Bucket> all(static_cast<std::size_t>(m.end_us / m.bucket_us));
  for (const auto& op : h.operations) {
    const std::int64_t t = op.sent_us() != history::never ? op.sent_us() : op.intended_us();
    if (t < 0) continue;
    auto& b = all[std::min(all.size() - 1, static_cast<std::size_t>(t / m.bucket_us))];
    switch (op.outcome) {
      case history::Outcome::ok: ++b.accepted; break;
      case history::Outcome::fail: ++b.refused; break;
      case history::Outcome::info: ++b.indeterminate; break;
    }
  }
  for (std::size_t i = 0; i < all.size(); ++i) {
    if (!all[i].total()) continue;
    all[i].start_us = static_cast<std::int64_t>(i) * m.bucket_us;
    m.max_bucket = std::max(m.max_bucket, all[i].total());
    m.buckets.push_back(all[i]);
  }
}

std::string exit_text(const Event& e) {
  return e.signal ? "exit by " + checks::signal_name(e.signal) : fmt::format("exit {}", e.exit_code);
}

// The marker an event gets, or none: readiness and starts are the app's;
// signals, exits, deadlines and leftovers are drawn for every container.
bool marker_of(const history::History& h, std::int64_t grace_us, const Event& e, int app_starts_before, Marker& m) {
  const bool app = e.container == history::app_container;
  switch (e.kind) {
    case EventKind::pod_start:
      if (!app) return false;
      m.kind = app_starts_before ? "restart" : "start";
      m.label = app_starts_before ? fmt::format("restart #{}", app_starts_before + 1) : "start";
      break;
    case EventKind::ready: if (!app) return false; m = {0, "ready", "ready", ""}; break;
    case EventKind::not_ready: if (!app) return false; m = {0, "not-ready", "not ready", ""}; break;
    case EventKind::signal:
      m.kind = e.signal == SIGTERM ? "sigterm" : e.signal == SIGKILL ? "sigkill" : "signal";
      m.label = checks::signal_name(e.signal) + (e.by_harness ? " (grace over)" : "");
      break;
    case EventKind::exit:
      // An exit no signal of the harness explains is a crash (no-unexpected-exits).
      if (checks::exit_explained(h, e, grace_us)) m = {0, "exit", exit_text(e), ""};
      else m = {0, "crash", "crash: " + exit_text(e), ""};
      break;
    case EventKind::grace_deadline: m.kind = "grace-deadline"; m.label = "grace deadline"; break;
    case EventKind::leftover: m.kind = "leftover"; m.label = "leftover process"; break;
    case EventKind::scale_down: m.kind = "scale-down"; m.label = fmt::format("scale to zero #{}", e.generation); break;
    case EventKind::scale_up: m.kind = "scale-up"; m.label = fmt::format("cold start #{}", e.generation); break;
    default: return false;
  }
  m.at_us = e.at_us;
  m.title = fmt::format("{} ({}) {}", m.label, e.container, history::format_time(e.at_us));
  if (!e.detail.empty()) m.title += ": " + e.detail;
  // What explains a start (a restart-policy's back-off, what held the port).
  if (e.kind == EventKind::pod_start)
    for (const auto* note : h.events_of(EventKind::start_note, e.container))
      if (note->generation == e.generation) m.title += "\n" + note->detail;
  if (!app && e.container != history::pod_lane && e.container != history::activator_lane) m.label += " → " + e.container;
  return true;
}

// A pod stop signals every container at once: one marker with every name
// in its title reads better than a stack of identical lines.
void add_marker(std::vector<Marker>& out, Marker m, std::int64_t fold_us) {
  for (auto& prev : out)
    if (prev.kind == m.kind && std::abs(prev.at_us - m.at_us) <= fold_us) {
      prev.title += "\n" + m.title;
      if (m.label.find(" → ") == std::string::npos) prev.label = m.label;  // the app's wording wins
      return;
    }
  out.push_back(std::move(m));
}

void app_lane(const std::vector<const Event*>& events, TimelineModel& m) {
  std::string state;  // "" = not running
  std::int64_t since = 0;
  auto close = [&](std::int64_t t) {
    if (!state.empty() && t > since)
      m.app_lane.push_back({since, t, state, state == "not-ready" ? "not ready" : state});
    since = t;
  };
  for (const Event* e : events) {
    if (e->container != history::app_container) continue;
    switch (e->kind) {
      case EventKind::pod_start: close(e->at_us); state = "starting"; break;
      case EventKind::ready: close(e->at_us); state = "ready"; break;
      case EventKind::not_ready: if (!state.empty()) { close(e->at_us); state = "not-ready"; } break;
      case EventKind::exit: close(e->at_us); state.clear(); break;
      default: break;
    }
  }
  close(m.end_us);
}

void sidecar_lanes(const std::vector<const Event*>& events, TimelineModel& m) {
  std::map<std::string, std::pair<std::string, std::int64_t>> open;  // name -> state, since
  auto lane_of = [&](const std::string& name) -> ContainerLane& {
    for (auto& l : m.sidecar_lanes)
      if (l.name == name) return l;
    return m.sidecar_lanes.emplace_back(ContainerLane{name, {}});
  };
  auto close = [&](const std::string& name, std::int64_t t) {
    auto it = open.find(name);
    if (it == open.end()) return;
    if (t > it->second.second) lane_of(name).spans.push_back({it->second.second, t, it->second.first, it->second.first});
    open.erase(it);
  };
  for (const Event* e : events) {
    const std::string& c = e->container;
    if (c == history::app_container || c == history::harness_lane || c == history::pod_lane) continue;
    if (e->kind == EventKind::pod_start) {
      close(c, e->at_us);
      lane_of(c);
      open[c] = {"running", e->at_us};
    } else if (e->kind == EventKind::signal && e->signal == SIGTERM && e->delivered && open.count(c) &&
               open[c].first == "running") {
      close(c, e->at_us);
      open[c] = {"stopping", e->at_us};
    } else if (e->kind == EventKind::exit) {
      close(c, e->at_us);
    }
  }
  for (auto it = open.begin(); it != open.end();) close((it++)->first, m.end_us);
}

// The activator's lane (scale-to-zero): serving from the start of load,
// then scaling down, at zero and starting, cycle after cycle.
void activator_lane(const std::vector<const Event*>& events, TimelineModel& m) {
  ContainerLane lane{std::string(history::activator_lane), {}};
  std::string state;
  std::int64_t since = 0;
  bool any = false;
  auto go = [&](std::int64_t t, std::string next) {
    if (!state.empty() && t > since) lane.spans.push_back({since, t, state, state == "at-zero" ? "at zero" : state});
    state = std::move(next);
    since = t;
  };
  for (const Event* e : events) {
    if (e->kind == EventKind::load_start && state.empty()) go(e->at_us, "serving");
    if (e->container != history::activator_lane) continue;
    switch (e->kind) {
      case EventKind::scale_down: any = true; go(e->at_us, "scaling-down"); break;
      case EventKind::at_zero: any = true; go(e->at_us, "at-zero"); break;
      case EventKind::scale_up: any = true; go(e->at_us, "starting"); break;
      case EventKind::serving: any = true; go(e->at_us, "serving"); break;
      default: break;
    }
  }
  if (!any) return;  // no scaling in this scenario, or it never left serving
  go(m.end_us, "");
  m.sidecar_lanes.push_back(std::move(lane));
}

void harness_lane_and_faults(const std::vector<const Event*>& events, TimelineModel& m) {
  std::int64_t load_from = -1;
  std::map<std::string, std::vector<const Event*>> open_faults;  // by dependency
  for (std::size_t i = 0; i < events.size(); ++i) {
    const Event& e = *events[i];
    if (e.kind == EventKind::load_start) load_from = e.at_us;
    if (e.kind == EventKind::load_end && load_from >= 0) {
      m.harness_lane.push_back({load_from, e.at_us, "load", "load"});
      load_from = -1;
    }
    if (e.kind == EventKind::settle_start) {
      // Settling lasts until the final stop's SIGTERM, or to the end.
      std::int64_t to = m.end_us;
      for (std::size_t k = i + 1; k < events.size(); ++k)
        if (events[k]->kind == EventKind::signal && events[k]->container == history::app_container) { to = events[k]->at_us; break; }
      m.harness_lane.push_back({e.at_us, to, "settle", "settle"});
    }
    if (e.kind == EventKind::fault_on) open_faults[e.container].push_back(&e);
    if (e.kind == EventKind::fault_off && !open_faults[e.container].empty()) {
      const Event* on = open_faults[e.container].front();
      open_faults[e.container].erase(open_faults[e.container].begin());
      m.faults.push_back({on->at_us, e.at_us, "fault-window", on->container + ": " + on->detail});
    }
  }
  if (load_from >= 0) m.harness_lane.push_back({load_from, m.end_us, "load", "load"});
  for (auto& [dep, ons] : open_faults)  // never switched off: lasts to the end
    for (const Event* on : ons) m.faults.push_back({on->at_us, m.end_us, "fault-window", dep + ": " + on->detail});
  std::sort(m.faults.begin(), m.faults.end(), [](auto& a, auto& b) { return a.from_us < b.from_us; });
}

}  // namespace

TimelineModel build_timeline(const history::History& h, std::int64_t grace_us) {
  TimelineModel m;
  m.bucket_us = bucket_for(end_of(h));
  m.end_us = (end_of(h) / m.bucket_us + 1) * m.bucket_us;
  fill_buckets(h, m);

  // Exits are recorded from callbacks, so the history is not in time order.
  std::vector<const Event*> events;
  for (const auto& e : h.events) events.push_back(&e);
  std::stable_sort(events.begin(), events.end(), [](auto* a, auto* b) { return a->at_us < b->at_us; });

  int app_starts = 0;
  const std::int64_t fold_us = m.end_us / 400;  // about two pixels
  for (const Event* e : events) {
    Marker mk;
    if (marker_of(h, grace_us, *e, app_starts, mk)) add_marker(m.markers, std::move(mk), fold_us);
    if (e->kind == EventKind::pod_start && e->container == history::app_container) ++app_starts;
  }
  if (grace_us > 0)
    for (const Event* e : events) {
      if (e->kind != EventKind::signal || e->signal != SIGTERM || e->container != history::app_container || e->by_harness ||
          !e->delivered)  // found no app: no grace period ran
        continue;
      bool reached = std::any_of(events.begin(), events.end(), [&](const Event* d) {
        return d->kind == EventKind::grace_deadline && d->container == history::app_container && d->generation == e->generation;
      });
      const std::int64_t at = e->at_us + grace_us;
      if (reached || at > m.end_us) continue;
      Marker mk{at, "grace-deadline", "grace deadline",
                fmt::format("grace deadline of the SIGTERM at {} (not reached: the app had exited)",
                            history::format_time(e->at_us))};
      add_marker(m.markers, std::move(mk), fold_us);
    }
  std::stable_sort(m.markers.begin(), m.markers.end(), [](auto& a, auto& b) { return a.at_us < b.at_us; });
  app_lane(events, m);
  sidecar_lanes(events, m);
  activator_lane(events, m);
  harness_lane_and_faults(events, m);
  return m;
}

}  // namespace firedrill::reports
