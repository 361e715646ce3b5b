// The record of one scenario: every operation and every pod event, in the
// order they were recorded. Saved before it is checked (SPEC §5).
#pragma once
#include <string>
#include <vector>

#include "history/event.hpp"
#include "history/operation.hpp"

namespace firedrill::history {

struct History {
  std::vector<Operation> operations;
  std::vector<Event> events;

  // Events of one kind for one container, in time order.
  std::vector<const Event*> events_of(EventKind kind, std::string_view container = app_container) const;
};

// "t=1.234s" — how times appear in evidence and reports.
std::string format_time(std::int64_t at_us);

// One line per operation for evidence: id, times and outcome.
std::string describe(const Operation& op);

}  // namespace firedrill::history
