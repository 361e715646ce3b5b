// http-delay: forward the request at once (the dependency acts on it) and
// hold the ANSWER for `delay`: a client that times out meanwhile has been
// charged without knowing it. Never delays the request itself.
#include "faults/params.hpp"
#include "faults/toxic.hpp"

namespace firedrill::faults {
namespace {

class HttpDelay final : public RequestToxic {
 public:
  explicit HttpDelay(std::int64_t delay_us) : delay_us_(delay_us) {}
  RequestVerdict on_request() override { return {0, delay_us_}; }

 private:
  std::int64_t delay_us_;
};

}  // namespace

Built make_http_delay(const FaultSpec& spec) {
  Params p(spec, {"delay"});
  auto delay = p.duration_us("delay", 0, true);
  if (p.error()) return {nullptr, *p.error()};
  return {std::make_shared<HttpDelay>(delay), {}};
}

}  // namespace firedrill::faults
