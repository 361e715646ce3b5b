// Issue 4: the targets a harness exists to catch must never crash it, hang
// it, grow it, or outlive it. Each test runs the real binary against one
// mode of fixtures/hostile-target (tests/suites/hostile.yaml: SIGTERM under
// load, 2 s grace) and checks the verdict, the words that explain it, the
// bound on the run, and that nothing of the pod is left.
#include <gtest/gtest.h>
#include <signal.h>
#include <unistd.h>

#include <regex>

#include "support/paths.hpp"
#include "support/run_firedrill.hpp"

namespace firedrill::testing {
namespace {

struct HostileRun {
  CommandResult result;
  std::map<std::string, std::string> verdicts;  // "check" -> verdict
  std::string junit;
  std::vector<int> leftovers;  // pod processes alive after the harness exited
};

// A hang would show as the 150 s bound being hit: every hostile run here is
// bounded by the suite's own limits to well under a minute.
HostileRun run_hostile(const std::string& name, const std::string& target, std::vector<std::string> extra_args = {},
                       int signal = 0, int signal_after_ms = 0) {
  const auto dir = scratch_dir("hostile-target-" + name);
  const std::string tag = "FIREDRILL_TEST_TAG=hostile-" + name + "-" + std::to_string(::getpid());
  std::vector<std::string> argv = {bin_path("firedrill"), "run",           source_path("tests/suites/hostile.yaml"),
                                   "--target",            target,          "--junit",
                                   dir + "/junit.xml",    "--runs-dir",    dir + "/runs"};
  argv.insert(argv.end(), extra_args.begin(), extra_args.end());
  CommandOptions options;
  options.timeout_seconds = 150;
  options.env = {tag};
  options.signal = signal;
  options.signal_after_ms = signal_after_ms;
  HostileRun run;
  run.result = run_command(argv, options);
  run.junit = read_file(dir + "/junit.xml");
  for (const auto& [k, v] : verdicts_from_junit(run.junit)) run.verdicts[k.substr(k.find('/') + 1)] = v;
  // The guardian acts within milliseconds of the harness's exit; allow 5 s.
  for (int i = 0; i < 50; ++i) {
    run.leftovers = processes_with_env(tag);
    if (run.leftovers.empty()) break;
    ::usleep(100'000);
  }
  for (int pid : run.leftovers) ::kill(pid, SIGKILL);
  return run;
}

std::string fixture(const std::string& mode) { return bin_path("hostile-target") + " " + mode; }
std::string wrapping(const std::string& mode, const std::string& app_args = "") {
  return bin_path("hostile-target") + " " + mode + " -- " + bin_path("order-service") + app_args;
}

bool has(const std::string& text, const std::string& what) { return text.find(what) != std::string::npos; }

#define EXPECT_BOUNDED_AND_CLEAN(run)                                                  \
  do {                                                                                 \
    EXPECT_FALSE((run).result.timed_out) << "the harness hung";                        \
    EXPECT_TRUE((run).leftovers.empty()) << (run).leftovers.size() << " pod processes outlived the harness"; \
  } while (0)

TEST(HostileTarget, FloodFarBeyondTheCaptureBoundKeepsMemoryBounded) {
  // 32 MiB/s for the ~5 s the scenario runs: thousands of times the 64 KiB
  // the harness keeps of an app's output.
  auto run = run_hostile("flood", bin_path("hostile-target") + " flood --mib-per-s 32 -- " + bin_path("order-service"));
  SCOPED_TRACE(run.result.output.substr(0, 4000));
  EXPECT_BOUNDED_AND_CLEAN(run);
  EXPECT_EQ(run.result.exit_code, 0) << "the app behind the flood conforms; the noise must not change a verdict";
  std::smatch m;
  ASSERT_TRUE(std::regex_search(run.junit, m, std::regex(R"(\[(\d+) earlier bytes cut\])"))) << "no cut note";
  const double cut_mb = std::stod(m[1]) / 1e6;
  const double rss_mb = static_cast<double>(run.result.max_rss_kb) / 1024;
  EXPECT_GT(cut_mb, 40) << "the flood was not a flood";
  EXPECT_LT(rss_mb, 40) << "harness peak RSS " << rss_mb << " MB while " << cut_mb << " MB of output went by";
}

// Targets that never become ready, each in its own way: the run is bounded,
// ready-within fails, and its evidence says what the readiness probe got.
struct NeverReady {
  const char* mode;
  const char* probe_got;
};
class HostileNeverReady : public ::testing::TestWithParam<NeverReady> {};

TEST_P(HostileNeverReady, FailsReadyWithinWithWhatTheProbeGot) {
  auto run = run_hostile(GetParam().mode, fixture(GetParam().mode));
  SCOPED_TRACE(run.result.output);
  EXPECT_BOUNDED_AND_CLEAN(run);
  EXPECT_EQ(run.result.exit_code, 1);
  EXPECT_EQ(run.verdicts["ready-within"], "fail");
  EXPECT_EQ(run.verdicts["accepted-orders-durable"], "unknown");
  EXPECT_TRUE(has(run.result.output, "never became ready")) << "evidence";
  EXPECT_TRUE(has(run.result.output, std::string("the readiness probe last got: ") + GetParam().probe_got));
}

INSTANTIATE_TEST_SUITE_P(
    HostileTarget, HostileNeverReady,
    ::testing::Values(NeverReady{"never-ready", "answered 503"},
                      NeverReady{"wrong-port", "connect: Connection refused"},  // ready on PORT+1
                      NeverReady{"garbage", "not an HTTP response"},            // TLS/SSH-looking bytes
                      NeverReady{"slow-bytes", "no complete answer within 500ms"}),  // one byte per second
    [](const auto& info) {
      std::string name = info.param.mode;
      for (char& ch : name)
        if (ch == '-') ch = '_';
      return name;
    });

TEST(HostileTarget, CrashAtStartShowsTheExitStatusAndTheOutputTail) {
  auto run = run_hostile("crash", fixture("crash"));
  SCOPED_TRACE(run.result.output);
  EXPECT_BOUNDED_AND_CLEAN(run);
  EXPECT_EQ(run.result.exit_code, 1);
  EXPECT_EQ(run.verdicts["ready-within"], "fail");
  EXPECT_TRUE(has(run.result.output, "never became ready (died by SIGABRT"));
  EXPECT_TRUE(has(run.junit, "fatal: cannot open /etc/orders/orders.conf")) << "the app's last words in system-out";
}

TEST(HostileTarget, ClosingItsOutputAtOnceChangesNothing) {
  // EOF on the app's stdout and stderr is not its exit: the pidfd says when it ends.
  auto run = run_hostile("close-output", wrapping("close-output"));
  SCOPED_TRACE(run.result.output);
  EXPECT_BOUNDED_AND_CLEAN(run);
  EXPECT_EQ(run.result.exit_code, 0);
  EXPECT_EQ(run.verdicts["drain-within-grace"], "pass");
}

TEST(HostileTarget, IgnoringSigtermAndSigintIsKilledAtTheGraceDeadline) {
  auto run = run_hostile("ignore-signals", wrapping("ignore-signals", " --flaw ignore-sigterm"));
  SCOPED_TRACE(run.result.output);
  EXPECT_BOUNDED_AND_CLEAN(run);
  EXPECT_EQ(run.result.exit_code, 1);
  EXPECT_EQ(run.verdicts["drain-within-grace"], "fail");
  EXPECT_TRUE(has(run.result.output, "SIGKILLed at"));
}

TEST(HostileTarget, CtrlCMidRunEndsItWritesTheReportsAndLeavesNothing) {
  // The app ignores SIGINT and SIGTERM too: only the harness can end it.
  auto run = run_hostile("ctrl-c", wrapping("ignore-signals", " --flaw ignore-sigterm"), {}, SIGINT, 2500);
  SCOPED_TRACE(run.result.output);
  EXPECT_BOUNDED_AND_CLEAN(run);
  EXPECT_EQ(run.result.exit_code, 3);
  EXPECT_TRUE(has(run.result.output, "interrupted by SIGINT (Ctrl-C) in scenario 'sigterm-under-load', phase '"));
  EXPECT_EQ(run.verdicts["ready-within"], "unknown") << "a cut-short scenario has no verdicts: JUnit <error>";
  EXPECT_TRUE(has(run.junit, "interrupted by SIGINT"));
}

TEST(HostileTarget, StoppingItselfWithSigstopEndsInBoundedTime) {
  // Stopped 300 ms after each start: mid-load the first time, before the
  // read-back the second. Its requests time out, the SIGTERM is never
  // handled (SIGKILL at grace), and the read-back gives up on it.
  auto run = run_hostile("sigstop", bin_path("hostile-target") + " stop-self --after-ms 300 -- " + bin_path("order-service"));
  SCOPED_TRACE(run.result.output);
  EXPECT_BOUNDED_AND_CLEAN(run);
  EXPECT_EQ(run.result.exit_code, 1);
  EXPECT_EQ(run.verdicts["drain-within-grace"], "fail");
  EXPECT_EQ(run.verdicts["accepted-orders-durable"], "unknown");
  EXPECT_TRUE(has(run.result.output, "the app stopped answering") ||
              has(run.result.output, "did not become ready again"))
      << "the read-back's reason";
}

TEST(HostileTarget, TheRunDeadlineEndsARunWithExitThreeAndASentence) {
  auto run = run_hostile("deadline", bin_path("order-service"), {"--deadline", "2s"});
  SCOPED_TRACE(run.result.output);
  EXPECT_BOUNDED_AND_CLEAN(run);
  EXPECT_EQ(run.result.exit_code, 3);
  EXPECT_TRUE(has(run.result.output, "the run did not finish within its deadline of 2s (--deadline); scenario "
                                     "'sigterm-under-load' was still in phase '"));
  EXPECT_TRUE(has(run.junit, "deadline")) << "the JUnit report says why";
}

TEST(HostileTarget, ABadDeadlineIsACommandLineError) {
  auto r = run_command({bin_path("firedrill"), "run", source_path("tests/suites/hostile.yaml"), "--deadline", "soon"}, 30);
  EXPECT_EQ(r.exit_code, 2) << r.output;
  EXPECT_TRUE(has(r.output, "--deadline 'soon': expected a duration such as 90s or 10m")) << r.output;
}

}  // namespace
}  // namespace firedrill::testing
