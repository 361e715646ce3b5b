#include "reports/junit_report.hpp"

#include <unistd.h>

#include <cstdio>
#include <ctime>
#include <filesystem>
#include <fstream>

#include <fmt/format.h>

#include "reports/junit_cases.hpp"
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

void render_scenario(std::string& out, const engine::RunResult& run, const engine::ScenarioResult& s, int id,
                     const std::string& host) {
  const std::string classname = run.suite_name + "." + s.name;
  const auto cases = junit_cases(s);
  const auto n = count_cases(cases);
  out += fmt::format(
      "  <testsuite name=\"{}\" package=\"{}\" id=\"{}\" tests=\"{}\" failures=\"{}\" errors=\"{}\" skipped=\"{}\" "
      "time=\"{:.3f}\" timestamp=\"{}\" hostname=\"{}\">\n",
      xml_escape(classname), xml_escape(run.suite_name), id, n.tests, n.failures, n.errors, n.skipped, s.seconds,
      utc_timestamp(s.started), xml_escape(host));
  out += render_properties(run, s, "    ");
  for (const auto& c : cases) out += render_testcase(c, classname, "    ");
  // The Ant schema requires both at suite level, even empty.
  out += fmt::format("    <system-out>{}</system-out>\n", xml_escape(app_output_tail(s)));
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
