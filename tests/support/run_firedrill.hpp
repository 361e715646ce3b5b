// Runs the real firedrill binary as a user would and reads back what it
// said: exit code, output, and the verdict of each scenario × check from
// the JUnit file it wrote.
#pragma once
#include <initializer_list>
#include <map>
#include <string>
#include <vector>

namespace firedrill::testing {

struct CommandResult {
  int exit_code = -1;
  std::string output;   // stdout and stderr together
  bool timed_out = false;
  long max_rss_kb = 0;  // the command's peak RSS (or a reaped child's, if larger)
};

struct CommandOptions {
  int timeout_seconds = 240;
  std::vector<std::string> env;  // extra NAME=value entries
  int signal = 0;                // sent to the command after signal_after_ms
  int signal_after_ms = 0;
};

// Runs argv (no shell) with a bound; the child is killed if it overruns.
CommandResult run_command(const std::vector<std::string>& argv, int timeout_seconds = 240);
CommandResult run_command(const std::vector<std::string>& argv, const CommandOptions& options);

// Pids of live processes whose environment holds `name_value` ("NAME=value").
// A test tags the harness's environment, which every pod process inherits,
// to find whatever of its run is still alive.
std::vector<int> processes_with_env(const std::string& name_value);

// "pass", "fail", "unknown", "skipped" or "error" per "scenario/check",
// parsed from firedrill's own JUnit output.
std::map<std::string, std::string> verdicts_from_junit(const std::string& junit_xml);
// The TEST-*.xml files of a --junit-dir folder, sorted, and their
// verdicts joined as verdicts_from_junit gives them.
std::vector<std::string> junit_dir_files(const std::string& dir);
std::map<std::string, std::string> verdicts_from_junit_dir(const std::string& dir);

std::string read_file(const std::string& path);

// The first of `names` found as an executable on PATH, or "".
std::string find_on_path(std::initializer_list<const char*> names);

// Runs xmllint --schema; returns "" if valid, else its complaint.
std::string schema_errors(const std::string& xml_path, const std::string& xsd_path);
// Every TEST-*.xml of a --junit-dir folder against the schemas that flavour
// is made for (both Surefire ones and Jenkins'); "" if all are valid.
std::string junit_dir_schema_errors(const std::string& dir, const std::string& schemas_dir);

// Validates a JSON report against reports/firedrill-report.schema.json with
// Debian's python3-jsonschema; "" when valid, else its complaint.
std::string json_schema_errors(const std::string& json_path);

}  // namespace firedrill::testing
