// reset: abort the connection with RST (SO_LINGER 0) at the first chunk in
// the fault's direction, on connections whose roll hit. Never writes the
// chunk it aborts on.
#include "faults/fault.hpp"
#include "faults/params.hpp"

namespace firedrill::faults {
namespace {

class Reset final : public StreamFault {
 public:
  boost::asio::awaitable<bool> on_chunk(Chunk, Pipe& pipe) const override {
    pipe.reset();
    co_return false;
  }
};

}  // namespace

Built make_reset(const FaultSpec& spec) {
  Params p(spec, {});
  if (p.error()) return {nullptr, *p.error()};
  return {std::make_shared<Reset>(), {}};
}

}  // namespace firedrill::faults
