// refused-orders-absent: an order the service refused must not exist
// afterwards, or the client that retries it places it twice (a phantom).
#include <fmt/format.h>

#include "checks/evidence.hpp"
#include "checks/registry.hpp"

namespace firedrill::checks {

CheckResult refused_orders_absent(const CheckInput& in) {
  CheckResult r;
  if (!in.readback.ran) {
    r.verdict = Verdict::unknown;
    r.message = "the read-back did not run: " + in.readback.why_not;
    return r;
  }
  std::vector<const history::Operation*> phantoms, unreadable;
  std::size_t refused = 0;
  for (const auto& op : in.history.operations) {
    if (op.outcome != history::Outcome::fail) continue;
    ++refused;
    Stored s = in.readback.state_of(op.id);
    if (s == Stored::yes) phantoms.push_back(&op);
    if (s == Stored::unknown) unreadable.push_back(&op);
  }
  if (!phantoms.empty()) {
    r.verdict = Verdict::fail;
    r.message = fmt::format("{} of {} refused orders were stored anyway (phantoms)", phantoms.size(), refused);
    add_operations(r, phantoms);
    r.evidence.push_back(pod_timeline(in.history));
  } else if (!unreadable.empty()) {
    r.verdict = Verdict::unknown;
    r.message = fmt::format("{} of {} refused orders could not be read back{}", unreadable.size(), refused,
                            in.readback.note.empty() ? "" : " (" + in.readback.note + ")");
    add_operations(r, unreadable);
  } else {
    r.verdict = Verdict::pass;
    r.message = fmt::format("none of {} refused orders reads back", refused);
  }
  return r;
}

}  // namespace firedrill::checks
