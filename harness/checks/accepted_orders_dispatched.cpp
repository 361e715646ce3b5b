// accepted-orders-dispatched: every accepted order reached the courier
// service at least once by the end of the scenario (queued work not lost).
#include <fmt/format.h>

#include "checks/evidence.hpp"
#include "checks/registry.hpp"

namespace firedrill::checks {

CheckResult accepted_orders_dispatched(const CheckInput& in) {
  CheckResult r;
  if (!in.courier.available) {
    r.verdict = Verdict::unknown;
    r.message = "the courier ledger could not be read: " + in.courier.why_not;
    return r;
  }
  std::vector<const history::Operation*> missing;
  std::size_t accepted = 0;
  for (const auto& op : in.history.operations) {
    if (op.outcome != history::Outcome::ok) continue;
    ++accepted;
    if (!in.courier.dispatched.contains(op.id)) missing.push_back(&op);
  }
  if (!missing.empty()) {
    r.verdict = Verdict::fail;
    r.message = fmt::format("{} of {} accepted orders never reached the courier service", missing.size(), accepted);
    add_operations(r, missing);
    r.evidence.push_back(pod_timeline(in.history));
  } else {
    r.verdict = Verdict::pass;
    r.message = fmt::format("all {} accepted orders reached the courier service", accepted);
  }
  return r;
}

}  // namespace firedrill::checks
