// latency: hold each chunk for `latency` ± `jitter` before passing it on.
// Never holds a chunk longer than latency + jitter; the pump does the
// waiting, so removal ends the wait without losing the chunk.
#include <algorithm>

#include "faults/params.hpp"
#include "faults/toxic.hpp"

namespace firedrill::faults {
namespace {

class Latency final : public StreamToxic {
 public:
  Latency(std::int64_t latency_us, std::int64_t jitter_us) : latency_us_(latency_us), jitter_us_(jitter_us) {}
  void on_chunk(Chunk& chunk, FlowState&, Rng& rng) const override {
    std::int64_t us = latency_us_;
    // Jitter draws from the seeded stream only when asked for, so a
    // jitter-free latency does not shift other faults' decisions.
    if (jitter_us_ > 0) us += static_cast<std::int64_t>((rng.uniform() * 2 - 1) * static_cast<double>(jitter_us_));
    chunk.hold_us += std::max<std::int64_t>(us, 0);
  }

 private:
  std::int64_t latency_us_, jitter_us_;
};

}  // namespace

Built make_latency(const FaultSpec& spec) {
  Params p(spec, {"latency", "jitter"});
  auto latency = p.duration_us("latency", 0, true);
  auto jitter = p.duration_us("jitter", 0);
  if (p.error()) return {nullptr, *p.error()};
  return {std::make_shared<Latency>(latency, jitter), {}};
}

}  // namespace firedrill::faults
