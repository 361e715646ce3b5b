// The checker role (Jepsen): a check takes what was observed in a scenario
// and returns pass / fail / unknown with evidence. A check never runs
// anything and never throws at its caller: see registry.cpp.
#pragma once
#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "history/history.hpp"

namespace firedrill::checks {

enum class Verdict { pass, fail, unknown };
std::string_view to_string(Verdict);
bool parse_verdict(std::string_view, Verdict&);

// What the read-back probe learned about each order id at the end.
enum class Stored { yes, no, unknown };

struct Readback {
  bool ran = false;                 // false: the app never came back for the read-back
  std::string why_not;              // when !ran
  std::string note;                 // when it ran but was cut short (ids left unknown)
  std::unordered_map<std::string, Stored> by_id;
  Stored state_of(const std::string& id) const;
};

// What the courier stub's ledger holds at the end.
struct CourierLedger {
  bool available = false;
  std::string why_not;
  std::unordered_set<std::string> dispatched;
};

// What the payment gateway stub's ledger holds at the end: every charge
// attempt per order id, replays included.
struct ChargeAttempt {
  std::string key;  // "" when the request carried no idempotency key
  std::int64_t at_us = 0;
  bool new_charge = false;  // false: an idempotent replay of an earlier key
};

struct PaymentLedger {
  bool available = false;
  std::string why_not;
  std::unordered_map<std::string, std::vector<ChargeAttempt>> by_order;
};

// The share of non-accepted orders a scenario may have: outside the windows
// where something was deliberately broken, and within them.
struct ErrorBudget {
  double outside = 0.01;
  double within = 1.0;
};

struct Limits {
  std::int64_t grace_us = 5'000'000;
  std::int64_t readiness_flip_us = 500'000;
  std::int64_t ready_within_us = 10'000'000;
  std::vector<int> allowed_exit_codes{0};
  ErrorBudget error_budget;
};

struct CheckInput {
  const history::History& history;
  const Readback& readback;
  const CourierLedger& courier;
  const Limits& limits;
  const PaymentLedger& payments;
};

struct CheckResult {
  std::string check;
  Verdict verdict = Verdict::unknown;
  std::string message;                // one sentence: what held or what broke, with counts
  std::vector<std::string> evidence;  // first offending items with their timeline
};

// How many offending items a failure lists; the count is always complete.
inline constexpr std::size_t evidence_limit = 5;

}  // namespace firedrill::checks
