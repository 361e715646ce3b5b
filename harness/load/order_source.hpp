// The orders a scenario will place: ids, intended send times (the open-model
// schedule) and request bodies, all derived from the seed, so the same seed
// replays the same orders at the same offsets.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "history/operation.hpp"

namespace firedrill::load {

// Builds one Operation per arrival: rate/s for duration, the first at
// start_us. Ids are unique within the scenario and stable for a seed.
std::vector<history::Operation> schedule_orders(std::uint64_t seed, std::size_t scenario_index, double rate,
                                                std::int64_t start_us, std::int64_t duration_us);

// The JSON body of SPEC §2 for an order id; deterministic per id.
std::string order_body(const std::string& id);

}  // namespace firedrill::load
