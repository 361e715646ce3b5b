#include "checks/registry.hpp"

#include <algorithm>

#include <exception>

namespace firedrill::checks {

std::string_view to_string(Verdict v) {
  switch (v) {
    case Verdict::pass: return "pass";
    case Verdict::fail: return "fail";
    case Verdict::unknown: return "unknown";
  }
  return "unknown";
}

bool parse_verdict(std::string_view s, Verdict& v) {
  for (Verdict c : {Verdict::pass, Verdict::fail, Verdict::unknown})
    if (to_string(c) == s) { v = c; return true; }
  return false;
}

namespace {
bool by_order_id(const ChargeAttempt& a, const ChargeAttempt& b) { return a.order_id < b.order_id; }
}  // namespace

void PaymentLedger::assign(Attempts attempts) {
  attempts_ = std::move(attempts);
  std::stable_sort(attempts_.begin(), attempts_.end(), by_order_id);
}

void PaymentLedger::add(ChargeAttempt a) {
  const auto at = std::upper_bound(attempts_.begin(), attempts_.end(), a, by_order_id);
  attempts_.insert(at, std::move(a));
}

PaymentLedger::OrderAttempts PaymentLedger::attempts_of(const history::OrderId& id) const {
  const auto [from, to] = std::equal_range(attempts_.begin(), attempts_.end(), ChargeAttempt{id, {}, 0, false}, by_order_id);
  return {from, to};
}

Stored Readback::state_of(const history::OrderId& id) const {
  auto it = by_id.find(id);
  return it == by_id.end() ? Stored::unknown : it->second;
}

const std::vector<CheckDef>& all_checks() {
  static const std::vector<CheckDef> defs{
      {"accepted-orders-durable", "an accepted order does not read back at the end (lost)", accepted_orders_durable},
      {"refused-orders-absent", "a refused order reads back (a phantom order)", refused_orders_absent},
      {"accepted-orders-dispatched", "an accepted order never reached the courier service", accepted_orders_dispatched},
      {"drain-within-grace", "after SIGTERM the app had to be SIGKILLed or exited with a code outside the allowed set",
       drain_within_grace},
      {"in-flight-completed", "a request in flight when SIGTERM was sent was cut instead of answered", in_flight_completed},
      {"readiness-flips", "/readyz kept answering 200 for longer than allowed after SIGTERM", readiness_flips},
      {"ready-within", "the app was not ready within the limit after a start", ready_within},
      {"accepted-orders-charged-once", "an accepted order was charged zero times or more than once",
       accepted_orders_charged_once},
      {"error-budget", "the share of non-accepted orders outside disruption windows, or within them, exceeds the budget",
       error_budget},
      {"no-leftover-processes", "a process of the pod (or its descendant) was still alive after the pod exited",
       no_leftover_processes},
      {"no-unexpected-exits", "a container of the pod exited when no signal, stop or rollout of the harness explains it",
       no_unexpected_exits},
      {"telemetry-delivered", "an accepted order has no span or log record with its order.id at the telemetry receiver",
       telemetry_delivered},
      {"cold-start-within", "a request held while the pod was at zero was not accepted within the cold-start limit",
       cold_start_within},
  };
  return defs;
}

const CheckDef* find_check(std::string_view name) {
  for (const auto& d : all_checks())
    if (d.name == name) return &d;
  return nullptr;
}

CheckResult run_check(const CheckDef& def, const CheckInput& input) {
  try {
    CheckResult r = def.evaluate(input);
    r.check = std::string(def.name);
    return r;
  } catch (const std::exception& e) {
    return {std::string(def.name), Verdict::unknown, std::string("the check could not be evaluated: ") + e.what(), {}};
  }
}

}  // namespace firedrill::checks
