// fail-first: the first `count` requests (across all connections, counted
// from when the fault was added) are answered with `status`; later ones
// pass. For retry tests. Connections on several loops may ask at once
// (a standalone proxy with worker threads), so the count is atomic.
#include <atomic>

#include "faults/fault.hpp"
#include "faults/params.hpp"

namespace firedrill::faults {
namespace {

class FailFirst final : public Fault, public RequestFault {
 public:
  FailFirst(std::int64_t count, int status) : left_(count), status_(status) {}
  Verdict on_request(FlowState&) override {
    std::int64_t left = left_.load(std::memory_order_relaxed);
    do {
      if (left <= 0) return {};
    } while (!left_.compare_exchange_weak(left, left - 1, std::memory_order_relaxed));
    return {status_, true};
  }

 private:
  std::atomic<std::int64_t> left_;
  int status_;
};

}  // namespace

Built make_fail_first(const FaultSpec& spec) {
  Params p(spec, {"count", "status"});
  auto count = p.integer("count", 0, 1'000'000'000, 1, true);
  auto status = p.integer("status", 100, 599, 503);
  if (p.error()) return {nullptr, *p.error()};
  return {std::make_shared<FailFirst>(count, static_cast<int>(status)), {}};
}

}  // namespace firedrill::faults
