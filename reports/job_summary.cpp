#include "reports/job_summary.hpp"

#include <algorithm>
#include <set>

#include <fmt/format.h>

#include "checks/registry.hpp"
#include "reports/xml_text.hpp"

namespace firedrill::reports {
namespace {

// Bytes of one piece of foreign text in a cell: enough for a sentence.
constexpr std::size_t cell_text_bytes = 240;
constexpr std::size_t max_notes = 20;

// Cuts at a UTF-8 character boundary.
std::string clip(std::string s, std::size_t bytes) {
  if (s.size() <= bytes) return s;
  std::size_t cut = bytes;
  while (cut > 0 && (static_cast<unsigned char>(s[cut]) & 0xc0) == 0x80) --cut;
  s.resize(cut);
  return s + "…";
}

// Text from a target or a suite as a code span: no markup, no autolink, no
// HTML; a fence longer than any backtick run in it. In a table cell every
// pipe is escaped, as GitHub's tables require even inside code.
std::string code(std::string_view raw, bool in_table = true) {
  std::string text = clip(one_line_text(raw), cell_text_bytes);
  if (text.find_first_not_of(' ') == std::string::npos) return "—";
  std::size_t longest = 0, run = 0;
  for (char c : text) {
    run = c == '`' ? run + 1 : 0;
    longest = std::max(longest, run);
  }
  const std::string fence(longest + 1, '`');
  const bool pad = text.front() == '`' || text.back() == '`' || text.front() == ' ' || text.back() == ' ';
  std::string escaped;
  for (char c : text) {
    if (c == '|' && in_table) escaped += '\\';
    escaped += c;
  }
  return pad ? fence + " " + escaped + " " + fence : fence + escaped + fence;
}

std::string cell(const engine::ScenarioResult& s, std::string_view check) {
  if (!engine::reports_check(s, check)) return "—";
  if (s.harness_error) return "💥 error: " + code(*s.harness_error);
  const checks::CheckResult* r = nullptr;
  for (const auto& x : s.results)
    if (x.check == check) r = &x;
  if (!r) return "💥 error: " + code("no verdict was recorded");
  switch (r->verdict) {
    case checks::Verdict::pass: return "✅ pass";
    case checks::Verdict::fail: break;
    case checks::Verdict::unknown: break;
  }
  std::string out = r->verdict == checks::Verdict::fail ? "❌ fail: " : "⚠️ unknown: ";
  out += code(r->message);
  if (!r->evidence.empty()) out += " " + code(r->evidence.front());
  return out;
}

bool passed(const engine::ScenarioResult& s) {
  if (s.harness_error || s.results.empty()) return false;
  return std::all_of(s.results.begin(), s.results.end(), [](const auto& r) { return r.verdict == checks::Verdict::pass; });
}

}  // namespace

std::string render_job_summary(const std::vector<engine::RunResult>& runs, const JobSummaryContext& context,
                               std::size_t limit) {
  // Columns: every check some scenario reports, in the registry's order.
  std::vector<std::string_view> columns;
  std::size_t scenarios = 0, green = 0, errors = 0;
  for (const auto& def : checks::all_checks())
    for (const auto& run : runs)
      for (const auto& s : run.scenarios)
        if (engine::reports_check(s, def.name) && (columns.empty() || columns.back() != def.name))
          columns.push_back(def.name);
  std::set<std::string> suites;
  for (const auto& run : runs) {
    suites.insert(run.suite_name);
    for (const auto& s : run.scenarios) {
      ++scenarios;
      green += passed(s) ? 1 : 0;
      errors += s.harness_error ? 1 : 0;
    }
  }
  const char* mark = context.exit_code == 0 ? "✅" : "❌";
  std::string head = fmt::format("### {} firedrill: {} of {} scenario{} passed (exit {})\n\n", mark, green, scenarios,
                                 scenarios == 1 ? "" : "s", context.exit_code);
  std::string line = context.command;
  if (!context.scope.empty()) line += " · " + context.scope;
  for (const auto& run : runs)
    if (suites.erase(run.suite_name))
      line += fmt::format(" · suite {} ({}, seed {})", code(run.suite_name, false), code(run.suite_path, false), run.seed);
  head += line + "\n\n";
  if (errors) head += fmt::format("{} scenario{} could not run or {} missing.\n\n", errors, errors == 1 ? "" : "s",
                                  errors == 1 ? "is" : "are");
  for (std::size_t i = 0; i < context.notes.size() && i < max_notes; ++i) head += "- " + code(context.notes[i], false) + "\n";
  if (context.notes.size() > max_notes) head += fmt::format("- … and {} more\n", context.notes.size() - max_notes);
  if (!context.notes.empty()) head += "\n";

  std::string table = "| scenario |";
  for (auto c : columns) table += fmt::format(" {} |", c);
  table += "\n| --- |";
  for (std::size_t i = 0; i < columns.size(); ++i) table += " --- |";
  table += "\n";
  std::vector<std::string> rows;
  for (const auto& run : runs)
    for (const auto& s : run.scenarios) {
      std::string row = fmt::format("| {} / {} |", code(run.suite_name), code(s.name));
      for (auto c : columns) row += " " + cell(s, c) + " |";
      rows.push_back(row + "\n");
    }

  // Cut at a row, leaving room for the note that says so.
  auto note = [](std::size_t left_out) {
    return fmt::format("\n_{} more scenario{} not shown: the summary stays within GitHub's 1 MiB per step. The JUnit, "
                       "JSON and HTML reports have every one._\n",
                       left_out, left_out == 1 ? " is" : "s are");
  };
  const std::size_t reserve = note(rows.size()).size();
  std::string out = head + (rows.empty() ? "" : table);
  if (out.size() + reserve > limit) return head.size() + reserve <= limit ? head + note(rows.size()) : "";
  std::size_t shown = 0;
  for (; shown < rows.size() && out.size() + rows[shown].size() + (shown + 1 < rows.size() ? reserve : 0) <= limit;
       ++shown)
    out += rows[shown];
  if (shown < rows.size()) out += note(rows.size() - shown);
  return out;
}

}  // namespace firedrill::reports
