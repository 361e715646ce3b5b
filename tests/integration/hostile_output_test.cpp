// SPEC §5 "arbitrary bytes from the app escaped or dropped so the XML stays
// valid", through the real binary: the hostile-output fixture prints ANSI
// colour codes, NUL and every other control byte, invalid UTF-8 of each
// kind, `]]>` and report markup on stdout and stderr, then 1.25 MiB more,
// and crashes at start. The JUnit file must still be well-formed and valid
// against the Jenkins and Ant schemas (the --junit-dir files against the
// Surefire ones and Jenkins'), keep the last 64 KiB of the output with
// a note saying exactly how much was cut, and show every hostile byte as
// visible text; the JSON report must parse and the HTML report must not
// turn the app's markup into elements.
#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <string>
#include <vector>

#include "support/paths.hpp"
#include "support/run_firedrill.hpp"

namespace firedrill::testing {
namespace {

constexpr std::size_t tail_bytes = 64 * 1024;  // what the harness keeps per container

struct HostileRun {
  CommandResult result;
  std::string junit, junit_dir, json, html;  // paths
};

// One firedrill run per test process (ctest runs each test in its own, and
// may run two at once: hence a folder named after the test).
const HostileRun& hostile_run() {
  static const HostileRun run = [] {
    HostileRun r;
    const auto dir = scratch_dir(std::string("hostile-output-") +
                                 ::testing::UnitTest::GetInstance()->current_test_info()->name());
    r.junit = dir + "/junit.xml";
    r.junit_dir = dir + "/junit";
    r.json = dir + "/report.json";
    r.html = dir + "/report.html";
    r.result = run_command({bin_path("firedrill"), "run", source_path("tests/suites/cold-start.yaml"), "--target",
                            bin_path("hostile-output"), "--junit", r.junit, "--junit-dir", r.junit_dir, "--json", r.json,
                            "--html", r.html, "--runs-dir", dir + "/runs"},
                           120);
    return r;
  }();
  return run;
}

// The text between <system-out> and </system-out>. The app prints
// "</system-out>" itself, so this finds the first one after the opening:
// if escaping works, that is ours.
std::string system_out(const std::string& xml) {
  const std::string open = "<system-out>", close = "</system-out>";
  const auto b = xml.find(open);
  if (b == std::string::npos) return "";
  const auto e = xml.find(close, b);
  return e == std::string::npos ? "" : xml.substr(b + open.size(), e - b - open.size());
}

TEST(HostileOutput, CrashAtStartFailsReadinessAndLeavesTheRestUnknown) {
  const auto& run = hostile_run();
  ASSERT_EQ(run.result.exit_code, 1) << run.result.output;
  EXPECT_NE(run.result.output.find("exited with code 3"), std::string::npos) << run.result.output;
  auto v = verdicts_from_junit(read_file(run.junit));
  EXPECT_EQ(v["cold-start/ready-within"], "fail");
  EXPECT_EQ(v["cold-start/accepted-orders-durable"], "unknown");
  EXPECT_EQ(v["cold-start/drain-within-grace"], "unknown");
}

// xmllint's parser is the strict one: any NUL, ESC, stray "]]>" or
// invalid UTF-8 that leaked through makes it refuse the file.
TEST(HostileOutput, JunitIsWellFormedAndHoldsNoForbiddenByte) {
  const auto& run = hostile_run();
  ASSERT_EQ(run.result.exit_code, 1) << run.result.output;
  auto lint = run_command({"/usr/bin/xmllint", "--noout", run.junit}, 60);
  EXPECT_EQ(lint.exit_code, 0) << lint.output;

  const std::string xml = read_file(run.junit);
  // Belt and braces beyond the parser: the only raw control byte left is the
  // newline (tab and CR are written as character references), and no C1
  // control survives even in its valid two-byte UTF-8 form.
  for (std::size_t i = 0; i < xml.size(); ++i) {
    const auto c = static_cast<unsigned char>(xml[i]);
    ASSERT_FALSE((c < 0x20 && c != '\n') || c == 0x7f) << "raw byte 0x" << std::hex << int(c) << " at " << std::dec << i;
    if (c == 0xc2 && i + 1 < xml.size()) {
      const auto next = static_cast<unsigned char>(xml[i + 1]);
      ASSERT_FALSE(next >= 0x80 && next <= 0x9f) << "raw C1 control at " << i;
    }
  }
  EXPECT_EQ(xml.find("]]>"), std::string::npos);
}

TEST(HostileOutput, BothJunitFlavoursAreValidAgainstTheirSchemas) {
  const auto schemas = shared_schemas_dir();
  if (!schemas) GTEST_SKIP() << "../shared/schemas is not here: the third-party JUnit schemas cannot be checked";
  const auto& run = hostile_run();
  ASSERT_EQ(run.result.exit_code, 1) << run.result.output;
  for (const char* xsd : {"jenkins-junit-10.xsd", "ant-junit.xsd"})
    EXPECT_EQ(schema_errors(run.junit, *schemas + "/" + xsd), "") << xsd;
  ASSERT_EQ(junit_dir_files(run.junit_dir).size(), 1u);
  EXPECT_EQ(junit_dir_schema_errors(run.junit_dir, *schemas), "");
  EXPECT_NE(read_file(junit_dir_files(run.junit_dir)[0]).find("earlier bytes cut]"), std::string::npos)
      << "the output tail, on the failed and errored testcases";
}

// The fixture prints the same bytes every time, so the cut can be checked
// to the byte: everything it printed minus the 64 KiB kept.
TEST(HostileOutput, SystemOutKeepsTheTailAndSaysHowMuchWasCut) {
  const auto printed = run_command({bin_path("hostile-output")}, 60);
  ASSERT_EQ(printed.exit_code, 3);
  ASSERT_GT(printed.output.size(), 16 * tail_bytes) << "the fixture must flood far past the tail";
  const auto& run = hostile_run();
  ASSERT_EQ(run.result.exit_code, 1) << run.result.output;
  const std::string out = system_out(read_file(run.junit));
  ASSERT_FALSE(out.empty());

  const std::string note = "[" + std::to_string(printed.output.size() - tail_bytes) + " earlier bytes cut]\n";
  EXPECT_EQ(out.substr(0, note.size()), note) << "system-out begins: " << out.substr(0, 120);
  // The fixture waits for each pipe to drain before its last writes, so its
  // last line is the last line of the tail.
  const std::string last = "LAST-LINE-OF-OUTPUT\n";
  ASSERT_GE(out.size(), last.size());
  EXPECT_EQ(out.substr(out.size() - last.size()), last);
  EXPECT_NE(out.find("end of hostile block on stderr"), std::string::npos) << "stderr is captured too";
  EXPECT_EQ(out.find("filler stdout line 0 "), std::string::npos) << "the start of the output is cut";
  EXPECT_LT(out.size(), 2 * tail_bytes) << "escaping the kept tail may grow it, not the capture";
}

// Each hostile line, as the JUnit file must show it: bytes XML cannot hold
// as visible \xNN, markup and quotes as entities, valid UTF-8 as is.
TEST(HostileOutput, EveryHostileByteIsShownAsText) {
  const auto& run = hostile_run();
  ASSERT_EQ(run.result.exit_code, 1) << run.result.output;
  const std::string out = system_out(read_file(run.junit));
  const std::string stdout_block = out.substr(std::min(out.find("--- hostile block on stdout ---"), out.size()));
  ASSERT_FALSE(stdout_block.empty()) << "the stdout hostile block is not in the tail";

  std::string c0 = "c0: [";
  for (int c = 0; c < 0x20; ++c) {
    char hex[8];
    std::snprintf(hex, sizeof hex, "\\x%02x", c);
    c0 += c == '\t' ? "&#9;" : c == '\n' ? "\n" : c == '\r' ? "&#13;" : hex;
  }
  c0 += "]";
  const std::vector<std::string> shown = {
      R"(ansi: \x1b[31mred\x1b[0m \x1b[1;32mbold green\x1b[0m \x1b]0;title\x07)",
      R"(nul: [\x00] two: [\x00\x00])",
      c0,
      R"(del: [\x7f])",
      R"(c1: [\x80\x81\x82\x83\x84\x85\x86\x87\x88\x89\x8a\x8b\x8c\x8d\x8e\x8f)"
      R"(\x90\x91\x92\x93\x94\x95\x96\x97\x98\x99\x9a\x9b\x9c\x9d\x9e\x9f] c1-as-utf8: [\xc2\x85\xc2\x9b])",
      R"(lone-continuation: [\x80\xbf])",
      R"(truncated: [\xe2\x82] [\xf0\x9f\x98] [\xc3])",
      R"(overlong: [\xc0\xaf] [\xe0\x80\xaf] [\xf0\x80\x80\xaf] [\xc1\xbf])",
      R"(surrogates: [\xed\xa0\x80] [\xed\xbf\xbf] [\xed\xa0\xbd\xed\xb8\x80])",
      R"(fe-ff: [\xfe\xff] [\xef\xbf\xbe] [\xef\xbf\xbf])",
      R"(above-unicode: [\xf4\x90\x80\x80] [\xf5\x80\x80\x80])",
      "valid-utf8: [h\xc3\xa9llo \xe2\x82\xac \xf0\x9f\x94\xa5]",
      "markup: ]]&gt; &lt;![CDATA[ inner ]]&gt; &lt;/system-out&gt;&lt;/testsuite&gt;&lt;/testsuites&gt; "
      "&lt;system-err&gt;",
      "entities: &amp;amp; &amp;lt; &amp;#0; &amp;#x1b; &amp;bogus; &amp; &lt;!-- comment --&gt; "
      "&lt;?xml version=&quot;1.0&quot;?&gt;",
      "quotes: &quot;double&quot; &apos;single&apos; `back`",
      "html: &lt;script&gt;alert(&apos;app&apos;)&lt;/script&gt; &lt;img src=x onerror=alert(1)&gt; "
      "&lt;/pre&gt;&lt;/body&gt;",
  };
  for (const auto& line : shown) EXPECT_NE(stdout_block.find(line + "\n"), std::string::npos) << "missing: " << line;
}

TEST(HostileOutput, JsonReportParses) {
  const auto& run = hostile_run();
  ASSERT_EQ(run.result.exit_code, 1) << run.result.output;
  auto parse = run_command({"/usr/bin/python3", "-c", "import json,sys; json.load(open(sys.argv[1]))", run.json}, 60);
  EXPECT_EQ(parse.exit_code, 0) << parse.output;
}

// The report has no script of its own, so any "<script" (any case) would be
// the app's; the app's markup must be there as escaped text instead.
TEST(HostileOutput, HtmlShowsTheAppsMarkupAsText) {
  const auto& run = hostile_run();
  ASSERT_EQ(run.result.exit_code, 1) << run.result.output;
  std::string html = read_file(run.html);
  ASSERT_FALSE(html.empty());
  EXPECT_NE(html.find("&lt;script&gt;alert("), std::string::npos);
  EXPECT_NE(html.find("LAST-LINE-OF-OUTPUT"), std::string::npos);
  EXPECT_EQ(html.find("<img src=x"), std::string::npos);
  EXPECT_EQ(html.find("</pre></body>"), std::string::npos) << "the app's closing tags must not end the page early";
  EXPECT_NE(html.find("earlier bytes cut"), std::string::npos) << "the page says the output was cut too";
  std::transform(html.begin(), html.end(), html.begin(), [](unsigned char c) { return std::tolower(c); });
  EXPECT_EQ(html.find("<script"), std::string::npos);
  EXPECT_EQ(html.find('\0'), std::string::npos);
}

}  // namespace
}  // namespace firedrill::testing
