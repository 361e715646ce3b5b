#include "load/order_source.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstring>
#include <random>


namespace firedrill::load {
using namespace std::string_view_literals;
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

namespace {

// Where, from the phase's start, its cumulative arrivals reach `n` (0 <= n
// below the phase's orders()): solves from*t + (to-from)*t^2/(2T) = n.
double time_in_phase_s(const suite::LoadPhase& p, double n) {
  const double a = p.from_rate, T = static_cast<double>(p.duration_us) / 1e6;
  const double k = (p.to_rate - a) / (2 * T);
  if (k == 0) return n / a;
  // The root written as 2n / (a + sqrt(...)): no cancellation when k is small.
  const double root = std::sqrt(std::max(0.0, a * a + 4 * k * n));
  return root + a > 0 ? 2 * n / (a + root) : 0;
}

}  // namespace

std::vector<history::Operation> schedule_orders(std::uint64_t seed, std::size_t scenario_index,
                                                const std::vector<suite::LoadPhase>& phases, std::int64_t start_us) {
  const OrderSource source(seed, scenario_index);
  double total = 0;
  for (const auto& p : phases) total += p.orders();
  std::vector<history::Operation> ops;
  ops.reserve(static_cast<std::size_t>(std::ceil(total)));
  double before = 0;              // arrivals of the earlier phases (a fraction carries over)
  std::int64_t phase_start = start_us;
  std::uint32_t serial = 0;
  for (const auto& p : phases) {
    const double in_phase = p.orders();
    // Arrival i (i counts over the whole schedule) falls in this phase when
    // before <= i < before + in_phase; independent of how fast anyone answers.
    for (double i = std::ceil(before); i < before + in_phase; ++i) {
      history::Operation op;
      op.id = source.id(serial++);
      const double at_s = time_in_phase_s(p, i - before);
      op.set_intended_us(phase_start + std::min(p.duration_us - 1, static_cast<std::int64_t>(std::llround(at_s * 1e6))));
      ops.push_back(std::move(op));
    }
    before += in_phase;
    phase_start += p.duration_us;
  }
  return ops;
}

std::vector<history::Operation> schedule_orders(std::uint64_t seed, std::size_t scenario_index, double rate,
                                                std::int64_t start_us, std::int64_t duration_us) {
  return schedule_orders(seed, scenario_index, {suite::LoadPhase{rate, rate, duration_us, {}}}, start_us);
}

std::string order_body(std::string_view id) {
  std::string out;
  append_order_body(out, id);
  return out;
}

void append_order_body(std::string& out, std::string_view id) {
  const std::size_t at = out.size();
  out.resize(at + order_body_capacity(id));
  out.resize(at + write_order_body(out.data() + at, order_body_capacity(id), id));
}

std::size_t write_order_body(char* out, std::size_t capacity, std::string_view id) {
  static constexpr std::string_view restaurants[] = {"noodle-bar", "pizza-place", "taqueria", "curry-house"};
  static constexpr std::string_view skus[] = {"ramen", "gyoza", "margherita", "burrito", "naan", "salad"};
  if (capacity < order_body_capacity(id)) return 0;
  // Plain copies into a buffer known to be large enough, not fmt: this runs
  // once per order on the load generator's hot path (bench/PERFORMANCE.md).
  char* p = out;
  auto put = [&p](std::string_view s) {
    std::memcpy(p, s.data(), s.size());
    p += s.size();
  };
  auto number = [&p](std::int64_t v) { p = std::to_chars(p, p + 24, v).ptr; };
  const std::uint64_t id_hash = hash(id);
  std::uint64_t h = id_hash;
  put(R"({"id":")"sv);
  put(id);
  put(R"(","restaurant":")"sv);
  put(restaurants[id_hash % std::size(restaurants)]);
  put(R"(","items":[)"sv);
  std::int64_t total = 0;
  const int n = 1 + static_cast<int>(h % 3);
  for (int i = 0; i < n; ++i) {
    h = h * 6364136223846793005ull + 1442695040888963407ull;
    const int qty = 1 + static_cast<int>((h >> 33) % 3);
    const auto sku = skus[(h >> 40) % std::size(skus)];
    total += qty * (450 + static_cast<std::int64_t>((h >> 20) % 1000));
    put(i ? R"(,{"sku":")"sv : R"({"sku":")"sv);
    put(sku);
    put(R"(","qty":)"sv);
    number(qty);
    put("}"sv);
  }
  put(R"(],"total_cents":)"sv);
  number(total);
  put("}"sv);
  return static_cast<std::size_t>(p - out);
}

}  // namespace firedrill::load
