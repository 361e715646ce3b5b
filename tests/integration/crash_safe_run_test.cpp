// SPEC §5: each scenario is in the run folder as soon as it ends, before
// its checks; a harness SIGKILLed mid-suite leaves every finished scenario
// re-checkable and the unfinished ones marked, and `check` of the folder
// exits 3 as the run itself would have.
#include <gtest/gtest.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <thread>

#include "support/paths.hpp"
#include "support/run_firedrill.hpp"

namespace firedrill::testing {
namespace {
namespace fs = std::filesystem;

bool has(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

// The one run folder under `runs`, or "" while there is none.
std::string run_folder_in(const std::string& runs) {
  if (!fs::exists(runs)) return "";
  for (const auto& e : fs::directory_iterator(runs)) return e.path().string();
  return "";
}

std::string state_of(const std::string& scenario_json) {
  std::error_code ec;
  if (!fs::exists(scenario_json, ec)) return "";
  const std::string text = read_file(scenario_json);
  for (const char* s : {"pending", "running", "recorded", "checked"})
    if (has(text, std::string("\"state\":\"") + s + "\"")) return s;
  return "?";
}

TEST(CrashSafeRun, AHarnessKilledMidSuiteLeavesEveryFinishedScenarioCheckable) {
  const std::string dir = scratch_dir("crash-safe-run");
  const std::string runs = dir + "/runs";
  pid_t harness = ::fork();
  if (harness == 0) {
    const int devnull = ::open("/dev/null", O_WRONLY);
    ::dup2(devnull, 1);
    ::dup2(devnull, 2);
    ::execl(bin_path("firedrill").c_str(), "firedrill", "run", source_path("tests/suites/crash-safety.yaml").c_str(),
            "--seed", "5", "--runs-dir", runs.c_str(), "--work-dir", (dir + "/work").c_str(),
            static_cast<char*>(nullptr));
    ::_exit(127);
  }
  // Wait until the first scenario is checked and the second under way.
  std::string run;
  bool mid_second = false;
  for (int i = 0; i < 600 && !mid_second; ++i) {  // 60 s at most
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    run = run_folder_in(runs);
    mid_second = !run.empty() &&
                 state_of(run + "/01-crash-safety/01-finished/scenario.json") == "checked" &&
                 state_of(run + "/01-crash-safety/02-interrupted/scenario.json") == "running";
  }
  if (!mid_second) ::kill(harness, SIGKILL);
  ASSERT_TRUE(mid_second) << "the harness never got into the second scenario; run folder: " << run;
  std::this_thread::sleep_for(std::chrono::milliseconds(1500));  // under load
  ::kill(harness, SIGKILL);
  int status = 0;
  ::waitpid(harness, &status, 0);
  ASSERT_TRUE(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL);

  for (const auto& e : fs::recursive_directory_iterator(run))
    EXPECT_NE(e.path().extension(), ".tmp") << "a torn write was left behind: " << e.path();

  for (const char* command : {"check", "report"}) {
    SCOPED_TRACE(command);
    const std::string junit = dir + "/" + command + ".xml";
    auto r = run_command({bin_path("firedrill"), command, run, "--junit", junit});
    SCOPED_TRACE(r.output);
    EXPECT_EQ(r.exit_code, 3) << "an interrupted run is a harness error, as the run itself would have said";
    auto verdicts = verdicts_from_junit(read_file(junit));
    for (const char* check : {"accepted-orders-durable", "refused-orders-absent", "drain-within-grace", "ready-within"}) {
      EXPECT_EQ(verdicts[std::string("finished/") + check], "pass") << check;
      // <error>, which the helper calls unknown.
      EXPECT_EQ(verdicts[std::string("interrupted/") + check], "unknown") << check;
      EXPECT_EQ(verdicts[std::string("never-started/") + check], "unknown") << check;
    }
    const std::string xml = read_file(junit);
    EXPECT_TRUE(has(xml, "interrupted: the harness ended")) << "the incomplete scenario says it was interrupted";
    EXPECT_TRUE(has(xml, "not run: the harness ended before this scenario started"));
    if (auto schemas = shared_schemas_dir()) {
      EXPECT_EQ(schema_errors(junit, *schemas + "/jenkins-junit-10.xsd"), "");
      EXPECT_EQ(schema_errors(junit, *schemas + "/ant-junit.xsd"), "");
    }
  }
  if (!shared_schemas_dir()) GTEST_SKIP() << "../shared/schemas is not here: JUnit schema validation skipped";
}

}  // namespace
}  // namespace firedrill::testing
