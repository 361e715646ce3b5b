// Turns what one HTTP attempt observed into a history outcome. Pure: the
// load generator and the unit tests call the same function, so the rules of
// SPEC §2/§4 live in exactly one place.
#pragma once
#include <cstddef>
#include <vector>

#include "history/operation.hpp"

namespace firedrill::history {

// How an attempt ended on the wire.
enum class Wire { complete, connect_refused, connect_failed, reset, eof, timeout, bad_response };

struct AttemptEnd {
  Wire wire = Wire::complete;
  int status = 0;                    // valid when wire == complete
  std::size_t response_bytes = 0;    // bytes of response received before the end
};

// Which statuses mean "accepted" and which "refused"; configurable per suite.
struct StatusSets {
  std::vector<int> accepted{201, 202};
  std::vector<int> refused{503, 429};
};

struct Classification {
  Outcome outcome;
  Reason reason;
};

Classification classify(const AttemptEnd& end, const StatusSets& sets);

// SPEC §4: a request on a reused keep-alive connection that the server closed
// before reading it (zero response bytes) is retried once on a fresh one.
bool is_stale_keepalive(const AttemptEnd& end, bool connection_was_reused);

}  // namespace firedrill::history
