// Fuzz target: a suite file, loaded the way `firedrill validate` and `run`
// load one (parse, check the fault steps, split the commands). Any bad input
// must end as SuiteError or CommandLineError with file:line:col; anything
// else escaping, a crash, a hang or an accepted suite with out-of-range
// values is a finding.
#include <cmath>
#include <string>

#include "engine/fault_steps.hpp"
#include "fuzz_check.hpp"
#include "pod/command_line.hpp"
#include "suite/suite.hpp"

namespace {
using namespace firedrill;

bool share_ok(double v) { return std::isfinite(v) && v >= 0 && v <= 1; }

void check_located(const suite::Location& l) { FUZZ_CHECK(l.file == "fuzz.yaml" && l.line >= 1 && l.column >= 1); }

void check_values(const suite::Suite& s) {
  FUZZ_CHECK(!s.scenarios.empty());
  const auto& api = s.target.api;
  FUZZ_CHECK(api.read_path.find("{id}") != std::string::npos);
  FUZZ_CHECK(api.place_path.starts_with("/") && api.read_path.starts_with("/") && api.ready_path.starts_with("/"));
  for (int st : api.statuses.accepted) FUZZ_CHECK(st >= 100 && st <= 599);
  for (int st : api.statuses.refused) FUZZ_CHECK(st >= 100 && st <= 599);
  FUZZ_CHECK(s.dependencies.payment_delay_us >= 0 && s.dependencies.courier_delay_us >= 0);
  for (const auto& sc : s.scenarios) {
    check_located(sc.where);
    FUZZ_CHECK(!sc.checks.empty());
    const auto& l = sc.limits;
    FUZZ_CHECK(l.grace_us >= 0 && l.readiness_flip_us >= 0 && l.ready_within_us >= 0 && sc.settle_us >= 0);
    for (int c : l.allowed_exit_codes) FUZZ_CHECK(c >= 0 && c <= 255);
    FUZZ_CHECK(share_ok(l.error_budget.outside) && share_ok(l.error_budget.within));
    FUZZ_CHECK(std::isfinite(sc.load.rate) && sc.load.rate > 0);
    FUZZ_CHECK(sc.load.duration_us >= 0 && sc.load.request_timeout_us >= 0);
    FUZZ_CHECK(sc.load.max_connections >= 1 && sc.load.max_connections <= 10000);
    for (const auto& step : sc.timeline) {
      check_located(step.where);
      FUZZ_CHECK(step.at_us >= 0 && step.at_us <= sc.load.duration_us);
      if (step.action != suite::Action::fault) continue;
      const auto& f = step.fault;
      FUZZ_CHECK(f.dependency == "payment" || f.dependency == "courier");
      FUZZ_CHECK(share_ok(f.probability));
      FUZZ_CHECK(f.ends_at_us >= step.at_us && f.ends_at_us <= sc.load.duration_us);
      check_located(f.type_where);
    }
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string text(fuzz::text_of(data, size));
  suite::Suite s;
  try {
    s = suite::parse_suite(text, "fuzz.yaml");
  } catch (const suite::SuiteError& e) {
    FUZZ_CHECK(std::string_view(e.what()).starts_with("fuzz.yaml:"));
    return 0;
  }
  check_values(s);
  try {
    engine::validate_faults(s);
  } catch (const suite::SuiteError& e) {
    FUZZ_CHECK(std::string_view(e.what()).starts_with("fuzz.yaml:"));
  }
  // As the CLI splits them, but with a fixed lookup: no environment, no disk.
  auto lookup = [](std::string_view name) -> std::optional<std::string> {
    if (name == "FIREDRILL_BIN") return std::string("/opt/firedrill/bin");
    return std::nullopt;
  };
  try {
    FUZZ_CHECK(!pod::split_command(s.target.app.command, lookup).empty());
    for (const auto& sc : s.target.sidecars) FUZZ_CHECK(!pod::split_command(sc.command, lookup).empty());
  } catch (const pod::CommandLineError&) {
  }
  return 0;
}
