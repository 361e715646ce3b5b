// SPEC §1: no process the harness started may outlive it — also when the
// harness itself is killed mid-run (the guardian cleans up).
#include <gtest/gtest.h>
#include <signal.h>
#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

#include "support/paths.hpp"

namespace firedrill::testing {
namespace {

// Pids whose command line contains `needle`.
std::vector<pid_t> processes_with_arg(const std::string& needle) {
  std::vector<pid_t> out;
  for (const auto& e : std::filesystem::directory_iterator("/proc")) {
    pid_t pid = std::atoi(e.path().filename().c_str());
    if (pid <= 1 || pid == ::getpid()) continue;
    std::ifstream f(e.path() / "cmdline", std::ios::binary);
    std::stringstream ss;
    ss << f.rdbuf();
    std::string cmd = ss.str();
    for (auto& c : cmd)
      if (c == '\0') c = ' ';
    if (cmd.find(needle) != std::string::npos) out.push_back(pid);
  }
  return out;
}

// However the harness ends — SIGKILL (no chance to clean up), SIGTERM or
// Ctrl-C's SIGINT (default dispositions) — the guardian takes the pod down.
class Cleanup : public ::testing::TestWithParam<int> {};

TEST_P(Cleanup, NothingOutlivesTheHarnessMidRun) {
  const int harness_signal = GetParam();
  // A marker unique to this test run, carried on the app's command line.
  const std::string marker = std::to_string(20000 + (::getpid() * 7 + harness_signal) % 10000);
  const std::string target = bin_path("order-service") + " --drain-delay-ms " + marker;
  const std::string dir = scratch_dir("signal-harness-" + std::to_string(harness_signal));
  pid_t harness = ::fork();
  if (harness == 0) {
    int devnull = ::open("/dev/null", O_WRONLY);
    ::dup2(devnull, 1);
    ::dup2(devnull, 2);
    ::execl(bin_path("firedrill").c_str(), "firedrill", "run", source_path("suites/graceful-shutdown.yaml").c_str(),
            "--filter", "sigterm-mid-rush", "--target", target.c_str(), "--work-dir", (dir + "/work").c_str(),
            static_cast<char*>(nullptr));
    ::_exit(127);
  }
  // Wait until the app is up and under load, then kill the harness hard.
  bool seen = false;
  for (int i = 0; i < 100 && !seen; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    seen = !processes_with_arg("--drain-delay-ms " + marker).empty();
  }
  ASSERT_TRUE(seen) << "the app never started";
  std::this_thread::sleep_for(std::chrono::milliseconds(1500));
  ::kill(harness, harness_signal);
  ::waitpid(harness, nullptr, 0);

  std::vector<pid_t> left;
  for (int i = 0; i < 50; ++i) {  // the guardian acts within milliseconds; allow 5 s
    left = processes_with_arg("--drain-delay-ms " + marker);
    if (left.empty()) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  EXPECT_TRUE(left.empty()) << left.size() << " processes outlived the harness, first pid " << left[0];
  for (pid_t p : left) ::kill(p, SIGKILL);
}

INSTANTIATE_TEST_SUITE_P(HarnessSignals, Cleanup, ::testing::Values(SIGKILL, SIGTERM, SIGINT),
                         [](const auto& info) { return std::string(sigabbrev_np(info.param)); });

}  // namespace
}  // namespace firedrill::testing
