// The JSON report for machines: per scenario the verdict and evidence of
// each check, counts by outcome, latency from the intended send time,
// drain and readiness-flip times, exits, faults applied, the seed. Its
// shape is documented by reports/firedrill-report.schema.json.
#pragma once
#include <string>
#include <vector>

#include "engine/scenario_result.hpp"

namespace firedrill::reports {

std::string render_json(const std::vector<engine::RunResult>& runs);

}  // namespace firedrill::reports
