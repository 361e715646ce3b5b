#include "reports/figures.hpp"

#include <algorithm>
#include <cmath>

#include <fmt/format.h>

#include "checks/stops.hpp"

namespace firedrill::reports {
namespace {

double seconds(std::int64_t us) { return static_cast<double>(us) / 1e6; }

double percentile(const std::vector<double>& sorted, double p) {
  if (sorted.empty()) return 0;
  // Nearest rank: the smallest value with at least p of the samples at or below it.
  auto rank = static_cast<std::size_t>(std::ceil(p * static_cast<double>(sorted.size())));
  return sorted[std::clamp<std::size_t>(rank, 1, sorted.size()) - 1];
}

}  // namespace

Figures figures_of(const engine::ScenarioResult& s) {
  using history::Outcome;
  Figures f;
  std::vector<double> latencies;
  for (const auto& op : s.history.operations) {
    ++f.counts.total;
    if (op.outcome == Outcome::ok) ++f.counts.accepted;
    if (op.outcome == Outcome::fail) ++f.counts.refused;
    if (op.outcome == Outcome::info) {
      ++f.counts.indeterminate;
      if (s.readback.state_of(op.id) == checks::Stored::yes) ++f.counts.recovered;
    }
    if (op.retried) ++f.counts.retried;
    if (op.completed_us() != history::never && op.intended_us() != history::never)
      latencies.push_back(static_cast<double>(op.completed_us() - op.intended_us()) / 1e3);
  }
  std::sort(latencies.begin(), latencies.end());
  f.latency = {percentile(latencies, 0.50), percentile(latencies, 0.90), percentile(latencies, 0.99),
               latencies.empty() ? 0 : latencies.back(), latencies.size()};

  for (const auto& stop : checks::sigterms_to_app(s.history)) {
    if (!stop.sigterm->delivered) continue;  // found no app: no drain to show
    Drain d;
    d.sigterm_at_s = seconds(stop.sigterm->at_us);
    d.sigkilled = stop.kill != nullptr;
    if (stop.exit) {
      d.drain_s = seconds(stop.exit->at_us - stop.sigterm->at_us);
      if (stop.exit->signal) d.exit_signal = stop.exit->signal;
      else d.exit_code = stop.exit->exit_code;
    }
    const history::Event* flip = stop.not_ready;
    if (stop.exit && (!flip || stop.exit->at_us < flip->at_us)) flip = stop.exit;
    if (flip) d.readiness_flip_s = seconds(flip->at_us - stop.sigterm->at_us);
    f.drains.push_back(d);
  }
  for (const auto& e : s.history.events) {
    if (e.kind == history::EventKind::pod_start && e.container == history::app_container) ++f.starts;
    if (e.kind == history::EventKind::fault_on) f.faults.push_back({e.container, e.detail, seconds(e.at_us), {}});
    if (e.kind == history::EventKind::fault_off)
      for (auto& w : f.faults)
        if (!w.to_s && w.on == e.container && w.fault == e.detail) {
          w.to_s = seconds(e.at_us);
          break;
        }
  }
  return f;
}

std::string describe_load_phases(const std::vector<engine::LoadPhaseFigures>& phases) {
  std::string out;
  for (const auto& p : phases) {
    const std::string asked = p.from_rate == p.to_rate
                                  ? (p.from_rate == 0 ? "idle" : fmt::format("{:g}/s", p.from_rate))
                                  : fmt::format("{:g}->{:g}/s", p.from_rate, p.to_rate);
    out += fmt::format("{}{} for {:.1f}s: {} sent ({:.1f}/s)", out.empty() ? "" : "; ", asked,
                       static_cast<double>(p.duration_us) / 1e6, p.launched, p.achieved_rate());
  }
  return out;
}

}  // namespace firedrill::reports
