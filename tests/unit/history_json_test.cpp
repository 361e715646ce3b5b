// The saved history reads back exactly as written, and a damaged file is an
// error naming its line — never a silently shorter history.
#include <gtest/gtest.h>

#include <sstream>

#include "history/history_json.hpp"

namespace firedrill::history {
namespace {

TEST(HistoryJson, OperationsAndEventsRoundTrip) {
  Operation op;
  op.id = "ord-\"quoted\"-1";
  op.set_intended_us(10);
  op.set_sent_us(11);
  op.set_written_us(12);
  op.set_first_byte_us(never);
  op.set_completed_us(40);
  op.connection = 7;
  op.outcome = Outcome::info;
  op.reason = Reason::eof;
  op.status = 0;
  op.retried = true;
  Event e;
  e.at_us = 99;
  e.kind = EventKind::fault_on;
  e.container = "payment";
  e.generation = 2;
  e.signal = 15;
  e.exit_code = -1;
  e.by_harness = true;
  e.detail = "latency both p=1 latency=3s";

  std::stringstream ops, events;
  write_operations(ops, {op, op});
  write_events(events, {e});
  auto ops_back = read_operations(ops, "h.jsonl");
  auto events_back = read_events(events, "e.jsonl");
  ASSERT_EQ(ops_back.size(), 2u);
  const auto& o = ops_back[0];
  EXPECT_EQ(o.id, op.id);
  EXPECT_EQ(o.intended_us(), 10);
  EXPECT_EQ(o.sent_us(), 11);
  EXPECT_EQ(o.written_us(), 12);
  EXPECT_EQ(o.first_byte_us(), never);
  EXPECT_EQ(o.completed_us(), 40);
  EXPECT_EQ(o.connection, 7u);
  EXPECT_EQ(o.outcome, Outcome::info);
  EXPECT_EQ(o.reason, Reason::eof);
  EXPECT_TRUE(o.retried);
  ASSERT_EQ(events_back.size(), 1u);
  EXPECT_EQ(events_back[0].kind, EventKind::fault_on);
  EXPECT_EQ(events_back[0].detail, e.detail);
  EXPECT_EQ(events_back[0].generation, 2);
  EXPECT_TRUE(events_back[0].by_harness);
}

TEST(HistoryJson, DamagedLinesNameTheFileAndLine) {
  std::stringstream bad_json("{\"id\":\"a\"}\nnot json\n");
  try {
    read_operations(bad_json, "history.jsonl");
    FAIL();
  } catch (const HistoryFormatError& e) {
    EXPECT_STREQ(e.what(), "history.jsonl:1: expected 'intended_us' as an integer");
  }
  std::stringstream bad_kind(R"({"at_us":1,"kind":"explosion","container":"app","generation":1,"signal":0,"exit_code":0,"by_harness":false,"detail":""})");
  EXPECT_THROW(read_events(bad_kind, "events.jsonl"), HistoryFormatError);
}

// Found by the history_jsonl fuzz target: a signal of 2^32 + 15 read as 15
// (and a status of 2^32 + 201 as 201, before status was range-checked).
TEST(HistoryJson, NarrowFieldsOutOfRangeAreErrorsNotWrapped) {
  std::stringstream wide_signal(R"({"at_us":1,"kind":"signal","container":"app","generation":1,"signal":4294967311,)"
                                R"("exit_code":-1,"by_harness":false,"detail":""})");
  try {
    read_events(wide_signal, "events.jsonl");
    FAIL();
  } catch (const HistoryFormatError& e) {
    EXPECT_STREQ(e.what(), "events.jsonl:1: expected 'signal' as an integer from -2147483648 to 2147483647");
  }
  std::stringstream wide(R"({"id":"a","intended_us":1,"sent_us":1,"written_us":1,"first_byte_us":1,"completed_us":1,)"
                         R"("connection":1,"outcome":"ok","reason":"accepted","status":4294967497,"retried":false})");
  try {
    read_operations(wide, "history.jsonl");
    FAIL();
  } catch (const HistoryFormatError& e) {
    EXPECT_STREQ(e.what(), "history.jsonl:1: expected 'status' as an HTTP status or 0");
  }
}

TEST(HistoryJson, TimesBeforeTheStartAreErrorsNotSubtracted) {
  // Found by fuzz history_jsonl (UBSan: signed overflow building offsets).
  std::stringstream far(R"({"id":"a","intended_us":10,"sent_us":11,"written_us":12,"first_byte_us":-9223372036854775807,)"
                        R"("completed_us":-1,"connection":7,"outcome":"info","reason":"eof","status":0,"retried":true})");
  try {
    read_operations(far, "history.jsonl");
    FAIL();
  } catch (const HistoryFormatError& e) {
    EXPECT_STREQ(e.what(),
                 "history.jsonl:1: expected 'first_byte_us' as microseconds since the start (0 or more) or -1 for never");
  }
}

}  // namespace
}  // namespace firedrill::history
