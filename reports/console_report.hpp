// The human summary on the terminal: per scenario the load figures and
// each check's verdict, with the evidence of every failure, then a total.
// Colour only on a TTY and never when NO_COLOR is set.
#pragma once
#include <cstdio>
#include <string>

#include "engine/scenario_result.hpp"
#include "engine/scenario.hpp"

namespace firedrill::reports {

struct ConsoleStyle {
  bool color = false;
  bool verbose = false;  // also show the evidence of passing checks
  static ConsoleStyle for_stream(std::FILE* f);
};

std::string render_scenario_summary(const engine::ScenarioResult& s, const ConsoleStyle& style);
// One line, no newline: "[2/3] sigterm-mid-rush 3.2s load | sent 640 ...".
std::string render_progress(const engine::Progress& p, std::size_t number, std::size_t total, const ConsoleStyle& style);
std::string render_totals(const std::vector<engine::RunResult>& runs, const ConsoleStyle& style);

}  // namespace firedrill::reports
