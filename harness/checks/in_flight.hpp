// When an order was in flight at a moment, and when it was cut: shared by
// in-flight-completed (in flight at a SIGTERM) and no-unexpected-exits (in
// flight when the app died by itself).
#pragma once
#include <cstdint>

#include "history/operation.hpp"

namespace firedrill::checks {

// Fully written before `t`, or already being answered, and not yet ended.
inline bool in_flight_at(const history::Operation& op, std::int64_t t) {
  const bool written_before = op.written_us() != history::never && op.written_us() <= t;
  const bool answering = op.first_byte_us() != history::never && op.first_byte_us() <= t;
  const bool still_open = op.completed_us() == history::never || op.completed_us() > t;
  return (written_before || answering) && still_open;
}

// Ended by a reset, an EOF or a timeout instead of an answer.
inline bool was_cut(const history::Operation& op) {
  using history::Reason;
  return op.outcome == history::Outcome::info &&
         (op.reason == Reason::reset || op.reason == Reason::eof || op.reason == Reason::timeout);
}

}  // namespace firedrill::checks
