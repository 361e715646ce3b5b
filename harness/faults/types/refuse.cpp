// refuse: while active, the proxy's listener is closed (new connections get
// ECONNREFUSED) and live connections with it; once removed, the proxy
// listens again on the same port. Never applies per chunk.
#include "faults/fault.hpp"
#include "faults/params.hpp"

namespace firedrill::faults {
namespace {

class Refuse final : public ListenerFault {
 public:
  bool accepts_connections() const override { return false; }
};

}  // namespace

Built make_refuse(const FaultSpec& spec) {
  Params p(spec, {});
  if (p.error()) return {nullptr, *p.error()};
  return {std::make_shared<Refuse>(), {}};
}

}  // namespace firedrill::faults
