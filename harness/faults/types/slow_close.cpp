// slow-close: when one side closes, hold the close for `delay` before
// passing it on to the other side. Bytes before the close pass at once.
#include "faults/fault.hpp"
#include "faults/params.hpp"

namespace firedrill::faults {
namespace {

class SlowClose final : public CloseFault {
 public:
  explicit SlowClose(std::int64_t delay_us) : delay_us_(delay_us) {}
  std::int64_t close_delay_us() const override { return delay_us_; }

 private:
  std::int64_t delay_us_;
};

}  // namespace

Built make_slow_close(const FaultSpec& spec) {
  Params p(spec, {"delay"});
  auto delay = p.duration_us("delay", 0, true);
  if (p.error()) return {nullptr, *p.error()};
  return {std::make_shared<SlowClose>(delay), {}};
}

}  // namespace firedrill::faults
