// slicer: write each chunk in slices of `size` bytes with `delay` between
// them, so the reader sees many small reads. Never changes the bytes.
#include "faults/params.hpp"
#include "faults/toxic.hpp"

namespace firedrill::faults {
namespace {

class Slicer final : public StreamToxic {
 public:
  Slicer(std::size_t size, std::int64_t delay_us) : size_(size), delay_us_(delay_us) {}
  void on_chunk(Chunk& chunk, FlowState&, Rng&) const override {
    chunk.slice = size_;
    chunk.slice_delay_us = delay_us_;
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
