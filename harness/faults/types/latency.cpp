// latency: hold each chunk for `latency` ± `jitter`, then pass it on. Never
// holds a chunk longer than latency + jitter; removal ends the hold early
// and the chunk still goes on.
#include <algorithm>

#include "faults/fault.hpp"
#include "faults/params.hpp"

namespace firedrill::faults {
namespace {

class Latency final : public StreamFault {
 public:
  Latency(std::int64_t latency_us, std::int64_t jitter_us) : latency_us_(latency_us), jitter_us_(jitter_us) {}
  boost::asio::awaitable<bool> on_chunk(Chunk chunk, Pipe& pipe) const override {
    std::int64_t us = latency_us_;
    // Jitter draws only when asked for, from this flow's own generator.
    if (jitter_us_ > 0)
      us += static_cast<std::int64_t>((pipe.state().rng.uniform() * 2 - 1) * static_cast<double>(jitter_us_));
    const bool open = co_await pipe.hold(std::max<std::int64_t>(us, 0));
    if (!open) co_return false;
    co_return co_await pipe.write(chunk.data, chunk.size);
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
