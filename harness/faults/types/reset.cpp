// reset: abort the connection with RST (SO_LINGER 0) at the first chunk in
// the fault's direction, on connections whose roll hit; with `after`, that
// long after the first chunk (Toxiproxy's `reset_peer` timeout). Never
// writes the chunk it aborts on; a fault removed during `after` lets it go.
#include "faults/fault.hpp"
#include "faults/params.hpp"

namespace firedrill::faults {
namespace {

class Reset final : public StreamFault {
 public:
  explicit Reset(std::int64_t after_us) : after_us_(after_us) {}
  boost::asio::awaitable<bool> on_chunk(Chunk chunk, Pipe& pipe) const override {
    if (after_us_ > 0) {
      const bool open = co_await pipe.hold(after_us_);
      if (!open) co_return false;
      if (pipe.removed()) co_return co_await pipe.write(chunk.data, chunk.size);
    }
    pipe.reset();
    co_return false;
  }

 private:
  std::int64_t after_us_;
};

}  // namespace

Built make_reset(const FaultSpec& spec) {
  Params p(spec, {"after"});
  auto after = p.duration_us("after", 0);
  if (p.error()) return {nullptr, *p.error()};
  return {std::make_shared<Reset>(after), {}};
}

}  // namespace firedrill::faults
