// pod/exit_watch: the exit time taken by a thread of its own. A forked
// child exits when the test tells it to; the watch must see the exit after the
// child's last moment and before the parent could reap it, and must stop
// promptly when destroyed while the child still runs.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <thread>

#include "pod/exit_watch.hpp"

namespace firedrill::pod {
namespace {
using Clock = std::chrono::steady_clock;

TEST(ExitWatch, SeesTheExitBetweenTheChildsLastMomentAndTheReap) {
  // The child writes its last moment into shared memory, then exits.
  auto* last = static_cast<std::atomic<std::int64_t>*>(
      ::mmap(nullptr, sizeof(std::atomic<std::int64_t>), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0));
  ASSERT_NE(last, MAP_FAILED);
  new (last) std::atomic<std::int64_t>(0);
  int go[2];
  ASSERT_EQ(::pipe(go), 0);
  const pid_t pid = ::fork();
  ASSERT_GE(pid, 0);
  if (pid == 0) {
    char c;
    ::close(go[1]);
    [[maybe_unused]] auto n = ::read(go[0], &c, 1);  // returns when the parent closes its end
    last->store(Clock::now().time_since_epoch().count());
    ::_exit(0);
  }
  ExitWatch watch(pid);
  EXPECT_FALSE(watch.exited_at()) << "seen before the child exited";
  ::close(go[0]);
  ::close(go[1]);
  // Wait for the thread to see it without reaping (WNOWAIT), as the event
  // loop would come round to it later.
  siginfo_t info{};
  ASSERT_EQ(::waitid(P_PID, static_cast<id_t>(pid), &info, WEXITED | WNOWAIT), 0);
  std::optional<Clock::time_point> seen;
  for (int i = 0; i < 5000 && !seen; ++i) {  // up to 5 s on a loaded machine
    seen = watch.exited_at();
    if (!seen) ::usleep(1000);
  }
  const auto reaped = Clock::now();
  ::waitpid(pid, nullptr, 0);
  ASSERT_TRUE(seen) << "the watch never saw the exit";
  EXPECT_GE(seen->time_since_epoch().count(), last->load()) << "seen before the child's last moment";
  EXPECT_LE(*seen, reaped);
  ::munmap(last, sizeof(std::atomic<std::int64_t>));
}

TEST(ExitWatch, StopsAtOnceWhenDestroyedWhileTheChildRuns) {
  const pid_t pid = ::fork();
  ASSERT_GE(pid, 0);
  if (pid == 0) {
    ::pause();
    ::_exit(0);
  }
  const auto start = Clock::now();
  {
    ExitWatch watch(pid);
    EXPECT_FALSE(watch.exited_at());
  }
  // Generous: only a hang (the thread never woken) would take seconds.
  EXPECT_LT(Clock::now() - start, std::chrono::seconds(5));
  ::kill(pid, SIGKILL);
  ::waitpid(pid, nullptr, 0);
}

}  // namespace
}  // namespace firedrill::pod
