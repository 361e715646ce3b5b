#include "engine/shard.hpp"

#include <charconv>

namespace firedrill::engine {

std::optional<Shard> parse_shard(std::string_view text, std::string& why) {
  why = "expected i/n with 1 <= i <= n, such as 1/3 (shards are 1-based)";
  const auto slash = text.find('/');
  if (slash == std::string_view::npos) return std::nullopt;
  auto number = [](std::string_view s) -> std::optional<std::size_t> {
    std::size_t v = 0;
    const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    if (s.empty() || ec != std::errc() || end != s.data() + s.size()) return std::nullopt;
    return v;
  };
  const auto i = number(text.substr(0, slash)), n = number(text.substr(slash + 1));
  if (!i || !n) return std::nullopt;
  if (*n == 0) {
    why = "n must be at least 1; " + why;
    return std::nullopt;
  }
  if (*i == 0 || *i > *n) {
    why = "i must be between 1 and " + std::to_string(*n) + "; " + why;
    return std::nullopt;
  }
  why.clear();
  return Shard{*i, *n};
}

ShardRange shard_range(std::size_t count, const Shard& shard) {
  const std::size_t base = count / shard.total, extra = count % shard.total;
  const std::size_t k = shard.index - 1;
  const std::size_t begin = k * base + std::min(k, extra);
  return {begin, begin + base + (k < extra ? 1 : 0)};
}

std::size_t shard_of(std::size_t position, std::size_t count, std::size_t total) {
  for (std::size_t i = 1; i <= total; ++i)
    if (shard_range(count, {i, total}).contains(position)) return i;
  return 0;
}

std::uint64_t scenario_seed(std::uint64_t run_seed, std::string_view scenario_name) {
  std::uint64_t h = 1469598103934665603ull;  // FNV-1a
  for (unsigned char c : scenario_name) h = (h ^ c) * 1099511628211ull;
  // splitmix64's finaliser over both: nearby seeds or names give unrelated streams.
  std::uint64_t z = run_seed ^ (h + 0x9e3779b97f4a7c15ull + (run_seed << 6) + (run_seed >> 2));
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
  return z ^ (z >> 31);
}

}  // namespace firedrill::engine
