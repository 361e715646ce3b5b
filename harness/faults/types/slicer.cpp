// slicer: pass each chunk on in slices of `size` bytes with `delay` between
// them, so the reader sees many small reads. Never changes the bytes.
#include <algorithm>

#include "faults/fault.hpp"
#include "faults/params.hpp"

namespace firedrill::faults {
namespace {

class Slicer final : public StreamFault {
 public:
  Slicer(std::size_t size, std::int64_t delay_us) : size_(size), delay_us_(delay_us) {}
  boost::asio::awaitable<bool> on_chunk(Chunk chunk, Pipe& pipe) const override {
    for (std::size_t off = 0; off < chunk.size; off += size_) {
      // A removed slicer's hold ends at once: the rest goes on without pauses.
      if (off > 0 && delay_us_ > 0) {
        const bool open = co_await pipe.hold(delay_us_);
        if (!open) co_return false;
      }
      const bool open = co_await pipe.write(chunk.data + off, std::min(size_, chunk.size - off));
      if (!open) co_return false;
    }
    co_return true;
  }

 private:
  std::size_t size_;
  std::int64_t delay_us_;
};

}  // namespace

Built make_slicer(const FaultSpec& spec) {
  Params p(spec, {"size", "delay"});
  auto size = p.integer("size", 1, 1 << 20, 64);
  auto delay = p.duration_us("delay", 1000);
  if (p.error()) return {nullptr, *p.error()};
  return {std::make_shared<Slicer>(static_cast<std::size_t>(size), delay), {}};
}

}  // namespace firedrill::faults
