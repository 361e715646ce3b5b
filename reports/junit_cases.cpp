// The mapping of junit_cases.hpp: verdicts to testcases, and the pieces
// (properties, output tail) both JUnit flavours place in their own way.
#include "reports/junit_cases.hpp"

#include <fmt/format.h>

#include "checks/registry.hpp"
#include "reports/xml_text.hpp"

namespace firedrill::reports {
namespace {

using Outcome = JunitCase::Outcome;

std::string check_text(const checks::CheckResult& r) {
  std::string text = r.message;
  for (const auto& e : r.evidence) text += "\n  " + e;
  return text;
}

const checks::CheckResult* result_of(const engine::ScenarioResult& s, const std::string& check) {
  const checks::CheckResult* found = nullptr;
  for (const auto& r : s.results)
    if (r.check == check) found = &r;  // the last one, as the reports always took
  return found;
}

}  // namespace

std::vector<JunitCase> junit_cases(const engine::ScenarioResult& s) {
  std::vector<JunitCase> cases;
  for (const auto& def : checks::all_checks()) {
    JunitCase c;
    c.check = std::string(def.name);
    const checks::CheckResult* result = result_of(s, c.check);
    if (s.harness_error && engine::reports_check(s, c.check)) {
      // A merge's missing scenario was not run by anyone: no harness failed.
      c.outcome = Outcome::error;
      c.type = s.missing ? "missing" : "harness-error";
      c.message = s.missing ? "not in the merged run folders: " + *s.harness_error
                            : "the harness could not run the scenario: " + *s.harness_error;
      c.text = c.message;
    } else if (!result) {
      c.outcome = Outcome::skipped;
      c.message = "not selected for this scenario";
    } else if (result->verdict != checks::Verdict::pass) {
      const bool fail = result->verdict == checks::Verdict::fail;
      c.outcome = fail ? Outcome::failed : Outcome::error;
      c.type = fail ? "check-failed" : "check-unknown";
      c.message = result->message;
      c.text = check_text(*result);
    }
    cases.push_back(std::move(c));
  }
  return cases;
}

JunitCounts count_cases(const std::vector<JunitCase>& cases) {
  JunitCounts n;
  for (const auto& c : cases) {
    ++n.tests;
    if (c.outcome == Outcome::failed) ++n.failures;
    if (c.outcome == Outcome::error) ++n.errors;
    if (c.outcome == Outcome::skipped) ++n.skipped;
  }
  return n;
}

std::string render_testcase(const JunitCase& c, std::string_view classname, std::string_view indent,
                            std::string_view inner) {
  // Checks have no duration of their own: the scenario's time is the suite's.
  std::string out = fmt::format("{}<testcase name=\"{}\" classname=\"{}\" time=\"0\"", indent, xml_escape(c.check),
                                xml_escape(classname));
  std::string body;
  if (c.outcome == Outcome::skipped) {
    body = fmt::format("{}  <skipped message=\"{}\"/>\n", indent, xml_escape(c.message));
  } else if (c.outcome != Outcome::passed) {
    body = fmt::format("{0}  <{1} type=\"{2}\" message=\"{3}\">{4}</{1}>\n", indent,
                       c.outcome == Outcome::failed ? "failure" : "error", xml_escape(c.type), xml_escape(c.message),
                       xml_escape(c.text));
  }
  body += inner;
  if (body.empty()) return out + "/>\n";
  return fmt::format("{}>\n{}{}</testcase>\n", out, body, indent);
}

std::string render_properties(const engine::RunResult& run, const engine::ScenarioResult& s, std::string_view indent) {
  std::string out = fmt::format("{}<properties>\n", indent);
  auto prop = [&](std::string_view k, const std::string& v) {
    out += fmt::format("{}  <property name=\"{}\" value=\"{}\"/>\n", indent, k, xml_escape(v));
  };
  prop("seed", std::to_string(s.seed));
  prop("target", s.target);
  prop("suite", run.suite_path);
  prop("scenario", s.name);
  prop("orders", std::to_string(s.history.operations.size()));
  out += fmt::format("{}</properties>\n", indent);
  return out;
}

std::string app_output_tail(const engine::ScenarioResult& s) {
  if (!s.app_output_dropped) return s.app_output;
  return fmt::format("[{} earlier bytes cut]\n", s.app_output_dropped) + s.app_output;
}

}  // namespace firedrill::reports
