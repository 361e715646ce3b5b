// slicer: pass each chunk on in slices of about `size` bytes with `delay`
// between them, so the reader sees many small reads. With `variation`,
// slices vary by up to that many bytes, split as Toxiproxy's slicer splits
// (halves, each cut point moved by a draw from the flow's generator, until
// a piece is within size + variation). Never changes the bytes.
#include <algorithm>
#include <cstdint>
#include <vector>

#include "faults/fault.hpp"
#include "faults/params.hpp"

namespace firedrill::faults {
namespace {

class Slicer final : public StreamFault {
 public:
  Slicer(std::size_t size, std::size_t variation, std::int64_t delay_us)
      : size_(size), variation_(variation), delay_us_(delay_us) {}
  boost::asio::awaitable<bool> on_chunk(Chunk chunk, Pipe& pipe) const override {
    std::vector<std::size_t> cuts{0};
    slice(0, chunk.size, pipe.state().rng, cuts);
    for (std::size_t i = 1; i < cuts.size(); ++i) {
      // A removed slicer's hold ends at once: the rest goes on without pauses.
      if (i > 1 && delay_us_ > 0) {
        const bool open = co_await pipe.hold(delay_us_);
        if (!open) co_return false;
      }
      const bool open = co_await pipe.write(chunk.data + cuts[i - 1], cuts[i] - cuts[i - 1]);
      if (!open) co_return false;
    }
    co_return true;
  }

 private:
  // Appends the end of each slice of [start, end) to `cuts`.
  void slice(std::size_t start, std::size_t end, Rng& rng, std::vector<std::size_t>& cuts) const {
    if (variation_ == 0) {
      for (std::size_t off = start + size_; off < end; off += size_) cuts.push_back(off);
      cuts.push_back(end);
      return;
    }
    if (end - start <= size_ + variation_) {
      cuts.push_back(end);
      return;
    }
    const auto v = static_cast<std::int64_t>(variation_);
    const auto shift = static_cast<std::int64_t>(rng.uniform() * static_cast<double>(2 * v)) - v;  // [-v, v)
    // Kept inside the piece, so both halves stay non-empty.
    const auto mid = static_cast<std::size_t>(std::clamp(static_cast<std::int64_t>(start + (end - start) / 2) + shift,
                                                         static_cast<std::int64_t>(start + 1),
                                                         static_cast<std::int64_t>(end - 1)));
    slice(start, mid, rng, cuts);
    slice(mid, end, rng, cuts);
  }

  std::size_t size_, variation_;
  std::int64_t delay_us_;
};

}  // namespace

Built make_slicer(const FaultSpec& spec) {
  Params p(spec, {"size", "variation", "delay"});
  auto size = p.integer("size", 1, 1 << 20, 64);
  auto variation = p.integer("variation", 0, 1 << 20, 0);
  auto delay = p.duration_us("delay", 1000);
  if (p.error()) return {nullptr, *p.error()};
  return {std::make_shared<Slicer>(static_cast<std::size_t>(size), static_cast<std::size_t>(variation), delay), {}};
}

}  // namespace firedrill::faults
