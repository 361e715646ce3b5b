#include "history/history_json.hpp"

#include <algorithm>
#include <iterator>
#include <limits>
#include <utility>

#include <boost/json.hpp>
#include <fmt/format.h>

namespace firedrill::history {
namespace json = boost::json;

namespace {

const json::object& object_of(const json::value& v) {
  if (!v.is_object()) throw HistoryFormatError("expected a JSON object");
  return v.as_object();
}

std::int64_t int_of(const json::object& o, std::string_view key) {
  const json::value* v = o.if_contains(key);
  if (!v || !v->is_int64()) throw HistoryFormatError(fmt::format("expected '{}' as an integer", key));
  return v->as_int64();
}

// For the fields narrower than 64 bits: a value out of range is an error,
// never silently wrapped (a status of 2^32 + 201 must not read as 201).
template <class Int>
Int narrow_int_of(const json::object& o, std::string_view key) {
  const std::int64_t v = int_of(o, key);
  if (v < std::numeric_limits<Int>::min() || v > std::numeric_limits<Int>::max())
    throw HistoryFormatError(fmt::format("expected '{}' as an integer from {} to {}", key,
                                         std::numeric_limits<Int>::min(), std::numeric_limits<Int>::max()));
  return static_cast<Int>(v);
}

std::string string_of(const json::object& o, std::string_view key) {
  const json::value* v = o.if_contains(key);
  if (!v || !v->is_string()) throw HistoryFormatError(fmt::format("expected '{}' as a string", key));
  return std::string(v->as_string());
}

bool bool_of(const json::object& o, std::string_view key) {
  const json::value* v = o.if_contains(key);
  if (!v || !v->is_bool()) throw HistoryFormatError(fmt::format("expected '{}' as true or false", key));
  return v->as_bool();
}

template <class T, class Read>
std::vector<T> read_lines(std::istream& in, const std::string& source, Read read) {
  std::vector<T> out;
  std::string line;
  for (int n = 1; std::getline(in, line); ++n) {
    if (line.empty()) continue;
    try {
      boost::system::error_code ec;
      json::value v = json::parse(line, ec);
      if (ec) throw HistoryFormatError("not valid JSON: " + ec.message());
      out.push_back(read(v));
    } catch (const HistoryFormatError& e) {
      throw HistoryFormatError(fmt::format("{}:{}: {}", source, n, e.what()));
    }
  }
  return out;
}

}  // namespace

json::value to_json(const Operation& op) {
  return json::object{{"id", op.id.str()},
                      {"intended_us", op.intended_us()},
                      {"sent_us", op.sent_us()},
                      {"written_us", op.written_us()},
                      {"first_byte_us", op.first_byte_us()},
                      {"completed_us", op.completed_us()},
                      {"connection", op.connection},
                      {"outcome", to_string(op.outcome)},
                      {"reason", to_string(op.reason)},
                      {"status", static_cast<int>(op.status)},
                      {"retried", op.retried}};
}

json::value to_json(const Event& e) {
  json::object o{{"at_us", e.at_us},         {"kind", to_string(e.kind)}, {"container", e.container},
                 {"generation", e.generation}, {"signal", e.signal},      {"exit_code", e.exit_code},
                 {"by_harness", e.by_harness}, {"detail", e.detail}};
  // Written only when false: absent means delivered, so histories written
  // before undelivered signals were recorded read back and write back alike.
  if (!e.delivered) o["delivered"] = false;
  // Only the activator's holds have one.
  if (e.since_us != -1) o["since_us"] = e.since_us;
  return o;
}

Operation operation_from_json(const json::value& v) {
  const auto& o = object_of(v);
  Operation op;
  op.id = string_of(o, "id");
  // The compact record holds one order's times within max_span_us of each
  // other: refuse a file that says otherwise rather than read it wrong.
  // Checked before any is set: the record stores offsets, and a time far
  // from the others must not even be subtracted (fuzz history_jsonl).
  const std::pair<const char*, void (Operation::*)(std::int64_t)> fields[] = {
      {"intended_us", &Operation::set_intended_us}, {"sent_us", &Operation::set_sent_us},
      {"written_us", &Operation::set_written_us},   {"first_byte_us", &Operation::set_first_byte_us},
      {"completed_us", &Operation::set_completed_us}};
  std::int64_t times[std::size(fields)];
  std::int64_t lo = 0, hi = 0;
  bool any = false;
  for (std::size_t i = 0; i < std::size(fields); ++i) {
    const std::int64_t t = times[i] = int_of(o, fields[i].first);
    if (t == never) continue;
    if (t < 0)
      throw HistoryFormatError(fmt::format("expected '{}' as microseconds since the start (0 or more) or {} for never",
                                           fields[i].first, never));
    lo = any ? std::min(lo, t) : t;
    hi = any ? std::max(hi, t) : t;
    any = true;
  }
  if (hi - lo > Operation::max_span_us)  // both 0 or more: no overflow
    throw HistoryFormatError(fmt::format("the times of one operation span more than {} s",
                                         Operation::max_span_us / 1'000'000));
  for (std::size_t i = 0; i < std::size(fields); ++i) (op.*fields[i].second)(times[i]);
  op.connection = narrow_int_of<std::uint32_t>(o, "connection");
  if (!parse_outcome(string_of(o, "outcome"), op.outcome)) throw HistoryFormatError("expected 'outcome' as ok, fail or info");
  if (!parse_reason(string_of(o, "reason"), op.reason)) throw HistoryFormatError("unknown 'reason'");
  const std::int64_t status = int_of(o, "status");
  if (status < 0 || status > 0xffff) throw HistoryFormatError("expected 'status' as an HTTP status or 0");
  op.status = static_cast<std::uint16_t>(status);
  op.retried = bool_of(o, "retried");
  return op;
}

Event event_from_json(const json::value& v) {
  const auto& o = object_of(v);
  Event e;
  e.at_us = int_of(o, "at_us");
  if (!parse_event_kind(string_of(o, "kind"), e.kind)) throw HistoryFormatError("unknown event 'kind'");
  e.container = string_of(o, "container");
  e.generation = narrow_int_of<int>(o, "generation");
  e.signal = narrow_int_of<int>(o, "signal");
  e.exit_code = narrow_int_of<int>(o, "exit_code");
  e.by_harness = bool_of(o, "by_harness");
  // Absent in histories written before undelivered signals were recorded.
  if (o.contains("delivered")) e.delivered = bool_of(o, "delivered");
  if (o.contains("since_us")) {
    e.since_us = int_of(o, "since_us");
    if (e.since_us < 0 || e.since_us > e.at_us)
      throw HistoryFormatError("expected 'since_us' as microseconds since the start, no later than 'at_us'");
  }
  e.detail = string_of(o, "detail");
  return e;
}

void write_operations(std::ostream& out, const std::vector<Operation>& ops) {
  for (const auto& op : ops) out << json::serialize(to_json(op)) << '\n';
}

void write_events(std::ostream& out, const std::vector<Event>& events) {
  for (const auto& e : events) out << json::serialize(to_json(e)) << '\n';
}

std::vector<Operation> read_operations(std::istream& in, const std::string& source) {
  return read_lines<Operation>(in, source, operation_from_json);
}

std::vector<Event> read_events(std::istream& in, const std::string& source) {
  return read_lines<Event>(in, source, event_from_json);
}

}  // namespace firedrill::history
