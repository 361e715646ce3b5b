// Every check by name. The suite names checks; this is where a name becomes
// code, and where a check that throws becomes "unknown" instead of a crash.
#pragma once
#include <string_view>
#include <vector>

#include "checks/check.hpp"

namespace firedrill::checks {

using Evaluate = CheckResult (*)(const CheckInput&);

struct CheckDef {
  std::string_view name;
  std::string_view fails_when;
  Evaluate evaluate;
};

const std::vector<CheckDef>& all_checks();
const CheckDef* find_check(std::string_view name);

// Runs one check; exceptions become an unknown verdict naming the cause.
CheckResult run_check(const CheckDef& def, const CheckInput& input);

CheckResult accepted_orders_durable(const CheckInput&);
CheckResult refused_orders_absent(const CheckInput&);
CheckResult accepted_orders_dispatched(const CheckInput&);
CheckResult drain_within_grace(const CheckInput&);
CheckResult in_flight_completed(const CheckInput&);
CheckResult readiness_flips(const CheckInput&);
CheckResult ready_within(const CheckInput&);
CheckResult accepted_orders_charged_once(const CheckInput&);
CheckResult error_budget(const CheckInput&);
CheckResult no_leftover_processes(const CheckInput&);
CheckResult no_unexpected_exits(const CheckInput&);
CheckResult telemetry_delivered(const CheckInput&);
CheckResult cold_start_within(const CheckInput&);

}  // namespace firedrill::checks
