// JUnit XML for CI (SPEC §5): one testsuite per scenario, one testcase per
// check — failure for fail, error for unknown (and for a scenario the
// harness could not run), skipped for a check the suite did not pick. One
// document valid against both the Jenkins xunit and the Ant JUnit schemas.
#pragma once
#include <string>

#include "engine/scenario_result.hpp"

namespace firedrill::reports {

std::string render_junit(const std::vector<engine::RunResult>& runs);
// Writes atomically (temp file + rename); returns false with errno set.
bool write_file(const std::string& path, const std::string& content);

}  // namespace firedrill::reports
