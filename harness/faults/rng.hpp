// The seeded generator behind every random choice a fault makes. The proxy
// derives one stream per connection from its seed and the connection's
// serial number, so a connection's decisions replay exactly for a seed no
// matter how other connections interleave. Must never read an entropy source.
#pragma once
#include <cstdint>

namespace firedrill::faults {

// SplitMix64: tiny state, cheap to create per connection, good enough
// statistics for coin flips and jitter.
class Rng {
 public:
  explicit Rng(std::uint64_t seed) : state_(seed) {}
  Rng(std::uint64_t seed, std::uint64_t stream) : state_(seed ^ mix(stream + 0x632be59bd9b4e019ULL)) {}

  std::uint64_t next() { return mix(state_ += 0x9e3779b97f4a7c15ULL); }
  // Uniform in [0, 1).
  double uniform() { return static_cast<double>(next() >> 11) * 0x1.0p-53; }
  // True with probability p; p >= 1 never consumes a number, so adding a
  // certain fault does not shift the decisions of the probabilistic ones.
  bool chance(double p) { return p >= 1.0 || (p > 0.0 && uniform() < p); }

 private:
  static std::uint64_t mix(std::uint64_t z) {
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
  }
  std::uint64_t state_;
};

}  // namespace firedrill::faults
