// The open-model schedule and the order ids come from the seed alone.
#include <gtest/gtest.h>

#include <fmt/format.h>

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

// The body as it was first written, with fmt: the hot-path version must
// send the very same bytes.
std::string reference_body(const std::string& id) {
  auto hash = [](std::string_view s) {
    std::uint64_t h = 1469598103934665603ull;
    for (unsigned char c : s) h = (h ^ c) * 1099511628211ull;
    return h;
  };
  static constexpr std::string_view restaurants[] = {"noodle-bar", "pizza-place", "taqueria", "curry-house"};
  static constexpr std::string_view skus[] = {"ramen", "gyoza", "margherita", "burrito", "naan", "salad"};
  std::uint64_t h = hash(id);
  std::string items;
  std::int64_t total = 0;
  const int n = 1 + static_cast<int>(h % 3);
  for (int i = 0; i < n; ++i) {
    h = h * 6364136223846793005ull + 1442695040888963407ull;
    const int qty = 1 + static_cast<int>((h >> 33) % 3);
    const auto sku = skus[(h >> 40) % std::size(skus)];
    total += qty * (450 + static_cast<std::int64_t>((h >> 20) % 1000));
    items += fmt::format("{}{{\"sku\":\"{}\",\"qty\":{}}}", i ? "," : "", sku, qty);
  }
  return fmt::format(R"({{"id":"{}","restaurant":"{}","items":[{}],"total_cents":{}}})", id,
                     restaurants[hash(id) % std::size(restaurants)], items, total);
}

TEST(OrderBody, SameBytesAsTheFirstVersion) {
  const OrderSource source(42, 3);
  for (std::uint32_t i = 0; i < 2000; ++i) {
    const std::string id = source.id(i * 7919).str();
    ASSERT_EQ(order_body(id), reference_body(id)) << id;
  }
  std::string appended = "prefix:";
  append_order_body(appended, "ord-1");
  EXPECT_EQ(appended, "prefix:" + reference_body("ord-1"));
}

}  // namespace
}  // namespace firedrill::load
