// The checker role (Jepsen): a check takes what was observed in a scenario
// and returns pass / fail / unknown with evidence. A check never runs
// anything and never throws at its caller: see registry.cpp.
#pragma once
#include <cstdint>
#include <deque>
#include <string>
#include <string_view>
#include <vector>

#include <boost/unordered/unordered_flat_map.hpp>
#include <boost/unordered/unordered_flat_set.hpp>

#include "history/charge_attempt.hpp"
#include "history/history.hpp"

namespace firedrill::checks {

enum class Verdict { pass, fail, unknown };
std::string_view to_string(Verdict);
bool parse_verdict(std::string_view, Verdict&);

// Per-order observations, keyed by the id in its 8-byte form: a flat table
// of a million ids costs tens of megabytes, not hundreds (bench/run-memory).
template <class T>
using ByOrder = boost::unordered_flat_map<history::OrderId, T>;
using OrderSet = boost::unordered_flat_set<history::OrderId>;

// What the read-back probe learned about each order id at the end.
enum class Stored : std::uint8_t { yes, no, unknown };

struct Readback {
  bool ran = false;                 // false: the app never came back for the read-back
  std::string why_not;              // when !ran
  std::string note;                 // when it ran but was cut short (ids left unknown)
  ByOrder<Stored> by_id;
  Stored state_of(const history::OrderId& id) const;
};

// What the courier stub's ledger holds at the end.
struct CourierLedger {
  bool available = false;
  std::string why_not;
  OrderSet dispatched;
};

// What the telemetry receiver's ledger holds at the end: each order id a
// span or log record carried, with its first arrival.
struct TelemetryLedger {
  bool available = false;
  std::string why_not;
  ByOrder<std::int64_t> first_arrival;
  std::int64_t last_arrival_us = -1;  // of any record; -1: none came
  std::size_t records = 0;            // spans and log records taken in
};

// What the payment gateway stub's ledger holds at the end: every charge
// attempt, replays included, kept sorted by order id (each order's attempts
// in the order they came), so looking an order up needs no table: 32 bytes
// an attempt (bench/run-memory).
using history::ChargeAttempt;

class PaymentLedger {
 public:
  using Attempts = std::deque<ChargeAttempt>;
  bool available = false;
  std::string why_not;

  // All at once, in any order (the stub's arrival order): sorted here.
  void assign(Attempts attempts);
  // One more (hand-built ledgers): kept in place, after the order's others.
  void add(ChargeAttempt a);
  void clear() { attempts_.clear(); }
  // One order's attempts, in arrival order: a view into the ledger. (Not
  // std::ranges::subrange: clang 14, which bench/fuzz builds with, cannot
  // instantiate it over a deque with GCC 12's library.)
  struct OrderAttempts {
    Attempts::const_iterator first, last;
    Attempts::const_iterator begin() const { return first; }
    Attempts::const_iterator end() const { return last; }
  };
  OrderAttempts attempts_of(const history::OrderId& id) const;
  const Attempts& attempts() const { return attempts_; }

 private:
  Attempts attempts_;
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
  std::int64_t cold_start_us = 10'000'000;  // cold-start-within: arrival of a held request to its acceptance
  std::vector<int> allowed_exit_codes{0};
  ErrorBudget error_budget;
};

struct CheckInput {
  const history::History& history;
  const Readback& readback;
  const CourierLedger& courier;
  const Limits& limits;
  const PaymentLedger& payments;
  // The tails of what the containers printed, for evidence: the app's, and
  // the sidecars' as "--- name ---" sections.
  std::string_view app_output = {};
  std::string_view sidecar_output = {};
  const TelemetryLedger* telemetry = nullptr;  // nullptr: not observed
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
