// error-budget: the share of orders that were not accepted must stay within
// the suite's budget — a strict one outside disruption windows, a looser one
// within them. A disruption window is a fault window (fault-on to fault-off)
// or the time from a signal, stop or rollout until the app is ready again:
// refusals there are the service protecting itself, not an outage.
#include <algorithm>
#include <limits>

#include <fmt/format.h>

#include "checks/evidence.hpp"
#include "checks/registry.hpp"

namespace firedrill::checks {
namespace {

struct Window {
  std::int64_t from, to;
};

std::vector<Window> disruption_windows(const history::History& h) {
  using history::EventKind;
  std::vector<Window> out;
  const std::int64_t end = std::numeric_limits<std::int64_t>::max();
  for (const auto& e : h.events) {
    if (e.kind == EventKind::fault_on) {
      std::int64_t to = end;
      for (const auto& f : h.events)
        if (f.kind == EventKind::fault_off && f.detail == e.detail && f.container == e.container && f.at_us >= e.at_us) {
          to = f.at_us;
          break;
        }
      out.push_back({e.at_us, to});
    } else if (e.kind == EventKind::signal && e.container == history::app_container && !e.by_harness &&
               e.delivered) {  // a signal that found no app disrupted nothing: the crash before it did
      std::int64_t to = end;
      for (const auto& f : h.events)
        if (f.kind == EventKind::ready && f.container == history::app_container && f.at_us > e.at_us) {
          to = f.at_us;
          break;
        }
      out.push_back({e.at_us, to});
    }
  }
  return out;
}

}  // namespace

CheckResult error_budget(const CheckInput& in) {
  CheckResult r;
  const auto windows = disruption_windows(in.history);
  auto within = [&](std::int64_t t) {
    return std::any_of(windows.begin(), windows.end(), [t](const Window& w) { return t >= w.from && t < w.to; });
  };
  std::size_t total[2] = {0, 0}, bad[2] = {0, 0};  // [0] outside, [1] within
  std::vector<const history::Operation*> bad_outside;
  for (const auto& op : in.history.operations) {
    const int k = within(op.intended_us()) ? 1 : 0;
    ++total[k];
    if (op.outcome != history::Outcome::ok) {
      ++bad[k];
      if (k == 0) bad_outside.push_back(&op);
    }
  }
  if (total[0] + total[1] == 0) {
    r.verdict = Verdict::unknown;
    r.message = "no order was sent, so there is no share to judge";
    return r;
  }
  auto share = [&](int k) { return total[k] ? static_cast<double>(bad[k]) / static_cast<double>(total[k]) : 0.0; };
  const auto& b = in.limits.error_budget;
  const bool over_outside = share(0) > b.outside, over_within = share(1) > b.within;
  const std::string figures =
      fmt::format("{} of {} orders not accepted outside disruption windows ({:.2f}%, budget {:.2f}%), {} of {} within "
                  "them ({:.2f}%, budget {:.2f}%)",
                  bad[0], total[0], 100 * share(0), 100 * b.outside, bad[1], total[1], 100 * share(1), 100 * b.within);
  r.verdict = over_outside || over_within ? Verdict::fail : Verdict::pass;
  r.message = (r.verdict == Verdict::fail ? "error budget exceeded: " : "within the error budget: ") + figures;
  for (const auto& w : windows)
    r.evidence.push_back(fmt::format("disruption window {} to {}", history::format_time(w.from),
                                     w.to == std::numeric_limits<std::int64_t>::max() ? std::string("the end")
                                                                                       : history::format_time(w.to)));
  if (over_outside) add_operations(r, bad_outside);
  return r;
}

}  // namespace firedrill::checks
