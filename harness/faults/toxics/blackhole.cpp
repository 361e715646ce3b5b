// blackhole: the connection stays open and bytes are read, but nothing is
// passed on, so the other side never answers. Never closes the connection.
#include "faults/params.hpp"
#include "faults/toxic.hpp"

namespace firedrill::faults {
namespace {

class Blackhole final : public StreamToxic {
 public:
  void on_chunk(Chunk& chunk, FlowState&, Rng&) const override { chunk.drop = true; }
};

}  // namespace

Built make_blackhole(const FaultSpec& spec) {
  Params p(spec, {});
  if (p.error()) return {nullptr, *p.error()};
  return {std::make_shared<Blackhole>(), {}};
}

}  // namespace firedrill::faults
