// blackhole: the connection stays open and bytes are read, but nothing is
// passed on, so the other side never answers. With `close-after`, the
// connection is closed that long after the first chunk the fault meets, or
// when the fault is removed first (Toxiproxy's `timeout` toxic, which
// closes on removal too); without it, never closes.
#include "faults/fault.hpp"
#include "faults/params.hpp"

namespace firedrill::faults {
namespace {

class Blackhole final : public StreamFault {
 public:
  explicit Blackhole(std::int64_t close_after_us) : close_after_us_(close_after_us) {}
  boost::asio::awaitable<bool> on_chunk(Chunk, Pipe& pipe) const override {
    if (close_after_us_ == 0) co_return true;
    // The hold keeps this direction unread; bytes that arrive meanwhile
    // stay in the kernel and go nowhere, as dropped ones would.
    const bool open = co_await pipe.hold(close_after_us_);
    if (open) pipe.close();
    co_return false;
  }

 private:
  std::int64_t close_after_us_;  // 0: never closes
};

}  // namespace

Built make_blackhole(const FaultSpec& spec) {
  Params p(spec, {"close-after"});
  auto close_after = p.duration_us("close-after", 0);
  if (p.error()) return {nullptr, *p.error()};
  return {std::make_shared<Blackhole>(close_after), {}};
}

}  // namespace firedrill::faults
