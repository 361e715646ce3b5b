// refuse: while active, the proxy's listener is closed (new connections get
// ECONNREFUSED) and live connections are closed; on removal the proxy
// listens again on the same port. The proxy does the work; this file only
// marks the ability. Never applies per chunk.
#include "faults/params.hpp"
#include "faults/toxic.hpp"

namespace firedrill::faults {
namespace {

class Refuse final : public ListenerToxic {};

}  // namespace

Built make_refuse(const FaultSpec& spec) {
  Params p(spec, {});
  if (p.error()) return {nullptr, *p.error()};
  return {std::make_shared<Refuse>(), {}};
}

}  // namespace firedrill::faults
