// Turns a suite's fault step into the proxy's FaultSpec, and checks every
// fault step of a suite against the fault catalogue (which the suite model
// does not know), reporting at the step's file:line:col.
#pragma once
#include <optional>
#include <string>

#include "faults/fault_spec.hpp"
#include "suite/suite.hpp"

namespace firedrill::engine {

faults::FaultSpec to_fault_spec(const suite::FaultStepSpec& step);
// A one-line description for events and reports: "latency downstream p=1 latency=3s".
std::string describe(const suite::FaultStepSpec& step);
// Throws suite::SuiteError (file:line:col: what was expected) on a bad fault.
void validate_faults(const suite::Suite& suite);

}  // namespace firedrill::engine
