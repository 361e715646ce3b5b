#include "history/history.hpp"

#include <fmt/format.h>

namespace firedrill::history {

std::vector<const Event*> History::events_of(EventKind kind, std::string_view container) const {
  std::vector<const Event*> out;
  for (const auto& e : events)
    if (e.kind == kind && (container.empty() || e.container == container)) out.push_back(&e);
  return out;
}

std::string format_time(std::int64_t at_us) {
  if (at_us == never) return "never";
  return fmt::format("t={:.3f}s", static_cast<double>(at_us) / 1e6);
}

std::string describe(const Operation& op) {
  std::string s = fmt::format("{} intended {} sent {} completed {} -> {} ({}", op.id, format_time(op.intended_us()),
                              format_time(op.sent_us()), format_time(op.completed_us()), to_string(op.outcome),
                              to_string(op.reason));
  if (op.status) s += fmt::format(" {}", op.status);
  if (op.retried) s += ", retried";
  s += fmt::format(", conn {})", op.connection);
  return s;
}

}  // namespace firedrill::history
