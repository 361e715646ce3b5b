#include "history/classify.hpp"

#include <algorithm>

namespace firedrill::history {

Classification classify(const AttemptEnd& end, const StatusSets& sets) {
  auto in = [](const std::vector<int>& v, int s) { return std::find(v.begin(), v.end(), s) != v.end(); };
  switch (end.wire) {
    case Wire::complete:
      if (in(sets.accepted, end.status)) return {Outcome::ok, Reason::accepted};
      if (in(sets.refused, end.status)) return {Outcome::fail, Reason::refused_status};
      return {Outcome::info, Reason::unexpected_status};
    // Nothing reached the service: the order was definitely not taken.
    case Wire::connect_refused: return {Outcome::fail, Reason::connect_refused};
    case Wire::connect_failed: return {Outcome::fail, Reason::connect_failed};
    // The request may have been read and acted upon: we cannot know.
    case Wire::reset: return {Outcome::info, Reason::reset};
    case Wire::eof: return {Outcome::info, Reason::eof};
    case Wire::timeout: return {Outcome::info, Reason::timeout};
    case Wire::bad_response: return {Outcome::info, Reason::bad_response};
  }
  return {Outcome::info, Reason::bad_response};
}

bool is_stale_keepalive(const AttemptEnd& end, bool connection_was_reused) {
  return connection_was_reused && end.response_bytes == 0 &&
         (end.wire == Wire::reset || end.wire == Wire::eof);
}

}  // namespace firedrill::history
