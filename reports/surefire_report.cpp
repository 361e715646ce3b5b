// The Surefire flavour of surefire_report.hpp: where each piece of
// junit_cases sits in a per-scenario <testsuite> document.
#include "reports/surefire_report.hpp"

#include <fmt/format.h>

#include "reports/junit_cases.hpp"
#include "reports/surefire_file_names.hpp"
#include "reports/xml_text.hpp"

namespace firedrill::reports {
namespace {

using Outcome = JunitCase::Outcome;

// The cases that carry the scenario's output. It belongs to the whole
// scenario, but Surefire's schemas have room for it only in a testcase, and
// a 64 KiB tail copied into every check would swell the file thirteenfold.
// So it sits where a reader looks: on each failed or errored case; a
// scenario without one keeps it on its first passed case (else its first
// case), so no report loses it.
std::vector<bool> output_holders(const std::vector<JunitCase>& cases) {
  std::vector<bool> holds(cases.size(), false);
  bool any = false;
  for (std::size_t i = 0; i < cases.size(); ++i)
    if (cases[i].outcome == Outcome::failed || cases[i].outcome == Outcome::error) holds[i] = any = true;
  if (any || cases.empty()) return holds;
  std::size_t first = 0;
  while (first < cases.size() && cases[first].outcome != Outcome::passed) ++first;
  holds[first < cases.size() ? first : 0] = true;
  return holds;
}

// The app's tail in system-out, the sidecars' in system-err; an empty one
// is left out, as Surefire does.
std::string case_output(const engine::ScenarioResult& s) {
  std::string out;
  if (const auto tail = app_output_tail(s); !tail.empty())
    out += fmt::format("    <system-out>{}</system-out>\n", xml_escape(tail));
  if (!s.sidecar_output.empty()) out += fmt::format("    <system-err>{}</system-err>\n", xml_escape(s.sidecar_output));
  return out;
}

}  // namespace

std::string render_surefire(const engine::RunResult& run, const engine::ScenarioResult& s) {
  const std::string classname = run.suite_name + "." + s.name;
  const auto cases = junit_cases(s);
  const auto n = count_cases(cases);
  // No hostname, timestamp, package or id: Surefire 3.0's schema forbids them.
  std::string out = fmt::format(
      "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
      "<testsuite name=\"{}\" tests=\"{}\" failures=\"{}\" errors=\"{}\" skipped=\"{}\" time=\"{:.3f}\">\n",
      xml_escape(classname), n.tests, n.failures, n.errors, n.skipped, s.seconds);
  out += render_properties(run, s, "  ");
  const auto holders = output_holders(cases);
  const std::string output = case_output(s);
  for (std::size_t i = 0; i < cases.size(); ++i)
    out += render_testcase(cases[i], classname, "  ", holders[i] ? std::string_view(output) : std::string_view());
  out += "</testsuite>\n";
  return out;
}

std::vector<ReportFile> render_surefire_files(const std::vector<engine::RunResult>& runs) {
  const auto names = surefire_file_names(runs);
  std::vector<ReportFile> files;
  for (const auto& run : runs)
    for (const auto& s : run.scenarios) files.push_back({names[files.size()], render_surefire(run, s)});
  return files;
}

}  // namespace firedrill::reports
