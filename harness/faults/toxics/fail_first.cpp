// fail-first: the first `count` requests (across all connections, counted
// from when the fault was added) are answered with `status`; later ones
// pass. For retry tests. Counts only on the io thread.
#include "faults/params.hpp"
#include "faults/toxic.hpp"

namespace firedrill::faults {
namespace {

class FailFirst final : public RequestToxic {
 public:
  FailFirst(std::int64_t count, int status) : left_(count), status_(status) {}
  RequestVerdict on_request() override {
    if (left_ <= 0) return {};
    --left_;
    return {status_, 0};
  }

 private:
  std::int64_t left_;
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
