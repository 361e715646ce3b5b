// SPEC §5's JUnit XML as real consumers read it: two JUnit consumers from
// the npm registry (junit2json, junit-report-merger; pinned in
// junit_consumers/package-lock.json) are fed three reports the real
// firedrill wrote: one with failures, one with a failure, unknowns (errors)
// and the hostile fixture's output, both with skipped checks, and the two
// joined by `firedrill merge` (valid against both schemas too, and the sum
// of the two). Each consumer must
// read, per file and merged, the same tests / failures / errors / skipped as
// the files' own testsuite attributes and testcase elements say. Without
// node or the packages the test skips, except on CI where it fails.
#include <gtest/gtest.h>

#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <regex>
#include <sstream>
#include <string>
#include <vector>

#include <boost/json.hpp>

#include "support/paths.hpp"
#include "support/run_firedrill.hpp"

namespace firedrill::testing {
namespace {

namespace fs = std::filesystem;
namespace json = boost::json;

const std::string consumers_dir = "tests/reports/junit_consumers";

std::string node_path() { return find_on_path({"node", "nodejs"}); }

// "" when the consumers can run here, else what is missing and the fix.
std::string missing_consumer_tools() {
  if (node_path().empty()) return "no node on PATH (Node.js 20 or newer; .ci/install-deps installs one)";
  for (const char* pkg : {"junit2json", "junit-report-merger"})
    if (!fs::exists(source_path(consumers_dir + "/node_modules/" + pkg + "/package.json")))
      return std::string(pkg) + " is not installed: run `npm ci` in " + consumers_dir + " (.ci/install-deps does)";
  return "";
}

struct Counts {
  long tests = 0, failures = 0, errors = 0, skipped = 0;
  bool operator==(const Counts&) const = default;
  Counts& operator+=(const Counts& o) {
    tests += o.tests, failures += o.failures, errors += o.errors, skipped += o.skipped;
    return *this;
  }
};

std::ostream& operator<<(std::ostream& os, const Counts& c) {
  return os << "tests=" << c.tests << " failures=" << c.failures << " errors=" << c.errors << " skipped=" << c.skipped;
}

// Our own numbers, as the file states them: the sum of every <testsuite>'s
// attributes (our writer puts them in this order on one line).
Counts counts_from_attributes(const std::string& xml) {
  static const std::regex suite_re(
      R"re(<testsuite [^>]*?tests="(\d+)" failures="(\d+)" errors="(\d+)" skipped="(\d+)")re");
  Counts c;
  for (std::sregex_iterator it(xml.cbegin(), xml.cend(), suite_re), end; it != end; ++it)
    c += {std::stol((*it)[1]), std::stol((*it)[2]), std::stol((*it)[3]), std::stol((*it)[4])};
  return c;
}

// The same numbers from the testcase elements, so the attributes are not
// taken on trust either.
Counts counts_from_cases(const std::string& xml) {
  Counts c;
  for (const auto& [name, verdict] : verdicts_from_junit(xml)) {
    ++c.tests;
    if (verdict == "fail") ++c.failures;
    if (verdict == "unknown") ++c.errors;
    if (verdict == "skipped") ++c.skipped;
  }
  return c;
}

Counts counts_of(const json::value& v) {
  const auto& o = v.as_object();
  return {o.at("tests").to_number<long>(), o.at("failures").to_number<long>(), o.at("errors").to_number<long>(),
          o.at("skipped").to_number<long>()};
}

struct Report {
  std::string label, path;
  Counts ours;
};

TEST(JunitConsumers, ReadTheCountsFiredrillWrote) {
  if (auto why = missing_consumer_tools(); !why.empty()) {
    // CI installs all of it: there, missing tools are a broken setup, not a skip.
    if (std::getenv("CI")) FAIL() << why;
    GTEST_SKIP() << why;
  }
  const auto dir = scratch_dir("junit-consumers");
  std::vector<Report> reports{{"exit-at-once", dir + "/exit-at-once.xml", {}}, {"hostile", dir + "/hostile.xml", {}}};
  // exit-at-once drops in-flight work on SIGTERM: failures, and the checks
  // the scenario did not pick are skipped.
  auto failing = run_command({bin_path("firedrill"), "run", source_path("suites/graceful-shutdown.yaml"), "--filter",
                              "sigterm-mid-rush", "--target", bin_path("order-service") + " --flaw exit-at-once",
                              "--junit", reports[0].path, "--runs-dir", dir + "/runs-failing"});
  ASSERT_EQ(failing.exit_code, 1) << failing.output;
  // A crash at start: ready-within fails, the other picked checks are
  // unknown (JUnit errors), and the app's hostile output is in system-out.
  auto crashing = run_command({bin_path("firedrill"), "run", source_path("tests/suites/cold-start.yaml"), "--target",
                               bin_path("hostile-output"), "--junit", reports[1].path, "--runs-dir", dir + "/runs-hostile"});
  ASSERT_EQ(crashing.exit_code, 1) << crashing.output;
  // Both run folders joined by `firedrill merge`, as a CI merge job does:
  // the merged file must read as the sum of the two.
  auto folder_in = [](const std::string& runs) { return fs::directory_iterator(runs)->path().string(); };
  reports.push_back({"firedrill-merge", dir + "/merged.xml", {}});
  auto merging = run_command({bin_path("firedrill"), "merge", folder_in(dir + "/runs-failing"),
                              folder_in(dir + "/runs-hostile"), "--junit", reports[2].path});
  ASSERT_EQ(merging.exit_code, 1) << merging.output;

  Counts total;
  for (auto& r : reports) {
    const std::string xml = read_file(r.path);
    r.ours = counts_from_attributes(xml);
    EXPECT_EQ(r.ours, counts_from_cases(xml)) << r.label << ": attributes disagree with the testcases";
    total += r.ours;
  }
  Counts two = reports[0].ours;
  two += reports[1].ours;
  EXPECT_EQ(reports[2].ours, two) << "the merged report holds both runs, no more, no less";
  if (auto schemas = shared_schemas_dir())
    for (const char* xsd : {"jenkins-junit-10.xsd", "ant-junit.xsd"})
      EXPECT_EQ(schema_errors(reports[2].path, *schemas + "/" + xsd), "") << xsd;
  // Otherwise the comparison below could pass on zeros.
  ASSERT_GT(total.failures, 0);
  ASSERT_GT(total.errors, 0);
  ASSERT_GT(total.skipped, 0);

  auto run = run_command({node_path(), source_path(consumers_dir + "/consume.mjs"), reports[0].path, reports[1].path,
                          reports[2].path},
                         120);
  // stdout and stderr arrive together: the JSON is the last thing printed.
  const auto start = run.output.rfind("{\"junit2json\":");
  ASSERT_TRUE(run.exit_code == 0 && start != std::string::npos)
      << "consume.mjs exited " << run.exit_code << ":\n" << run.output;
  const auto read = json::parse(run.output.substr(start)).as_object();
  std::cout << "consumers read: " << run.output.substr(start);

  for (const char* consumer : {"junit2json", "junit-report-merger"}) {
    const auto& files = read.at(consumer).at("files").as_array();
    ASSERT_EQ(files.size(), reports.size()) << consumer;
    for (std::size_t i = 0; i < reports.size(); ++i) {
      SCOPED_TRACE(std::string(consumer) + " on " + reports[i].label);
      EXPECT_EQ(counts_of(files[i]), reports[i].ours) << "from the testsuite attributes";
      EXPECT_EQ(counts_of(files[i].at("cases")), reports[i].ours) << "from the testcase elements";
    }
  }
  // What a CI pipeline does with several reports: merge them into one.
  const auto& merged = read.at("junit-report-merger").at("merged");
  EXPECT_EQ(counts_of(merged), total) << "merged, rolled up onto <testsuites>";
  EXPECT_EQ(counts_of(merged.at("cases")), total) << "merged, testcase elements";

  // The consumer got through the hostile output to its end, decoded.
  const std::string tail(read.at("junit2json").at("files").as_array()[1].at("system_out_tail").as_string());
  EXPECT_EQ(std::string(read.at("junit2json").at("files").as_array()[2].at("system_out_tail").as_string()), tail)
      << "the merged report keeps the hostile output as it was";
  EXPECT_NE(tail.find("</pre></body>"), std::string::npos) << tail;
  EXPECT_NE(tail.find("LAST-LINE-OF-OUTPUT"), std::string::npos) << tail;
}

}  // namespace
}  // namespace firedrill::testing
