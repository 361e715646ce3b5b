// Sharding (engine/shard.hpp): the valid form and the bad ones, shares
// that partition any count of scenarios for n = 1..5 (and beyond the
// count), and seeds that follow a scenario's name, never its position.
#include <gtest/gtest.h>

#include <set>

#include "engine/shard.hpp"

namespace firedrill::engine {
namespace {

TEST(Shard, ParsesOneBasedIOfN) {
  std::string why;
  auto s = parse_shard("2/3", why);
  ASSERT_TRUE(s) << why;
  EXPECT_EQ(s->index, 2u);
  EXPECT_EQ(s->total, 3u);
  EXPECT_TRUE(why.empty());
  EXPECT_TRUE(parse_shard("1/1", why)->whole());
}

TEST(Shard, RefusesEveryOtherFormNamingTheValidOne) {
  for (const char* bad : {"0/3", "4/3", "a/b", "1/0", "1/", "/3", "3", "1/3x", "-1/3", " 1/3", "1//3", "", "1.5/3",
                          "99999999999999999999999/3"}) {
    std::string why;
    EXPECT_FALSE(parse_shard(bad, why)) << bad;
    EXPECT_NE(why.find("i/n"), std::string::npos) << bad << ": " << why;
  }
  std::string why;
  parse_shard("4/3", why);
  EXPECT_NE(why.find("between 1 and 3"), std::string::npos) << why;
  parse_shard("1/0", why);
  EXPECT_NE(why.find("at least 1"), std::string::npos) << why;
}

TEST(Shard, SharesPartitionTheScenariosForEveryN) {
  for (std::size_t count = 0; count <= 23; ++count)
    for (std::size_t n = 1; n <= 5; ++n) {
      std::vector<int> owners(count, 0);
      std::size_t smallest = count, largest = 0, next = 0;
      for (std::size_t i = 1; i <= n; ++i) {
        const auto r = shard_range(count, {i, n});
        EXPECT_EQ(r.begin, next) << "contiguous, in order: count " << count << " shard " << i << "/" << n;
        next = r.end;
        for (std::size_t p = r.begin; p < r.end; ++p) {
          ++owners[p];
          EXPECT_EQ(shard_of(p, count, n), i);
        }
        smallest = std::min(smallest, r.size());
        largest = std::max(largest, r.size());
      }
      EXPECT_EQ(next, count);
      for (std::size_t p = 0; p < count; ++p) EXPECT_EQ(owners[p], 1) << "position " << p << " of " << count << ", n " << n;
      EXPECT_LE(largest - smallest, 1u) << "balanced: count " << count << ", n " << n;
    }
}

TEST(Shard, MoreShardsThanScenariosLeavesTheLastOnesEmpty) {
  EXPECT_EQ(shard_range(2, {1, 5}).size(), 1u);
  EXPECT_EQ(shard_range(2, {2, 5}).size(), 1u);
  for (std::size_t i = 3; i <= 5; ++i) EXPECT_EQ(shard_range(2, {i, 5}).size(), 0u);
}

TEST(Shard, ASeedFollowsTheRunSeedAndTheNameOnly) {
  EXPECT_EQ(scenario_seed(42, "sigterm-mid-rush"), scenario_seed(42, "sigterm-mid-rush"));
  EXPECT_NE(scenario_seed(42, "sigterm-mid-rush"), scenario_seed(43, "sigterm-mid-rush"));
  EXPECT_NE(scenario_seed(42, "sigterm-mid-rush"), scenario_seed(42, "sigkill-mid-rush"));
  // Pinned: the same on every machine and build, so a CI shard replays a
  // laptop's run. Changing the mix changes every replay: say so in the notes.
  EXPECT_EQ(scenario_seed(1, "a"), 0x8542d0e7ff6e3e68ull);
  std::set<std::uint64_t> seen;
  for (int s = 0; s < 200; ++s) seen.insert(scenario_seed(static_cast<std::uint64_t>(s), "x"));
  EXPECT_EQ(seen.size(), 200u);
}

}  // namespace
}  // namespace firedrill::engine
