// accepted-orders-durable: every order the service accepted reads back at the
// end. Lost = read back as absent; an unreadable id makes the verdict unknown
// unless something was already proven lost.
#include <fmt/format.h>

#include "checks/evidence.hpp"
#include "checks/registry.hpp"

namespace firedrill::checks {

CheckResult accepted_orders_durable(const CheckInput& in) {
  CheckResult r;
  if (!in.readback.ran) {
    r.verdict = Verdict::unknown;
    r.message = "the read-back did not run: " + in.readback.why_not;
    return r;
  }
  std::vector<const history::Operation*> lost, unreadable;
  std::size_t accepted = 0, recovered = 0;
  for (const auto& op : in.history.operations) {
    Stored s = in.readback.state_of(op.id);
    if (op.outcome == history::Outcome::info && s == Stored::yes) ++recovered;
    if (op.outcome != history::Outcome::ok) continue;
    ++accepted;
    if (s == Stored::no) lost.push_back(&op);
    if (s == Stored::unknown) unreadable.push_back(&op);
  }
  if (!lost.empty()) {
    r.verdict = Verdict::fail;
    r.message = fmt::format("{} of {} accepted orders were lost (did not read back)", lost.size(), accepted);
    add_operations(r, lost);
    r.evidence.push_back(pod_timeline(in.history));
  } else if (!unreadable.empty()) {
    r.verdict = Verdict::unknown;
    r.message = fmt::format("{} of {} accepted orders could not be read back{}", unreadable.size(), accepted,
                            in.readback.note.empty() ? "" : " (" + in.readback.note + ")");
    add_operations(r, unreadable);
  } else {
    r.verdict = Verdict::pass;
    r.message = fmt::format("all {} accepted orders read back; {} indeterminate orders recovered", accepted, recovered);
  }
  return r;
}

}  // namespace firedrill::checks
