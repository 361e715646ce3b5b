// The open-model schedule and the order ids come from the seed alone.
#include <gtest/gtest.h>

#include "load/order_source.hpp"

namespace firedrill::load {
namespace {

TEST(Schedule, ConstantArrivalRate) {
  auto ops = schedule_orders(1, 0, 200, 1000, 2'000'000);
  ASSERT_EQ(ops.size(), 400u);
  EXPECT_EQ(ops[0].intended_us(), 1000);
  EXPECT_EQ(ops[1].intended_us(), 6000);
  EXPECT_EQ(ops[399].intended_us(), 1000 + 399 * 5000);
}

TEST(Schedule, SameSeedSameOrdersOtherSeedOtherIds) {
  auto a = schedule_orders(7, 1, 50, 0, 1'000'000);
  auto b = schedule_orders(7, 1, 50, 0, 1'000'000);
  auto c = schedule_orders(8, 1, 50, 0, 1'000'000);
  auto d = schedule_orders(7, 2, 50, 0, 1'000'000);
  for (std::size_t i = 0; i < a.size(); ++i) {
    EXPECT_EQ(a[i].id, b[i].id);
    EXPECT_EQ(a[i].intended_us(), b[i].intended_us());
    EXPECT_NE(a[i].id, c[i].id);
    EXPECT_NE(a[i].id, d[i].id) << "scenarios of one run do not share ids";
  }
}

TEST(OrderBody, FollowsTheSpecShapeAndIsDeterministic) {
  auto body = order_body("ord-1");
  EXPECT_EQ(body, order_body("ord-1"));
  for (const char* key : {"\"id\":\"ord-1\"", "\"restaurant\":", "\"items\":[{\"sku\":", "\"qty\":", "\"total_cents\":"})
    EXPECT_NE(body.find(key), std::string::npos) << key << " in " << body;
}

}  // namespace
}  // namespace firedrill::load
