// Shared wording for evidence, so every check names counts and the first
// order ids with their timeline the same way.
#pragma once
#include <string>
#include <vector>

#include "checks/check.hpp"

namespace firedrill::checks {

// Appends describe(op) for the first evidence_limit operations.
void add_operations(CheckResult& r, const std::vector<const history::Operation*>& ops);

// "SIGTERM t=2.000s, exit t=3.100s (code 0)" for the app's lifecycle, so a
// reader can place the listed orders in time.
std::string pod_timeline(const history::History& h);

std::string signal_name(int sig);

}  // namespace firedrill::checks
