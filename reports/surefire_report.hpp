// JUnit XML as Maven Surefire writes it (--junit-dir): one file per
// scenario with a <testsuite> root, valid against both Surefire schemas
// (3.0 and 3.0.2) and the Jenkins xunit one. Those schemas forbid what the
// Ant schema requires (hostname, timestamp, suite-level output), so this is
// a second flavour beside junit_report's <testsuites> file, never a
// replacement. The mapping itself is junit_cases'.
#pragma once
#include <string>
#include <vector>

#include "engine/scenario_result.hpp"

namespace firedrill::reports {

std::string render_surefire(const engine::RunResult& run, const engine::ScenarioResult& s);

struct ReportFile {
  std::string name;  // a file name, no folder (surefire_file_names)
  std::string content;
};
// Every scenario of every run, in report order; none when there is none.
std::vector<ReportFile> render_surefire_files(const std::vector<engine::RunResult>& runs);

}  // namespace firedrill::reports
