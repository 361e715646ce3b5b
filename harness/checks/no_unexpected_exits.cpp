// no-unexpected-exits: every exit of a container of the pod is explained by
// something the harness did to it: a signal of the timeline, a pod stop, a
// rollout or a scale-down (SIGTERMs, all of them), or a SIGKILL of its own
// (a grace deadline, the final reaping). An exit nothing explains is a crash
// under load, whatever its status: a service that exits 0 by itself drops
// its traffic all the same. What follows a SIGTERM is drain-within-grace's
// to judge, and an app that dies before its first ready of a start is
// ready-within's.
#include <algorithm>
#include <csignal>

#include <fmt/format.h>

#include "checks/evidence.hpp"
#include "checks/exit_cause.hpp"
#include "checks/in_flight.hpp"
#include "checks/registry.hpp"

namespace firedrill::checks {
namespace {
using history::Event;
using history::EventKind;

bool before_first_ready(const history::History& h, const Event& exit) {
  for (const auto* ready : h.events_of(EventKind::ready))
    if (ready->generation == exit.generation && ready->at_us <= exit.at_us) return false;
  return true;
}

// What one start of a container printed, from the captured tails.
std::string_view output_of(const CheckInput& in, const std::string& container, int generation) {
  std::string_view all = in.app_output;
  if (container != history::app_container) {
    const std::string head = "--- " + container + " ---\n";
    const auto at = in.sidecar_output.find(head);
    if (at == std::string_view::npos) return {};
    all = in.sidecar_output.substr(at + head.size());
  }
  const std::string head = history::start_header(generation);
  const auto at = all.find(head);
  if (at == std::string_view::npos) return {};
  auto part = all.substr(at + head.size());
  // Up to the next header at the start of a line: the next start, or the next sidecar.
  if (const auto end = part.find("\n--- "); end != std::string_view::npos) part = part.substr(0, end + 1);
  return part;
}

// Its last few lines, on one line: "a | b | c".
std::string last_lines(std::string_view text, std::size_t lines = 3) {
  std::vector<std::string_view> all;
  for (std::size_t from = 0; from < text.size();) {
    const auto nl = std::min(text.find('\n', from), text.size());
    if (nl > from) all.push_back(text.substr(from, nl - from));
    from = nl + 1;
  }
  std::string out;
  for (std::size_t i = all.size() > lines ? all.size() - lines : 0; i < all.size(); ++i)
    out += (out.empty() ? "" : " | ") + std::string(all[i]);
  constexpr std::size_t limit = 400;
  if (out.size() > limit) out = "..." + out.substr(out.size() - limit);
  return out.empty() ? "(nothing)" : out;
}

std::string status_of(const Event& exit) {
  return exit.signal ? "died by " + signal_name(exit.signal) : fmt::format("exited with code {}", exit.exit_code);
}

}  // namespace

CheckResult no_unexpected_exits(const CheckInput& in) {
  CheckResult r;
  if (in.history.events_of(EventKind::pod_start, "").empty()) {
    r.verdict = Verdict::unknown;
    r.message = "no container was started, so none could exit";
    return r;
  }
  std::size_t exits = 0, unexpected = 0;
  for (const auto& e : in.history.events) {
    if (e.kind != EventKind::exit) continue;
    ++exits;
    if (exit_explained(in.history, e, in.limits.grace_us)) continue;
    if (e.container == history::app_container && before_first_ready(in.history, e)) continue;
    ++unexpected;
    if (r.evidence.size() >= evidence_limit) continue;
    std::vector<const history::Operation*> cut;
    if (e.container == history::app_container)
      for (const auto& op : in.history.operations)
        // The client learns of the death at its instant or later.
        if (in_flight_at(op, e.at_us - 1) && was_cut(op)) cut.push_back(&op);
    std::string ids;
    for (std::size_t i = 0; i < cut.size() && i < evidence_limit; ++i) ids += (i ? ", " : "") + cut[i]->id.str();
    r.evidence.push_back(fmt::format(
        "{} start #{} {} at {} with no signal, stop, rollout or scale-down of the harness before it; it cut {} "
        "request{} in flight{}; its output ends: {}",
        e.container, e.generation, status_of(e), history::format_time(e.at_us), cut.size(), cut.size() == 1 ? "" : "s",
        ids.empty() ? "" : " (" + ids + (cut.size() > evidence_limit ? ", ..." : "") + ")",
        last_lines(output_of(in, e.container, e.generation))));
  }
  if (unexpected) {
    r.verdict = Verdict::fail;
    r.message = fmt::format("{} of {} container exits were not the harness's doing (a crash under load)", unexpected,
                            exits);
    if (unexpected > evidence_limit) r.evidence.push_back(fmt::format("... and {} more", unexpected - evidence_limit));
    r.evidence.push_back(pod_timeline(in.history));
  } else {
    r.verdict = Verdict::pass;
    r.message = fmt::format("all {} container exits followed a signal, stop or rollout of the harness", exits);
  }
  return r;
}

}  // namespace firedrill::checks
