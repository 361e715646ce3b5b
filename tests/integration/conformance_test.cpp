// SPEC §4 end to end: the reference order service passes every check of the
// bundled suite, and each deliberately broken variant fails exactly the
// checks it is meant to break — with evidence in the failure text — while
// the JUnit it leaves, as one file (--junit) and as one file per scenario
// (--junit-dir), holds the same verdicts and validates against the schemas
// each flavour is made for.
#include <gtest/gtest.h>

#include <cctype>
#include <fstream>
#include <set>
#include <sstream>
#include <stdexcept>

#include "support/paths.hpp"
#include "support/run_firedrill.hpp"

namespace firedrill::testing {
namespace {

struct FlawCase {
  std::string flaw;                   // "" = the conforming reference
  std::string suite;                  // relative to the project root
  std::set<std::string> must_fail;    // "scenario/check"
  std::set<std::string> must_be_unknown;  // "scenario/check" written "scenario/check=unknown"
  std::string wrapper;                // e.g. "/bin/sh -c": runs the service through it
  std::vector<std::string> sidecars;  // "shipper:exit-at-once", "ambassador:--drain-after-sigterm 0", "shipper:classic"
};

// A sidecar item of the matrix as firedrill's flags: NAME:native|classic
// is --sidecar-kind; NAME:--option VALUE and NAME:FLAW (for --flaw FLAW)
// are appended to the suite's command for that sidecar.
std::vector<std::string> sidecar_flags(const std::string& item) {
  const auto colon = item.find(':');
  if (colon == std::string::npos || colon == 0 || colon + 1 == item.size())
    throw std::runtime_error("matrix sidecar item '" + item + "': expected NAME:FLAW, NAME:--option or NAME:KIND");
  const std::string name = item.substr(0, colon), what = item.substr(colon + 1);
  if (what == "native" || what == "classic") return {"--sidecar-kind", name + "=" + what};
  return {"--sidecar", name + "+=" + (what.starts_with("--") ? what : "--flaw " + what)};
}

// reference_sidecars, shipper_exit_at_once_sidecars, shell_wrapped_slow_start_cold_start, ...
std::string row_name(const FlawCase& c) {
  std::string n = c.flaw.empty() ? "reference" : c.flaw;
  if (!c.wrapper.empty()) n = "shell_wrapped_" + n;
  for (const auto& item : c.sidecars) n = (n == "reference" ? "" : n + "_") + item;
  // The suite file's name: "suites/graceful-shutdown.yaml" -> "_graceful_shutdown".
  const auto& s = c.suite;
  const auto slash = s.rfind('/');
  n += "_" + s.substr(slash + 1, s.rfind('.') - slash - 1);
  std::string out;
  for (char ch : n) {
    const bool word = std::isalnum(static_cast<unsigned char>(ch));
    if (word) out += ch;
    else if (!out.empty() && out.back() != '_') out += '_';
  }
  return out;
}

// The matrix lives in tests/conformance-matrix.tsv, shared with bench/soak.
std::vector<FlawCase> load_matrix() {
  const std::string path = source_path("tests/conformance-matrix.tsv");
  std::ifstream in(path);
  if (!in) throw std::runtime_error("cannot read " + path);
  std::vector<FlawCase> out;
  int line_no = 0;
  for (std::string line; std::getline(in, line);) {
    ++line_no;
    if (line.empty() || line[0] == '#') continue;
    std::vector<std::string> cols;
    std::stringstream row(line);
    for (std::string col; std::getline(row, col, '\t');) cols.push_back(col == "-" ? "" : col);
    if (cols.size() != 4 && cols.size() != 5)
      throw std::runtime_error(path + ":" + std::to_string(line_no) + ": expected 4 or 5 tab-separated columns");
    FlawCase c{cols[0], cols[1], {}, {}, cols[2], {}};
    if (cols.size() == 5) {
      std::stringstream items(cols[4]);
      for (std::string item; std::getline(items, item, ',');) {
        sidecar_flags(item);  // a malformed item stops the whole test binary here, with its line
        c.sidecars.push_back(item);
      }
    }
    std::stringstream checks(cols[3]);
    for (std::string check; std::getline(checks, check, ',');) {
      constexpr std::string_view unknown = "=unknown";
      if (check.ends_with(unknown)) c.must_be_unknown.insert(check.substr(0, check.size() - unknown.size()));
      else c.must_fail.insert(check);
    }
    out.push_back(std::move(c));
  }
  return out;
}

const std::vector<FlawCase> flaw_table = load_matrix();

void PrintTo(const FlawCase& c, std::ostream* os) { *os << row_name(c); }

class Conformance : public ::testing::TestWithParam<FlawCase> {};

TEST_P(Conformance, FailsExactlyTheChecksOfItsFlaw) {
  const auto& c = GetParam();
  const std::string name = row_name(c);
  const std::string dir = scratch_dir("conformance-" + name);
  const std::string junit = dir + "/junit.xml", junit_dir = dir + "/junit";
  std::string target = bin_path("order-service");
  if (!c.flaw.empty()) target += " --flaw " + c.flaw;
  // "; exit" keeps sh from exec'ing the service: sh stays the main process.
  if (!c.wrapper.empty()) target = c.wrapper + " '" + target + "; exit $?'";
  std::vector<std::string> argv = {bin_path("firedrill"), "run",        source_path(c.suite), "--target",
                                   target,               "--junit",    junit,                "--junit-dir",
                                   junit_dir,            "--seed",     "11",                 "--work-dir",
                                   dir + "/work",        "--runs-dir", dir + "/runs"};
  for (const auto& item : c.sidecars)
    for (auto& flag : sidecar_flags(item)) argv.push_back(std::move(flag));
  auto r = run_command(argv);
  SCOPED_TRACE(r.output);
  ASSERT_EQ(r.exit_code, c.must_fail.empty() && c.must_be_unknown.empty() ? 0 : 1);

  auto verdicts = verdicts_from_junit(read_file(junit));
  ASSERT_FALSE(verdicts.empty());
  EXPECT_EQ(verdicts_from_junit_dir(junit_dir), verdicts) << "both JUnit flavours say the same";
  for (const auto& key : c.must_fail) {
    ASSERT_TRUE(verdicts.contains(key)) << key;
    EXPECT_EQ(verdicts[key], "fail") << key;
  }
  for (const auto& key : c.must_be_unknown) {
    ASSERT_TRUE(verdicts.contains(key)) << key;
    EXPECT_EQ(verdicts[key], "unknown") << key;
  }
  for (const auto& [key, verdict] : verdicts) {
    if (c.must_fail.contains(key) || c.must_be_unknown.contains(key) || verdict == "skipped") continue;
    EXPECT_EQ(verdict, "pass") << key << " should pass for " << name;
  }

  // The evidence a person needs without rerunning: counts, and order ids
  // or signal times.
  if (!c.must_fail.empty()) {
    EXPECT_NE(r.output.find("FAIL"), std::string::npos);
    bool names_orders = r.output.find("ord-") != std::string::npos;
    bool names_signals = r.output.find("SIGTERM at t=") != std::string::npos;
    bool names_starts = r.output.find("start #") != std::string::npos;
    EXPECT_TRUE(names_orders || names_signals || names_starts) << "no evidence in the failure text";
  }

  auto schemas = shared_schemas_dir();
  if (!schemas) GTEST_SKIP() << "../shared/schemas is not here: JUnit schema validation skipped";
  EXPECT_EQ(schema_errors(junit, *schemas + "/jenkins-junit-10.xsd"), "");
  EXPECT_EQ(schema_errors(junit, *schemas + "/ant-junit.xsd"), "");
  EXPECT_EQ(junit_dir_schema_errors(junit_dir, *schemas), "");
}

std::string case_name(const ::testing::TestParamInfo<FlawCase>& info) { return row_name(info.param); }

INSTANTIATE_TEST_SUITE_P(FlawTable, Conformance, ::testing::ValuesIn(flaw_table), case_name);

}  // namespace
}  // namespace firedrill::testing
