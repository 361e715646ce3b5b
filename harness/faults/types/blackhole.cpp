// blackhole: the connection stays open and bytes are read, but nothing is
// passed on, so the other side never answers. Never closes the connection.
#include "faults/fault.hpp"
#include "faults/params.hpp"

namespace firedrill::faults {
namespace {

class Blackhole final : public StreamFault {
 public:
  boost::asio::awaitable<bool> on_chunk(Chunk, Pipe&) const override { co_return true; }
};

}  // namespace

Built make_blackhole(const FaultSpec& spec) {
  Params p(spec, {});
  if (p.error()) return {nullptr, *p.error()};
  return {std::make_shared<Blackhole>(), {}};
}

}  // namespace firedrill::faults
