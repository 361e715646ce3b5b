#include "reports/console_report.hpp"
#include "reports/figures.hpp"

#include <unistd.h>

#include <cstdlib>

#include <fmt/format.h>

namespace firedrill::reports {
namespace {

std::string paint(const ConsoleStyle& st, const char* code, std::string_view text) {
  if (!st.color) return std::string(text);
  return fmt::format("\x1b[{}m{}\x1b[0m", code, text);
}

std::string verdict_label(const ConsoleStyle& st, checks::Verdict v) {
  switch (v) {
    case checks::Verdict::pass: return paint(st, "32", "PASS");
    case checks::Verdict::fail: return paint(st, "31;1", "FAIL");
    case checks::Verdict::unknown: return paint(st, "33;1", "UNKN");
  }
  return "?";
}

}  // namespace

ConsoleStyle ConsoleStyle::for_stream(std::FILE* f) {
  ConsoleStyle s;
  const char* no_color = std::getenv("NO_COLOR");
  s.color = ::isatty(fileno(f)) && !(no_color && *no_color);
  return s;
}

std::string render_scenario_summary(const engine::ScenarioResult& s, const ConsoleStyle& st) {
  std::size_t ok = 0, fail = 0, info = 0;
  for (const auto& op : s.history.operations) {
    if (op.outcome == history::Outcome::ok) ++ok;
    else if (op.outcome == history::Outcome::fail) ++fail;
    else ++info;
  }
  std::string out = fmt::format("scenario {}  ({:.1f}s, {} orders at {:.0f}/s: {} accepted, {} refused, {} indeterminate)\n",
                                paint(st, "1", s.name), s.seconds, s.history.operations.size(), s.achieved_rate, ok,
                                fail, info);
  // A phased load: what each phase asked for and what went out in it.
  if (s.load_phases.size() > 1) out += fmt::format("  load phases: {}\n", describe_load_phases(s.load_phases));
  if (s.harness_error) {
    out += fmt::format("  {} the harness could not run this scenario: {}\n", paint(st, "31;1", "ERROR"),
                       *s.harness_error);
    return out;
  }
  for (const auto& r : s.results) {
    out += fmt::format("  {} {:<27} {}\n", verdict_label(st, r.verdict), r.check, r.message);
    if (r.verdict != checks::Verdict::pass || st.verbose)
      for (const auto& e : r.evidence) out += fmt::format("       {}\n", e);
  }
  return out;
}

std::string render_progress(const engine::Progress& p, std::size_t number, std::size_t total, const ConsoleStyle& st) {
  const auto& c = p.orders;
  return fmt::format("[{}/{}] {} {:.1f}s {} | sent {} {} {} {} | in flight {}", number, total, paint(st, "1", p.scenario),
                     p.elapsed_s, p.phase, c.sent, paint(st, "32", fmt::format("accepted {}", c.ok)),
                     paint(st, "90", fmt::format("refused {}", c.fail)),
                     paint(st, "33", fmt::format("indeterminate {}", c.info)), c.in_flight());
}

std::string render_totals(const std::vector<engine::RunResult>& runs, const ConsoleStyle& st) {
  std::size_t pass = 0, fail = 0, unknown = 0, errors = 0, scenarios = 0;
  for (const auto& run : runs)
    for (const auto& s : run.scenarios) {
      ++scenarios;
      if (s.harness_error) ++errors;
      for (const auto& r : s.results) {
        if (r.verdict == checks::Verdict::pass) ++pass;
        else if (r.verdict == checks::Verdict::fail) ++fail;
        else ++unknown;
      }
    }
  bool green = fail == 0 && unknown == 0 && errors == 0 && pass > 0;
  std::string verdict = green ? paint(st, "32;1", "all checks passed") : paint(st, "31;1", "NOT conforming");
  if (pass + fail + unknown == 0 && errors == 0) verdict = paint(st, "31;1", "no check was evaluated");
  return fmt::format("{}: {} scenarios, {} checks passed, {} failed, {} unknown{}\n", verdict, scenarios, pass, fail,
                     unknown, errors ? fmt::format(", {} scenarios could not run", errors) : "");
}

}  // namespace firedrill::reports
