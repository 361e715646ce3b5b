// One operation of the history, Jepsen-style: what the harness tried, when,
// and what it learned. Times are microseconds since the scenario's epoch
// (-1 = never happened), so a history is plain data that can be saved,
// re-checked and compared without clocks.
#pragma once
#include <climits>
#include <cstdint>
#include <string>
#include <string_view>

#include "history/order_id.hpp"

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

// 48 bytes, so a history of a million orders costs tens of megabytes: the
// id in one word (see OrderId) and the five times as 32-bit offsets from
// the first time set. One order's times lie within ±35 minutes of each
// other (its lag plus its request timeout); a time beyond that saturates.
class Operation {
 public:
  // Microseconds since the scenario's epoch, or never.
  std::int64_t intended_us() const { return get(intended); }      // when the schedule wanted it sent
  std::int64_t sent_us() const { return get(sent); }              // when the first byte went to the socket
  std::int64_t written_us() const { return get(written); }        // when the whole request was written
  std::int64_t first_byte_us() const { return get(first_byte); }  // when the first response byte arrived
  std::int64_t completed_us() const { return get(completed); }    // when the outcome became known
  void set_intended_us(std::int64_t t) { set(intended, t); }
  void set_sent_us(std::int64_t t) { set(sent, t); }
  void set_written_us(std::int64_t t) { set(written, t); }
  void set_first_byte_us(std::int64_t t) { set(first_byte, t); }
  void set_completed_us(std::int64_t t) { set(completed, t); }

  // The largest distance between two times of one operation it can hold.
  static constexpr std::int64_t max_span_us = INT32_MAX;

  OrderId id;  // order id, also the Idempotency-Key

 private:
  enum Time { intended, sent, written, first_byte, completed };
  static constexpr std::int32_t absent = INT32_MIN;
  std::int64_t get(Time k) const { return offset_[k] == absent ? never : base_us_ + offset_[k]; }
  void set(Time k, std::int64_t t);

  // Declared here, between the public fields, so that nothing pads the record.
  std::int64_t base_us_ = 0;  // the first time set, see based_
  std::int32_t offset_[5] = {absent, absent, absent, absent, absent};

 public:
  std::uint32_t connection = 0;  // which client connection carried it
  std::uint16_t status = 0;      // HTTP status when one was read
  Outcome outcome = Outcome::info;
  Reason reason = Reason::not_sent;
  bool retried = false;  // stale keep-alive retry on a fresh connection

 private:
  bool based_ = false;  // base_us_ holds the first time set (and some time is set)
};
static_assert(sizeof(Operation) == 48, "keep a recorded order small: see bench/load");

}  // namespace firedrill::history
