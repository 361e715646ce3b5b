// Writes the reports a command was asked for (JUnit, JSON, HTML), each atomically.
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>

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

void append_job_summary(const std::vector<engine::RunResult>& runs, const reports::JobSummaryContext& context) {
  const char* path = std::getenv("GITHUB_STEP_SUMMARY");
  if (!path || !*path) return;
  std::error_code ec;
  const auto used = std::filesystem::exists(path, ec) ? std::filesystem::file_size(path, ec) : 0;
  const std::size_t room = ec || used >= reports::job_summary_limit ? 0 : reports::job_summary_limit - used;
  const auto text = reports::render_job_summary(runs, context, room);
  if (text.empty()) {
    std::fprintf(stderr, "firedrill: the job summary %s is full (GitHub allows 1 MiB per step); nothing appended\n", path);
    return;
  }
  std::ofstream out(path, std::ios::binary | std::ios::app);
  out << text;
  if (!out.flush())
    std::fprintf(stderr, "firedrill: warning: cannot append the job summary to %s (GITHUB_STEP_SUMMARY): %s\n", path,
                 std::strerror(errno));
}

}  // namespace firedrill::cli
