// CI sharding (SPEC §5): `--shard=i/n` runs the i-th of n disjoint,
// deterministic shares of the ordered scenarios of all the suites given
// (after --filter). Shares are contiguous, as Playwright's are, and differ
// in size by at most one: the first (count % n) shards take one more. The
// split depends on nothing but the count and n, so every CI job computes
// the same one, and `firedrill merge` can say which shard a missing
// scenario belonged to.
//
// A scenario's seed depends on the run's seed and its name only
// (scenario_seed), never on its position: a shard, a --filter or a
// reordered suite replays the same scenario with the same --seed.
#pragma once
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace firedrill::engine {

struct Shard {
  std::size_t index = 1;  // 1-based
  std::size_t total = 1;
  bool whole() const { return total == 1; }
  std::string describe() const { return std::to_string(index) + "/" + std::to_string(total); }
  bool operator==(const Shard&) const = default;
};

// "i/n" with 1 <= i <= n; nullopt and `why` (naming the valid form) otherwise.
std::optional<Shard> parse_shard(std::string_view text, std::string& why);

// The positions [begin, end) of `count` ordered scenarios that `shard` runs.
struct ShardRange {
  std::size_t begin = 0, end = 0;
  bool contains(std::size_t position) const { return position >= begin && position < end; }
  std::size_t size() const { return end - begin; }
};
ShardRange shard_range(std::size_t count, const Shard& shard);

// The shard (of `total`) that runs the scenario at `position` of `count`.
std::size_t shard_of(std::size_t position, std::size_t count, std::size_t total);

// The seed of every random choice of one scenario: a mix of the run's seed
// and the scenario's name (FNV-1a), stable across machines and builds.
std::uint64_t scenario_seed(std::uint64_t run_seed, std::string_view scenario_name);

}  // namespace firedrill::engine
