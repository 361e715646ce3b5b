#include "load/order_source.hpp"

#include <cmath>
#include <iterator>
#include <random>

#include <fmt/format.h>

namespace firedrill::load {
namespace {

std::uint64_t hash(std::string_view s) {
  std::uint64_t h = 1469598103934665603ull;  // FNV-1a: stable across runs and platforms
  for (unsigned char c : s) h = (h ^ c) * 1099511628211ull;
  return h;
}

}  // namespace

OrderSource::OrderSource(std::uint64_t seed, std::size_t scenario_index) {
  std::mt19937_64 rng(seed * 1000003u + scenario_index);
  prefix_ = static_cast<std::uint32_t>(rng());
}

std::vector<history::Operation> schedule_orders(std::uint64_t seed, std::size_t scenario_index, double rate,
                                                std::int64_t start_us, std::int64_t duration_us) {
  const OrderSource source(seed, scenario_index);
  const auto count = static_cast<std::size_t>(std::floor(rate * static_cast<double>(duration_us) / 1e6));
  std::vector<history::Operation> ops(count);
  for (std::size_t i = 0; i < count; ++i) {
    ops[i].id = source.id(static_cast<std::uint32_t>(i));
    // Constant arrival rate: the i-th order is due at i/rate, whatever
    // happened to the ones before it (no coordinated omission).
    ops[i].set_intended_us(start_us + static_cast<std::int64_t>(std::llround(static_cast<double>(i) * 1e6 / rate)));
  }
  return ops;
}

std::string order_body(std::string_view id) {
  std::string out;
  append_order_body(out, id);
  return out;
}

void append_order_body(std::string& out, std::string_view id) {
  static constexpr std::string_view restaurants[] = {"noodle-bar", "pizza-place", "taqueria", "curry-house"};
  static constexpr std::string_view skus[] = {"ramen", "gyoza", "margherita", "burrito", "naan", "salad"};
  const std::uint64_t id_hash = hash(id);
  std::uint64_t h = id_hash;
  auto it = std::back_inserter(out);
  it = fmt::format_to(it, R"({{"id":"{}","restaurant":"{}","items":[)", id, restaurants[id_hash % std::size(restaurants)]);
  std::int64_t total = 0;
  const int n = 1 + static_cast<int>(h % 3);
  for (int i = 0; i < n; ++i) {
    h = h * 6364136223846793005ull + 1442695040888963407ull;
    const int qty = 1 + static_cast<int>((h >> 33) % 3);
    const auto sku = skus[(h >> 40) % std::size(skus)];
    total += qty * (450 + static_cast<std::int64_t>((h >> 20) % 1000));
    it = fmt::format_to(it, R"({}{{"sku":"{}","qty":{}}})", i ? "," : "", sku, qty);
  }
  fmt::format_to(it, R"(],"total_cents":{}}})", total);
}

}  // namespace firedrill::load
