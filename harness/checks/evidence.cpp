#include "checks/evidence.hpp"

#include <csignal>
#include <cstring>

#include <fmt/format.h>

namespace firedrill::checks {

void add_operations(CheckResult& r, const std::vector<const history::Operation*>& ops) {
  for (std::size_t i = 0; i < ops.size() && i < evidence_limit; ++i) r.evidence.push_back(history::describe(*ops[i]));
  if (ops.size() > evidence_limit) r.evidence.push_back(fmt::format("... and {} more", ops.size() - evidence_limit));
}

std::string signal_name(int sig) {
  const char* abbrev = sigabbrev_np(sig);
  return abbrev ? fmt::format("SIG{}", abbrev) : fmt::format("signal {}", sig);
}

std::string pod_timeline(const history::History& h) {
  using history::EventKind;
  std::string out;
  for (const auto& e : h.events) {
    if (e.container != history::app_container) continue;
    std::string what;
    switch (e.kind) {
      case EventKind::pod_start: what = fmt::format("start #{}", e.generation); break;
      case EventKind::ready: what = "ready"; break;
      case EventKind::signal: what = signal_name(e.signal) + (e.by_harness ? " (grace over)" : ""); break;
      case EventKind::exit:
        what = e.signal ? fmt::format("exit by {}", signal_name(e.signal)) : fmt::format("exit code {}", e.exit_code);
        break;
      default: continue;
    }
    if (!out.empty()) out += ", ";
    out += fmt::format("{} {}", what, history::format_time(e.at_us));
  }
  return "pod: " + (out.empty() ? std::string("no events") : out);
}

}  // namespace firedrill::checks
