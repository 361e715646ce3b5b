// accepted-orders-charged-once: every accepted order was charged exactly once
// by the end of the scenario. A retry under the same idempotency key is a
// replay, not a charge; a charge under another key, or with none, is a
// second charge (Stripe's semantics, kept by the payment stub's ledger).
#include <fmt/format.h>

#include "checks/evidence.hpp"
#include "checks/registry.hpp"

namespace firedrill::checks {
namespace {

template <class Attempts>
std::string describe_attempts(const Attempts& attempts) {
  std::string out;
  for (const auto& a : attempts)
    out += fmt::format("{}{} key '{}' {}", out.empty() ? "" : "; ", history::format_time(a.at_us), a.key,
                       a.new_charge ? "charged" : "replayed");
  return out.empty() ? "no charge attempt" : out;
}

}  // namespace

CheckResult accepted_orders_charged_once(const CheckInput& in) {
  CheckResult r;
  if (!in.payments.available) {
    r.verdict = Verdict::unknown;
    r.message = "the payment ledger could not be read: " + in.payments.why_not;
    return r;
  }
  std::size_t accepted = 0, never = 0, twice = 0;
  std::vector<std::string> offenders;
  for (const auto& op : in.history.operations) {
    if (op.outcome != history::Outcome::ok) continue;
    ++accepted;
    const auto attempts = in.payments.attempts_of(op.id);
    std::size_t charges = 0;
    for (const auto& a : attempts) charges += a.new_charge;
    if (charges == 1) continue;
    (charges == 0 ? never : twice)++;
    if (offenders.size() < evidence_limit)
      offenders.push_back(fmt::format("{} charged {} times: {} (order: {})", op.id, charges, describe_attempts(attempts),
                                      history::describe(op)));
  }
  if (never + twice) {
    r.verdict = Verdict::fail;
    r.message = fmt::format("{} of {} accepted orders were not charged exactly once ({} never, {} more than once)",
                            never + twice, accepted, never, twice);
    r.evidence = std::move(offenders);
    if (never + twice > evidence_limit) r.evidence.push_back(fmt::format("... and {} more", never + twice - evidence_limit));
    r.evidence.push_back(pod_timeline(in.history));
  } else {
    r.verdict = Verdict::pass;
    r.message = fmt::format("all {} accepted orders were charged exactly once", accepted);
  }
  return r;
}

}  // namespace firedrill::checks
