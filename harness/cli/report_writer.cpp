// Writes the reports a command was asked for (JUnit as one file or one per
// scenario, JSON, HTML), each file atomically.
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <set>

#include "cli/commands.hpp"
#include "reports/html_report.hpp"
#include "reports/json_report.hpp"
#include "reports/junit_report.hpp"
#include "reports/surefire_report.hpp"

namespace firedrill::cli {
namespace {

// Files of an earlier report in the folder are the user's to remove, but a
// CI step that reads TEST-*.xml there would take them for this run's
// verdicts: say so.
void warn_of_other_junit_files(const std::string& dir, const std::vector<reports::ReportFile>& ours) {
  std::set<std::string> mine;
  for (const auto& f : ours) mine.insert(f.name);
  std::size_t others = 0;
  std::string example;
  std::error_code ec;
  for (const auto& e : std::filesystem::directory_iterator(dir, ec)) {
    const std::string name = e.path().filename().string();
    if (name.rfind("TEST-", 0) != 0 || !name.ends_with(".xml") || mine.count(name)) continue;
    ++others;
    if (example.empty()) example = name;
  }
  if (others)
    std::fprintf(stderr,
                 "firedrill: warning: %s also holds %zu TEST-*.xml file(s) this report did not write, such as %s: CI "
                 "would read them as results too; give --junit-dir an empty folder\n",
                 dir.c_str(), others, example.c_str());
}

}  // namespace

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
  if (paths.junit_dir) {
    // Made even when no scenario ran (an empty shard), so the folder a CI step reads exists.
    std::error_code ec;
    std::filesystem::create_directories(*paths.junit_dir, ec);
    if (ec) {
      std::fprintf(stderr, "firedrill: cannot make the JUnit folder %s: %s\n", paths.junit_dir->c_str(),
                   ec.message().c_str());
      ok = false;
    } else {
      const auto files = reports::render_surefire_files(runs);
      warn_of_other_junit_files(*paths.junit_dir, files);
      for (const auto& f : files) write(*paths.junit_dir + "/" + f.name, "JUnit", f.content);
    }
  }
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
