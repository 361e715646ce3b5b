// stall: hold a direction's bytes now and then for a random time up to
// `window`, as the retransmission stalls that packet loss causes on a TCP
// stream: the bytes arrive late, whole and in order. A stall starts at byte
// offsets drawn from the flow's seeded generator (on average every `every`
// bytes), so where the stream stalls and for how long never depends on how
// the kernel split the reads. The probability is rolled once per
// connection, as Toxiproxy's toxicity.
#include <algorithm>

#include "faults/fault.hpp"
#include "faults/params.hpp"

namespace firedrill::faults {
namespace {

class Stall final : public StreamFault {
 public:
  Stall(std::int64_t window_us, std::int64_t every) : window_us_(window_us), every_(every) {}
  boost::asio::awaitable<bool> on_chunk(Chunk chunk, Pipe& pipe) const override {
    auto& s = pipe.state();
    if (s.bytes == 0 && s.mark == 0) s.mark = next_gap(s);  // the first stall's offset
    std::size_t off = 0;
    while (off < chunk.size) {
      const auto stall_at = static_cast<std::size_t>(std::max<std::int64_t>(s.mark - s.bytes, 0));
      if (stall_at >= chunk.size - off) break;  // no stall in the rest of this chunk
      if (stall_at > 0) {
        const bool open = co_await pipe.write(chunk.data + off, stall_at);
        if (!open) co_return false;
      }
      off += stall_at;
      s.bytes += static_cast<std::int64_t>(stall_at);
      const auto us = static_cast<std::int64_t>(s.rng.uniform() * static_cast<double>(window_us_));
      s.mark = s.bytes + next_gap(s);
      const bool open = co_await pipe.hold(us);
      if (!open) co_return false;
    }
    s.bytes += static_cast<std::int64_t>(chunk.size - off);
    co_return co_await pipe.write(chunk.data + off, chunk.size - off);
  }

 private:
  // Uniform in [1, 2 * every]: `every` on average, never zero.
  std::int64_t next_gap(FlowState& s) const {
    return 1 + static_cast<std::int64_t>(s.rng.uniform() * static_cast<double>(2 * every_));
  }
  std::int64_t window_us_, every_;
};

}  // namespace

Built make_stall(const FaultSpec& spec) {
  Params p(spec, {"window", "every"});
  auto window = p.duration_us("window", 0, true);
  auto every = p.integer("every", 1, std::int64_t{1} << 40, 16 * 1024);
  if (p.error()) return {nullptr, *p.error()};
  return {std::make_shared<Stall>(window, every), {}};
}

}  // namespace firedrill::faults
