#include "reports/junit_report.hpp"

#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <ctime>
#include <filesystem>
#include <fstream>

#include <fmt/format.h>

#include "checks/registry.hpp"
#include "reports/xml_text.hpp"

namespace firedrill::reports {
namespace {

std::string utc_timestamp(std::chrono::system_clock::time_point t) {
  std::time_t tt = std::chrono::system_clock::to_time_t(t);
  std::tm tm{};
  gmtime_r(&tt, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%S", &tm);  // no zone, no fraction: the Ant schema's pattern
  return buf;
}

std::string hostname() {
  char buf[256] = {};
  if (::gethostname(buf, sizeof buf - 1) != 0 || !buf[0]) return "localhost";
  return buf;
}

std::string check_text(const checks::CheckResult& r) {
  std::string text = r.message;
  for (const auto& e : r.evidence) text += "\n  " + e;
  return text;
}

void render_scenario(std::string& out, const engine::RunResult& run, const engine::ScenarioResult& s, int id,
                     const std::string& host) {
  const std::string classname = xml_escape(run.suite_name + "." + s.name);
  std::size_t failures = 0, errors = 0, skipped = 0, tests = 0;
  std::string cases;
  for (const auto& def : checks::all_checks()) {
    ++tests;
    const std::string name(def.name);
    cases += fmt::format("    <testcase name=\"{}\" classname=\"{}\" time=\"0\"", name, classname);
    const checks::CheckResult* result = nullptr;
    for (const auto& r : s.results)
      if (r.check == name) result = &r;
    const bool is_picked = engine::reports_check(s, name);
    if (s.harness_error && is_picked) {
      ++errors;
      // A merge's missing scenario was not run by anyone: no harness failed.
      cases += fmt::format(">\n      <error type=\"{0}\" message=\"{1}\">{1}</error>\n    </testcase>\n",
                           s.missing ? "missing" : "harness-error",
                           xml_escape(s.missing ? "not in the merged run folders: " + *s.harness_error
                                                : "the harness could not run the scenario: " + *s.harness_error));
    } else if (!result) {
      ++skipped;
      cases += ">\n      <skipped message=\"not selected for this scenario\"/>\n    </testcase>\n";
    } else if (result->verdict == checks::Verdict::pass) {
      cases += "/>\n";
    } else {
      bool fail = result->verdict == checks::Verdict::fail;
      (fail ? failures : errors)++;
      cases += fmt::format(">\n      <{0} type=\"{1}\" message=\"{2}\">{3}</{0}>\n    </testcase>\n",
                           fail ? "failure" : "error", fail ? "check-failed" : "check-unknown",
                           xml_escape(result->message), xml_escape(check_text(*result)));
    }
  }
  out += fmt::format(
      "  <testsuite name=\"{}\" package=\"{}\" id=\"{}\" tests=\"{}\" failures=\"{}\" errors=\"{}\" skipped=\"{}\" "
      "time=\"{:.3f}\" timestamp=\"{}\" hostname=\"{}\">\n",
      classname, xml_escape(run.suite_name), id, tests, failures, errors, skipped, s.seconds,
      utc_timestamp(s.started), xml_escape(host));
  out += "    <properties>\n";
  auto prop = [&](std::string_view k, const std::string& v) {
    out += fmt::format("      <property name=\"{}\" value=\"{}\"/>\n", k, xml_escape(v));
  };
  prop("seed", std::to_string(s.seed));
  prop("target", s.target);
  prop("suite", run.suite_path);
  prop("scenario", s.name);
  prop("orders", std::to_string(s.history.operations.size()));
  out += "    </properties>\n";
  out += cases;
  std::string app_out = s.app_output;
  if (s.app_output_dropped) app_out = fmt::format("[{} earlier bytes cut]\n", s.app_output_dropped) + app_out;
  out += fmt::format("    <system-out>{}</system-out>\n", xml_escape(app_out));
  out += fmt::format("    <system-err>{}</system-err>\n", xml_escape(s.sidecar_output));
  out += "  </testsuite>\n";
}

}  // namespace

std::string render_junit(const std::vector<engine::RunResult>& runs) {
  std::string out = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites>\n";
  const std::string host = hostname();
  int id = 0;
  for (const auto& run : runs)
    for (const auto& s : run.scenarios) {
      render_scenario(out, run, s, id++, host);
    }
  out += "</testsuites>\n";
  return out;
}

bool write_file(const std::string& path, const std::string& content) {
  std::filesystem::path p(path);
  std::error_code ec;
  if (p.has_parent_path()) std::filesystem::create_directories(p.parent_path(), ec);
  const std::string tmp = path + ".tmp";
  {
    std::ofstream f(tmp, std::ios::binary | std::ios::trunc);
    if (!f) return false;
    f << content;
    if (!f.flush()) return false;
  }
  return std::rename(tmp.c_str(), path.c_str()) == 0;
}

}  // namespace firedrill::reports
