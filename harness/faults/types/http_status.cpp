// http-status: answer a request with `status` (e.g. 503, 429) ourselves
// instead of forwarding it; the dependency never sees it. The probability
// is rolled per request by the HTTP path.
#include "faults/fault.hpp"
#include "faults/params.hpp"

namespace firedrill::faults {
namespace {

class HttpStatus final : public Fault, public RequestFault {
 public:
  explicit HttpStatus(int status) : status_(status) {}
  Verdict on_request(FlowState&) override { return {status_, true}; }

 private:
  int status_;
};

}  // namespace

Built make_http_status(const FaultSpec& spec) {
  Params p(spec, {"status"});
  auto status = p.integer("status", 100, 599, 503);
  if (p.error()) return {nullptr, *p.error()};
  return {std::make_shared<HttpStatus>(static_cast<int>(status)), {}};
}

}  // namespace firedrill::faults
