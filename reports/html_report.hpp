// The HTML report for people (SPEC §5): one self-contained file per run
// with, per scenario, the timeline picture, the checks with their evidence
// and the app's output tail. It must never need the network (no external
// fonts, scripts, images or styles; a Content-Security-Policy forbids them
// all) and never let a byte the app printed become markup.
#pragma once
#include <string>
#include <vector>

#include "engine/scenario_result.hpp"

namespace firedrill::reports {

std::string render_html(const std::vector<engine::RunResult>& runs);

}  // namespace firedrill::reports
