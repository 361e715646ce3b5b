#include "reports/html_report.hpp"

#include <fmt/format.h>

#include "reports/figures.hpp"
#include "reports/html_style.hpp"
#include "reports/svg_timeline.hpp"
#include "reports/xml_text.hpp"

namespace firedrill::reports {
namespace {

// xml_escape is valid HTML text too, and it turns bytes that are not
// UTF-8 into visible \xNN, so an app's output can never become markup.
std::string esc(std::string_view s) { return xml_escape(s); }

struct Tally {
  std::size_t accepted = 0, refused = 0, indeterminate = 0;
  std::size_t pass = 0, fail = 0, unknown = 0;
};

Tally tally(const engine::ScenarioResult& s) {
  Tally t;
  for (const auto& op : s.history.operations)
    (op.outcome == history::Outcome::ok ? t.accepted : op.outcome == history::Outcome::fail ? t.refused : t.indeterminate)++;
  for (const auto& r : s.results)
    (r.verdict == checks::Verdict::pass ? t.pass : r.verdict == checks::Verdict::fail ? t.fail : t.unknown)++;
  return t;
}

// A scenario is as bad as its worst check; one with no evaluated check is
// unknown, never a pass (SPEC §4).
std::string verdict_of(const engine::ScenarioResult& s) {
  if (s.harness_error) return "error";
  const Tally t = tally(s);
  if (t.fail) return "fail";
  if (t.unknown || !t.pass) return "unknown";
  return "pass";
}

std::string badge(std::string_view verdict) {
  return fmt::format("<span class=\"badge {0}\">{0}</span>", verdict);
}

void summary(std::string& out, const engine::RunResult& run, int first_id) {
  std::size_t pass = 0, fail = 0, unknown = 0;
  for (const auto& s : run.scenarios) {
    const Tally t = tally(s);
    pass += t.pass, fail += t.fail, unknown += t.unknown;
  }
  out += fmt::format("<header class=\"run\"><h1>firedrill report <span class=\"suite\">{}</span></h1>", esc(run.suite_name));
  out += fmt::format("<p class=\"sub\">suite <code>{}</code> · seed {} · {} scenario{} · "
                     "checks: {} passed, {} failed, {} unknown</p>",
                     esc(run.suite_path), run.seed, run.scenarios.size(), run.scenarios.size() == 1 ? "" : "s", pass,
                     fail, unknown);
  out += "<table class=\"summary\"><tr><th>scenario</th><th>result</th><th class=\"n\">checks passed</th>"
         "<th class=\"n\">accepted</th><th class=\"n\">refused</th><th class=\"n\">indeterminate</th></tr>";
  int id = first_id;
  for (const auto& s : run.scenarios) {
    const Tally t = tally(s);
    out += fmt::format("<tr><td><a href=\"#scenario-{}\">{}</a></td><td>{}</td><td class=\"n\">{} / {}</td>"
                       "<td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td></tr>",
                       id++, esc(s.name), badge(verdict_of(s)), t.pass, s.results.size(), t.accepted, t.refused,
                       t.indeterminate);
  }
  out += "</table></header>";
}

void checks_table(std::string& out, const engine::ScenarioResult& s, const std::string& id) {
  out += "<h3>Checks</h3>";
  if (s.results.empty()) {
    out += "<p class=\"empty\">No check was evaluated.</p>";
    return;
  }
  out += fmt::format("<table class=\"checks\" id=\"{}-checks\">", id);
  for (const auto& r : s.results) {
    const std::string v(checks::to_string(r.verdict));
    out += fmt::format("<tr class=\"check {0}\" data-check=\"{1}\"><td class=\"verdict\">{2}</td><td class=\"name\">{1}</td>"
                       "<td><p class=\"message\">{3}</p>",
                       v, esc(r.check), badge(v), esc(r.message));
    if (!r.evidence.empty()) {
      out += "<ul class=\"evidence\">";
      for (const auto& e : r.evidence) out += "<li>" + esc(e) + "</li>";
      out += "</ul>";
    }
    out += "</td></tr>";
  }
  out += "</table>";
}

void output_tail(std::string& out, std::string_view title, std::string_view cls, const std::string& text,
                 std::size_t dropped) {
  out += fmt::format("<h3>{}</h3>", title);
  if (text.empty() && !dropped) {
    out += "<p class=\"empty\">Nothing was printed.</p>";
    return;
  }
  out += fmt::format("<p class=\"note\">the last {} bytes{}, scrolled to the end</p>", text.size(),
                     dropped ? fmt::format(", {} earlier bytes cut", dropped) : "");
  out += fmt::format("<div class=\"output-box\"><pre class=\"output {}\">{}</pre></div>", cls, esc(text));
}

void scenario(std::string& out, const engine::ScenarioResult& s, int index) {
  const std::string id = fmt::format("scenario-{}", index);
  const std::string verdict = verdict_of(s);
  const Tally t = tally(s);
  out += fmt::format("<section class=\"scenario {0}\" id=\"{1}\"><h2>{2}<span class=\"name\">{3}</span></h2>", verdict,
                     id, badge(verdict), esc(s.name));
  auto meta = [&](std::string_view k, const std::string& v) {
    out += fmt::format("<div><dt>{}</dt><dd>{}</dd></div>", k, v);
  };
  out += "<dl class=\"meta\">";
  meta("target", "<code>" + esc(s.target) + "</code>");
  meta("seed", std::to_string(s.seed));
  meta("duration", fmt::format("{:.1f} s", s.seconds));
  meta("orders", fmt::format("{} ({} accepted, {} refused, {} indeterminate)", s.history.operations.size(), t.accepted,
                             t.refused, t.indeterminate));
  meta("sent", fmt::format("{:.0f}/s", s.achieved_rate));
  if (s.load_phases.size() > 1) meta("load phases", esc(describe_load_phases(s.load_phases)));
  out += "</dl>";
  if (s.harness_error)
    out += "<p class=\"harness-error\"><b>The harness could not run this scenario:</b> " + esc(*s.harness_error) + "</p>";
  const TimelineModel model = build_timeline(s.history, s.limits.grace_us);
  out += "<figure class=\"timeline\">" + render_timeline_svg(model, id) + render_legend(model) + "</figure>";
  checks_table(out, s, id);
  output_tail(out, "App output", "app-output", s.app_output, s.app_output_dropped);
  if (!s.sidecar_output.empty()) output_tail(out, "Sidecar output", "sidecar-output", s.sidecar_output, 0);
  out += "</section>";
}

}  // namespace

std::string render_html(const std::vector<engine::RunResult>& runs) {
  std::string title = "firedrill report";
  if (runs.size() == 1) title += ": " + runs.front().suite_name;
  std::string out = fmt::format(
      "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
      "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
      // The report is data, not a program: nothing may load or run.
      "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">"
      "<title>{}</title><style>{}</style></head><body><main>\n",
      esc(title), html_report_css());
  int index = 0;
  for (const auto& run : runs) {
    summary(out, run, index);
    for (const auto& s : run.scenarios) {
      scenario(out, s, index++);
      out += "\n";
    }
  }
  return out + "</main></body></html>\n";
}

}  // namespace firedrill::reports
