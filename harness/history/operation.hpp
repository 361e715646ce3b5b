// One operation of the history, Jepsen-style: what the harness tried, when,
// and what it learned. Times are microseconds since the scenario's epoch
// (-1 = never happened), so a history is plain data that can be saved,
// re-checked and compared without clocks.
#pragma once
#include <cstdint>
#include <string>
#include <string_view>

namespace firedrill::history {

inline constexpr std::int64_t never = -1;

// ok = the order was accepted, fail = it was definitely not taken,
// info = nobody knows. Anything we cannot classify is info, never ok.
enum class Outcome : std::uint8_t { ok, fail, info };

// Why an operation ended the way it did; the evidence behind the outcome.
enum class Reason : std::uint8_t {
  accepted,           // ok: 201/202
  refused_status,     // fail: 503/429
  connect_refused,    // fail: nothing listened on the port
  connect_failed,     // fail: no connection could be made (e.g. connect timeout)
  reset,              // info: connection reset
  eof,                // info: peer closed before a complete response
  timeout,            // info: no complete response within the request timeout
  unexpected_status,  // info: an answer outside the accepted/refused sets (e.g. 500)
  bad_response,       // info: bytes that were not a valid HTTP response
  not_sent,           // info: the harness could not send it (never reached the wire)
};

std::string_view to_string(Outcome);
std::string_view to_string(Reason);
bool parse_outcome(std::string_view, Outcome&);
bool parse_reason(std::string_view, Reason&);

struct Operation {
  std::string id;                     // order id, also the Idempotency-Key
  std::int64_t intended_us = never;   // when the open-model schedule wanted it sent
  std::int64_t sent_us = never;       // when the first byte went to the socket
  std::int64_t written_us = never;    // when the whole request was written
  std::int64_t first_byte_us = never; // when the first response byte arrived
  std::int64_t completed_us = never;  // when the outcome became known
  std::uint32_t connection = 0;       // which client connection carried it
  Outcome outcome = Outcome::info;
  Reason reason = Reason::not_sent;
  int status = 0;                     // HTTP status when one was read
  bool retried = false;               // stale keep-alive retry on a fresh connection
};

}  // namespace firedrill::history
