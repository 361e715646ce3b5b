// blackhole: the connection stays open and bytes are read, but nothing is
// passed on, so the other side never answers. With `close-after`, the
// connection is closed that long after the first chunk the fault meets, or
// when the fault is removed first; with `close-on-removal=true` alone, only
// when it is removed. Together they are Toxiproxy's `timeout` toxic (its
// removal closes the connection: the bytes it dropped are gone). Without
// either, it never closes and later bytes pass once it is removed.
#include "faults/fault.hpp"
#include "faults/params.hpp"

namespace firedrill::faults {
namespace {

class Blackhole final : public StreamFault {
 public:
  Blackhole(std::int64_t close_after_us, bool close_on_removal)
      : close_after_us_(close_after_us), close_on_removal_(close_on_removal || close_after_us > 0) {}
  boost::asio::awaitable<bool> on_chunk(Chunk, Pipe& pipe) const override {
    if (!close_on_removal_) co_return true;
    // The hold keeps this direction unread; bytes that arrive meanwhile
    // stay in the kernel and go nowhere, as dropped ones would. Without a
    // time limit it is renewed hourly until the removal ends it.
    constexpr std::int64_t hour_us = 3'600'000'000;
    for (;;) {
      const bool open = co_await pipe.hold(close_after_us_ > 0 ? close_after_us_ : hour_us);
      if (!open) co_return false;
      if (close_after_us_ > 0 || pipe.removed()) break;
    }
    pipe.close();
    co_return false;
  }

 private:
  std::int64_t close_after_us_;  // 0: no time limit
  bool close_on_removal_;
};

}  // namespace

Built make_blackhole(const FaultSpec& spec) {
  Params p(spec, {"close-after", "close-on-removal"});
  auto close_after = p.duration_us("close-after", 0);
  auto close_on_removal = p.flag("close-on-removal", false);
  if (p.error()) return {nullptr, *p.error()};
  return {std::make_shared<Blackhole>(close_after, close_on_removal), {}};
}

}  // namespace firedrill::faults
