// http-delay: forward the request at once (the dependency acts on it) and
// hold its ANSWER for `delay`: a client that times out meanwhile has been
// charged without knowing it. Never delays the request itself. Its request
// side marks the answer as due a hold; its stream side, on the answer path,
// holds the first bytes that come back and clears the mark.
#include <utility>

#include "faults/fault.hpp"
#include "faults/params.hpp"

namespace firedrill::faults {
namespace {

class HttpDelay final : public StreamFault, public RequestFault {
 public:
  explicit HttpDelay(std::int64_t delay_us) : delay_us_(delay_us) {}
  Verdict on_request(FlowState& answer) override {
    answer.mark = delay_us_;
    return {0, true};
  }
  boost::asio::awaitable<bool> on_chunk(Chunk chunk, Pipe& pipe) const override {
    const auto us = std::exchange(pipe.state().mark, 0);
    if (us > 0) {
      const bool open = co_await pipe.hold(us);
      if (!open) co_return false;
    }
    co_return co_await pipe.write(chunk.data, chunk.size);
  }

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
