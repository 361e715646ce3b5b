#include "engine/fault_steps.hpp"

#include <fmt/format.h>

#include "suite/values.hpp"

namespace firedrill::engine {

faults::FaultSpec to_fault_spec(const suite::FaultStepSpec& step) {
  faults::FaultSpec spec;
  spec.type = step.type;
  spec.direction = faults::parse_direction(step.direction).value_or(faults::Direction::both);
  spec.probability = step.probability;
  spec.params = step.params;
  return spec;
}

std::string describe(const suite::FaultStepSpec& step) {
  std::string out = fmt::format("{} {} p={}", step.type, step.direction, step.probability);
  for (const auto& [k, v] : step.params) out += fmt::format(" {}={}", k, v);
  return out;
}

void validate_faults(const suite::Suite& suite) {
  for (const auto& scenario : suite.scenarios)
    for (const auto& step : scenario.timeline) {
      if (step.action != suite::Action::fault) continue;
      const auto names = faults::fault_names();
      bool known = false;
      for (auto n : names) known |= n == step.fault.type;
      if (!known) {
        std::string hint = suite::nearest(step.fault.type, names);
        throw suite::SuiteError(fmt::format("{}: unknown fault '{}'{}; valid faults: {}", step.fault.type_where.str(),
                                            step.fault.type,
                                            hint.empty() ? "" : fmt::format(" (did you mean '{}'?)", hint),
                                            fmt::join(names, ", ")));
      }
      if (auto error = faults::validate(to_fault_spec(step.fault)))
        throw suite::SuiteError(fmt::format("{}: {}", step.fault.params_where.str(), *error));
    }
}

}  // namespace firedrill::engine
