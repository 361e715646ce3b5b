// Writes the reports a command was asked for (JUnit, JSON, HTML), each atomically.
#include <cerrno>
#include <cstdio>
#include <cstring>

#include "cli/commands.hpp"
#include "reports/html_report.hpp"
#include "reports/json_report.hpp"
#include "reports/junit_report.hpp"

namespace firedrill::cli {

bool write_reports(const std::vector<engine::RunResult>& runs, const ReportPaths& paths) {
  bool ok = true;
  auto write = [&](const std::optional<std::string>& path, const char* what, const std::string& content) {
    if (!path) return;
    if (!reports::write_file(*path, content)) {
      std::fprintf(stderr, "firedrill: cannot write the %s report to %s: %s\n", what, path->c_str(), std::strerror(errno));
      ok = false;
    }
  };
  write(paths.junit, "JUnit", reports::render_junit(runs));
  write(paths.json, "JSON", reports::render_json(runs));
  write(paths.html, "HTML", reports::render_html(runs));
  return ok;
}

}  // namespace firedrill::cli
