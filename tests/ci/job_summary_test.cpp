// The Markdown job summary (reports/job_summary.hpp) as GitHub shows it:
// rendered by markdown-it with GFM tables and linkify (tests/ci's pinned
// copy), never compared as a string. The table has a row per scenario and a
// column per check, failing cells carry the message and first evidence
// line; hostile names and evidence (pipes, backticks, HTML, bare URLs,
// line breaks, invalid UTF-8) make no link, no HTML and no extra cell; a
// summary above its limit is cut at a row with a note and still renders.
#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>

#include <boost/json.hpp>

#include "node_tools.hpp"
#include "reports/job_summary.hpp"
#include "support/paths.hpp"
#include "support/run_firedrill.hpp"

namespace firedrill::testing {
namespace {
namespace json = boost::json;
using engine::RunResult;
using engine::ScenarioResult;

struct Rendered {
  std::vector<std::vector<std::vector<std::string>>> tables;  // table, row, cell
  std::vector<std::string> links, html;
};

Rendered render(const std::string& markdown, const std::string& name) {
  const auto path = scratch_dir("job-summary-" + name) + "/summary.md";
  std::ofstream(path, std::ios::binary) << markdown;
  auto run = run_command({node_path(), source_path("tests/ci/markdown_tables.mjs"), path}, 120);
  const auto start = run.output.rfind("{\"tables\":");
  if (run.exit_code != 0 || start == std::string::npos) {
    ADD_FAILURE() << "markdown_tables.mjs exited " << run.exit_code << ":\n" << run.output;
    return {};
  }
  Rendered r;
  const auto v = json::parse(run.output.substr(start)).as_object();
  for (const auto& t : v.at("tables").as_array()) {
    auto& table = r.tables.emplace_back();
    for (const auto& row : t.at("rows").as_array()) {
      auto& cells = table.emplace_back();
      for (const auto& c : row.as_array()) cells.emplace_back(c.as_string());
    }
  }
  for (const auto& l : v.at("links").as_array()) r.links.emplace_back(l.is_string() ? l.as_string() : "");
  for (const auto& h : v.at("html").as_array()) r.html.emplace_back(h.as_string());
  return r;
}

checks::CheckResult verdict(const std::string& check, checks::Verdict v, std::string message,
                            std::vector<std::string> evidence = {}) {
  return {check, v, std::move(message), std::move(evidence)};
}

// Two suites' worth: a pass, a fail with hostile evidence, an unknown, a
// harness error, and a scenario whose name is itself hostile.
std::vector<RunResult> runs() {
  RunResult orders;
  orders.suite_name = "orders";
  orders.suite_path = "suites/graceful-shutdown.yaml";
  orders.seed = 42;
  ScenarioResult ok;
  ok.name = "sigterm-mid-rush";
  ok.picked_checks = {"accepted-orders-durable", "drain-within-grace"};
  ok.results = {verdict("accepted-orders-durable", checks::Verdict::pass, "all 100 read back"),
                verdict("drain-within-grace", checks::Verdict::pass, "drained in 0.4s")};
  ScenarioResult bad = ok;
  bad.name = "sigkill | <b>rush</b>";
  bad.results = {verdict("accepted-orders-durable", checks::Verdict::fail, "3 accepted orders lost",
                         {"order ord-1 | see http://evil.example/x and www.evil.example `code` <script>alert(1)</script>\n"
                          "second line \xff\xfe"}),
                 verdict("drain-within-grace", checks::Verdict::unknown, "no SIGTERM was sent")};
  orders.scenarios = {ok, bad};
  RunResult other;
  other.suite_name = "ambassador";
  other.suite_path = "suites/ambassador-faults.yaml";
  other.seed = 43;
  ScenarioResult broken;
  broken.name = "payment-blackhole";
  broken.picked_checks = {"readiness-flips"};
  broken.harness_error = "port 20001 is held by pid 7 ([evil](https://evil.example))";
  other.scenarios = {broken};
  return {orders, other};
}

TEST(JobSummary, RendersATableOfScenarioByCheckWithTheFirstEvidenceLine) {
  FIREDRILL_REQUIRE_CI_TOOL("markdown-it");
  const auto md = reports::render_job_summary(runs(), {"firedrill run", "shard 2/3", {"gave up: a | note"}, 1});
  const auto r = render(md, "table");
  ASSERT_EQ(r.tables.size(), 1u) << md;
  const auto& t = r.tables[0];
  ASSERT_EQ(t.size(), 4u) << "a header and one row per scenario:\n" << md;
  const std::vector<std::string> header{"scenario", "accepted-orders-durable", "drain-within-grace", "readiness-flips"};
  EXPECT_EQ(t[0], header) << md;
  for (const auto& row : t) EXPECT_EQ(row.size(), header.size()) << "no pipe of a name or evidence splits a cell:\n" << md;

  EXPECT_EQ(t[1][0], "orders / sigterm-mid-rush");
  EXPECT_EQ(t[1][1], "✅ pass");
  EXPECT_EQ(t[1][3], "—") << "not picked";

  EXPECT_EQ(t[2][0], "orders / sigkill | <b>rush</b>") << "the name as written, as text";
  const auto& failed = t[2][1];
  EXPECT_EQ(failed.rfind("❌ fail: 3 accepted orders lost ", 0), 0u) << failed;
  EXPECT_NE(failed.find("order ord-1 | see http://evil.example/x and www.evil.example `code` <script>"), std::string::npos)
      << "the first evidence line, whole: " << failed;
  EXPECT_NE(failed.find("second line \\xff\\xfe"), std::string::npos) << "its break a space, bad bytes visible: " << failed;
  EXPECT_EQ(t[2][2].rfind("⚠️ unknown: no SIGTERM was sent", 0), 0u) << t[2][2];

  EXPECT_EQ(t[3][0], "ambassador / payment-blackhole");
  EXPECT_EQ(t[3][1], "—");
  EXPECT_EQ(t[3][3].rfind("💥 error: port 20001 is held by pid 7 ([evil](https://evil.example))", 0), 0u) << t[3][3];

  EXPECT_TRUE(r.links.empty()) << "links to nothing: " << r.links.front();
  EXPECT_TRUE(r.html.empty()) << "no raw HTML: " << r.html.front();
  EXPECT_NE(md.find("shard 2/3"), std::string::npos);
  EXPECT_NE(md.find("exit 1"), std::string::npos);
}

TEST(JobSummary, AboveItsLimitItIsCutAtARowWithANote) {
  FIREDRILL_REQUIRE_CI_TOOL("markdown-it");
  auto many = runs();
  const auto model = many[0].scenarios[1];
  for (int i = 0; i < 400; ++i) {
    auto s = model;
    s.name = "scenario-" + std::to_string(i);
    s.results[0].evidence = {std::string(1000, 'x')};  // clipped per cell, still long
    many[0].scenarios.push_back(s);
  }
  const std::size_t limit = 64 * 1024;
  const auto md = reports::render_job_summary(many, {"firedrill merge", "3 run folders", {}, 1}, limit);
  EXPECT_LE(md.size(), limit);
  EXPECT_GT(md.size(), limit * 3 / 4) << "the room is used";
  EXPECT_NE(md.find("not shown"), std::string::npos) << "the cut says so";
  const auto r = render(md, "cut");
  ASSERT_EQ(r.tables.size(), 1u);
  const std::size_t shown = r.tables[0].size() - 1;
  EXPECT_LT(shown, many[0].scenarios.size() + 1);
  EXPECT_NE(md.find(std::to_string(403 - shown) + " more scenarios"), std::string::npos)
      << shown << " rows shown:\n" << md.substr(md.size() - 400);
  for (const auto& row : r.tables[0]) EXPECT_EQ(row.size(), 4u) << "no row is cut in half";
  // GitHub's own limit is the default.
  EXPECT_LE(reports::render_job_summary(many, {"firedrill merge", "", {}, 1}).size(), reports::job_summary_limit);
}

}  // namespace
}  // namespace firedrill::testing
