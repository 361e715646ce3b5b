// The compact recorded order (history::Operation, 48 bytes, with an 8-byte
// OrderId): it holds exactly what the checks and reports read — ids that
// spell the same text, times to the microsecond, never as never — whatever
// form the id came in.
#include <gtest/gtest.h>

#include <sstream>
#include <unordered_set>

#include "history/history_json.hpp"
#include "load/order_source.hpp"

namespace firedrill::history {
namespace {

TEST(OrderId, GeneratedIdsSpellTheSeededFormat) {
  EXPECT_EQ(OrderId::generated(0x00c0ffee, 7).str(), "ord-00c0ffee-000007");
  EXPECT_EQ(OrderId::generated(0xdeadbeef, 1234567).str(), "ord-deadbeef-1234567");
  EXPECT_EQ(OrderId::generated(0xffffffff, OrderId::max_serial).str(), "ord-ffffffff-2147483647");
  EXPECT_EQ(fmt::format("{}", OrderId::generated(1, 0)), "ord-00000001-000000");
}

TEST(OrderId, TextInTheGeneratedFormBecomesCompactAndEqual) {
  OrderId parsed("ord-00c0ffee-000007");
  EXPECT_TRUE(parsed.is_generated());
  EXPECT_EQ(parsed, OrderId::generated(0x00c0ffee, 7));
  // Anything that would not spell back the same stays text, still equal to itself.
  for (const char* text : {"ord-00c0ffee-0000007", "ord-00C0FFEE-000007", "ord-00c0ffee-00007", "ord-1", "a",
                           "ord-00c0ffee-9999999999", "ord-00c0ffee-000007 ", "ord-\"quoted\"-1"}) {
    OrderId id(text);
    EXPECT_FALSE(id.is_generated()) << text;
    EXPECT_EQ(id.str(), text);
    EXPECT_EQ(id, OrderId(std::string(text)));
    EXPECT_NE(id, parsed);
  }
  EXPECT_TRUE(OrderId().empty());
  EXPECT_EQ(OrderId("").str(), "");
  EXPECT_EQ(OrderId(), OrderId(""));
}

TEST(OrderId, CopiesAndMovesKeepTheText) {
  OrderId text("hand-built"), gen = OrderId::generated(5, 5);
  OrderId a = text, b = gen;
  EXPECT_EQ(a.str(), "hand-built");
  EXPECT_EQ(b, gen);
  OrderId c = std::move(a);
  EXPECT_EQ(c.str(), "hand-built");
  EXPECT_TRUE(a.empty());
  c = gen;
  EXPECT_EQ(c, gen);
  c = text;
  EXPECT_EQ(c.str(), "hand-built");
  c = c;  // self-assignment keeps it
  EXPECT_EQ(c.str(), "hand-built");
  // Maps keyed by the text take it as they took the string.
  std::unordered_set<std::string> keys{"ord-00000005-000005"};
  EXPECT_TRUE(keys.contains(gen));
}

TEST(OrderId, WriteNeedsRoomAndNeverAllocates) {
  char buf[OrderId::max_generated_size];
  const auto id = OrderId::generated(0xabcdef01, 42);
  EXPECT_EQ(std::string_view(buf, id.write(buf, sizeof buf)), "ord-abcdef01-000042");
  EXPECT_EQ(id.write(buf, 5), 0u);
}

TEST(CompactOperation, EveryTimeReadsBackToTheMicrosecond) {
  static_assert(sizeof(Operation) == 48);
  Operation op;
  EXPECT_EQ(op.intended_us(), never);
  EXPECT_EQ(op.completed_us(), never);
  const std::int64_t t0 = 3'600'000'000'123;  // an hour into a long run: beyond 32 bits of µs
  op.set_intended_us(t0);
  op.set_sent_us(t0 + 250);
  op.set_written_us(t0 + 251);
  op.set_first_byte_us(t0 + 4'000'000);
  op.set_completed_us(t0 + 4'000'017);
  EXPECT_EQ(op.intended_us(), t0);
  EXPECT_EQ(op.sent_us(), t0 + 250);
  EXPECT_EQ(op.written_us(), t0 + 251);
  EXPECT_EQ(op.first_byte_us(), t0 + 4'000'000);
  EXPECT_EQ(op.completed_us(), t0 + 4'000'017);
  op.set_first_byte_us(never);  // the stale keep-alive retry clears it
  EXPECT_EQ(op.first_byte_us(), never);
  EXPECT_EQ(op.completed_us(), t0 + 4'000'017);
}

TEST(CompactOperation, TimesSetInAnyOrderAndBeforeTheFirst) {
  Operation op;
  op.set_completed_us(5'000);
  op.set_intended_us(1'000);  // earlier than the first time set
  op.set_sent_us(0);
  EXPECT_EQ(op.completed_us(), 5'000);
  EXPECT_EQ(op.intended_us(), 1'000);
  EXPECT_EQ(op.sent_us(), 0);
  // Once every time is cleared, the next one starts afresh far away.
  op.set_completed_us(never);
  op.set_intended_us(never);
  op.set_sent_us(never);
  op.set_intended_us(10'000'000'000'000);
  EXPECT_EQ(op.intended_us(), 10'000'000'000'000);
}

TEST(CompactOperation, ASpanBeyondThirtyFiveMinutesSaturatesAndFilesSayingSoAreRefused) {
  Operation op;
  op.set_intended_us(0);
  op.set_completed_us(Operation::max_span_us + 10);
  EXPECT_EQ(op.completed_us(), Operation::max_span_us);
  std::stringstream in(R"({"id":"a","intended_us":0,"sent_us":1,"written_us":2,"first_byte_us":-1,)"
                       R"("completed_us":3000000000,"connection":1,"outcome":"info","reason":"timeout","status":0,"retried":false})"
                       "\n");
  EXPECT_THROW(read_operations(in, "h.jsonl"), HistoryFormatError);
}

TEST(CompactOperation, GeneratedHistoriesSaveAndReadBackUnchanged) {
  auto ops = load::schedule_orders(3, 1, 1000, 500, 50'000);
  ASSERT_EQ(ops.size(), 50u);
  for (std::size_t i = 0; i < ops.size(); ++i) {
    ops[i].set_sent_us(ops[i].intended_us() + 3);
    ops[i].set_completed_us(ops[i].intended_us() + 900);
    ops[i].outcome = i % 2 ? Outcome::ok : Outcome::fail;
    ops[i].status = i % 2 ? 201 : 503;
  }
  std::stringstream file;
  write_operations(file, ops);
  const std::string text = file.str();
  EXPECT_NE(text.find(R"("id":")" + ops[7].id.str() + "\""), std::string::npos);
  auto back = read_operations(file, "h.jsonl");
  ASSERT_EQ(back.size(), ops.size());
  std::stringstream again;
  write_operations(again, back);
  EXPECT_EQ(again.str(), text);
  EXPECT_TRUE(back[7].id.is_generated());
}

}  // namespace
}  // namespace firedrill::history
