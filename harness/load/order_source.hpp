// The orders a scenario will place: ids, intended send times (the open-model
// schedule) and request bodies, all derived from the seed, so the same seed
// replays the same orders at the same offsets.
#pragma once
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "history/operation.hpp"
#include "suite/suite.hpp"

namespace firedrill::load {

// Order ids of one scenario: "ord-<8 hex from the seed>-<serial>". The id is
// a pure function of (seed, scenario, serial), so a recorded order keeps
// only its serial and spells its id again when asked (history::OrderId).
class OrderSource {
 public:
  OrderSource(std::uint64_t seed, std::size_t scenario_index);
  history::OrderId id(std::uint32_t serial) const { return history::OrderId::generated(prefix_, serial); }

 private:
  std::uint32_t prefix_;
};

// Builds one Operation per arrival of the phases, one after another from
// start_us. The schedule is a pure function of its arguments: arrival i is
// due where the cumulative rate reaches i (the first at start_us, or where
// the rate first rises above 0), so a constant rate spaces orders 1/rate
// apart and a ramp packs them ever closer (or further). Ids are unique
// within the scenario and stable for a seed.
std::vector<history::Operation> schedule_orders(std::uint64_t seed, std::size_t scenario_index,
                                                const std::vector<suite::LoadPhase>& phases, std::int64_t start_us);
// The same for one constant phase: rate/s for duration_us.
std::vector<history::Operation> schedule_orders(std::uint64_t seed, std::size_t scenario_index, double rate,
                                                std::int64_t start_us, std::int64_t duration_us);

// The JSON body of SPEC §2 for an order id; deterministic per id.
std::string order_body(std::string_view id);
// The same, appended to `out`.
void append_order_body(std::string& out, std::string_view id);
// The same, written into out[0, capacity): its length, or 0 if capacity is
// below order_body_capacity(id), which is always enough.
std::size_t write_order_body(char* out, std::size_t capacity, std::string_view id);
inline std::size_t order_body_capacity(std::string_view id) { return id.size() + 256; }

}  // namespace firedrill::load
