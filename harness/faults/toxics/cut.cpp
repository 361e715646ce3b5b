// cut: pass exactly `bytes` bytes in the fault's direction (counted from
// when this connection first met the fault), then close the connection.
#include <algorithm>

#include "faults/params.hpp"
#include "faults/toxic.hpp"

namespace firedrill::faults {
namespace {

class Cut final : public StreamToxic {
 public:
  explicit Cut(std::int64_t bytes) : bytes_(bytes) {}
  void on_chunk(Chunk& chunk, FlowState& state, Rng&) const override {
    std::int64_t left = std::max<std::int64_t>(bytes_ - state.counter, 0);
    if (static_cast<std::int64_t>(chunk.size) < left) {
      state.counter += static_cast<std::int64_t>(chunk.size);
      return;
    }
    chunk.size = static_cast<std::size_t>(left);
    state.counter = bytes_;
    chunk.close_after = true;
  }

 private:
  std::int64_t bytes_;
};

}  // namespace

Built make_cut(const FaultSpec& spec) {
  Params p(spec, {"bytes"});
  auto bytes = p.integer("bytes", 0, std::int64_t{1} << 40, 0, true);
  if (p.error()) return {nullptr, *p.error()};
  return {std::make_shared<Cut>(bytes), {}};
}

}  // namespace firedrill::faults
