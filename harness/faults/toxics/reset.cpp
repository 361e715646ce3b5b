// reset: abort the connection with RST (SO_LINGER 0) at the first chunk in
// the fault's direction. The probability is rolled once per connection by
// the pump. Never writes the chunk it aborts on.
#include "faults/params.hpp"
#include "faults/toxic.hpp"

namespace firedrill::faults {
namespace {

class Reset final : public StreamToxic {
 public:
  void on_chunk(Chunk& chunk, FlowState&, Rng&) const override { chunk.reset = true; }
};

}  // namespace

Built make_reset(const FaultSpec& spec) {
  Params p(spec, {});
  if (p.error()) return {nullptr, *p.error()};
  return {std::make_shared<Reset>(), {}};
}

}  // namespace firedrill::faults
