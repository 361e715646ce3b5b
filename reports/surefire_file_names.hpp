// Names of the per-scenario JUnit files (--junit-dir): Surefire's
// TEST-<class>.xml with <suite>.<scenario> as the class, safe on any file
// system, archive and CI artifact store: only [A-Za-z0-9._-], any other
// byte becomes `_`. No two scenarios ever share a file — a second file of
// the same name would silently replace the first one's verdicts — not even
// where the file system ignores case.
#pragma once
#include <string>
#include <vector>

#include "engine/scenario_result.hpp"

namespace firedrill::reports {

// One name per scenario, in report order (runs, then their scenarios). A
// scenario whose safe name is unique keeps TEST-<suite>.<scenario>.xml;
// those that would collide, and names cut to fit a file system's 255
// bytes, get "-" and 8 hex digits of a hash of the real names (stable
// whatever else a shard or a merge holds), and an ordinal after that only
// if two scenarios have the very same names.
std::vector<std::string> surefire_file_names(const std::vector<engine::RunResult>& runs);

}  // namespace firedrill::reports
