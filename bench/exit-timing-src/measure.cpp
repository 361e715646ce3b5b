// exit_timing_bench: how late the harness records an app's exit. Starts a
// pod whose app is exit_stamp, waits for its exit the way a scenario does
// (harness/pod: Boost.Process v2 on a pidfd), and compares the exit event's
// time in the history with the CLOCK_MONOTONIC stamp the app wrote just
// before _exit. Prints p50/p99/max of the gap over N runs.
//
//   exit_timing_bench EXIT_STAMP [RUNS]
#include <fcntl.h>
#include <poll.h>
#include <spawn.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <random>
#include <vector>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <fmt/format.h>

#include "history/clock.hpp"
#include "history/history.hpp"
#include "pod/guardian.hpp"
#include "pod/pod.hpp"

namespace asio = boost::asio;
using namespace firedrill;

namespace {

std::int64_t monotonic_ns(history::Clock::time_point t) {
  // libstdc++'s steady_clock is CLOCK_MONOTONIC: the same clock as the stamp.
  return std::chrono::duration_cast<std::chrono::nanoseconds>(t.time_since_epoch()).count();
}

double percentile(const std::vector<double>& sorted, double p) {
  auto rank = static_cast<std::size_t>(std::ceil(p * static_cast<double>(sorted.size())));
  return sorted[std::clamp<std::size_t>(rank, 1, sorted.size()) - 1];
}

std::int64_t read_stamp(const std::filesystem::path& dir) {
  std::int64_t stamp[2] = {0, 0};
  int fd = ::open((dir / "stamp").c_str(), O_RDONLY);
  bool ok = fd >= 0 && ::read(fd, stamp, sizeof stamp) == sizeof stamp;
  if (fd >= 0) ::close(fd);
  return ok ? stamp[0] : 0;
}

// The floor under any harness: the same app spawned bare and its pidfd
// waited on with a blocking poll(2) on an otherwise idle thread.
double bare_gap_us(const char* stamp_path, const std::filesystem::path& dir, long delay_us) {
  const std::string delay = std::to_string(delay_us), data_dir = "DATA_DIR=" + dir.string();
  char* argv[] = {const_cast<char*>(stamp_path), const_cast<char*>(delay.c_str()), nullptr};
  char* envp[] = {const_cast<char*>(data_dir.c_str()), nullptr};
  pid_t pid;
  if (::posix_spawn(&pid, stamp_path, nullptr, nullptr, argv, envp) != 0) return -1;
  const int pidfd = static_cast<int>(::syscall(SYS_pidfd_open, pid, 0));
  pollfd p{pidfd, POLLIN, 0};
  ::poll(&p, 1, 5000);
  const std::int64_t woke = monotonic_ns(history::Clock::now());
  ::close(pidfd);
  ::waitpid(pid, nullptr, 0);
  const std::int64_t stamp = read_stamp(dir);
  return stamp ? static_cast<double>(woke - stamp) / 1e3 : -1;
}

void print_gaps(const char* what, std::vector<double>& gaps_us) {
  std::sort(gaps_us.begin(), gaps_us.end());
  std::printf("%s (us): min %.1f p50 %.1f p99 %.1f max %.1f\n", what, gaps_us.front(), percentile(gaps_us, 0.5),
              percentile(gaps_us, 0.99), gaps_us.back());
}

}  // namespace

int main(int argc, char** argv) {
  static_assert(std::is_same_v<history::Clock, std::chrono::steady_clock>);
  if (argc < 2) {
    std::fprintf(stderr, "usage: exit_timing_bench EXIT_STAMP [RUNS]\n");
    return 2;
  }
  const int runs = argc > 2 ? std::max(1, std::atoi(argv[2])) : 200;
  pod::Guardian::start();
  const auto dir = std::filesystem::temp_directory_path() / fmt::format("exit-timing-{}", ::getpid());
  std::filesystem::create_directories(dir);
  std::mt19937 rng(1);
  std::vector<double> gaps_us, bare_us;
  int failed = 0;
  for (int i = 0; i < runs; ++i) {
    asio::io_context io(1);
    history::History h;
    const history::Epoch epoch;
    suite::TargetSpec target;
    // 2-20 ms: the harness is asleep in its event loop when the exit comes.
    const long delay_us = 2000 + rng() % 18000;
    target.app = {"app", fmt::format("{} {}", argv[1], delay_us), {}};
    history::Recorder recorder(h, epoch);
    pod::Pod p(io.get_executor(), target, {0, "", "", dir.string()}, recorder);
    asio::co_spawn(
        io,
        [](pod::Pod& p) -> asio::awaitable<void> {
          co_await p.start(5'000'000);  // no sidecars: the app is spawned at once
          co_await p.wait_app_exit(5'000'000);
        }(p),
        asio::detached);
    io.run();
    const std::int64_t stamp = read_stamp(dir);
    auto exits = h.events_of(history::EventKind::exit);
    if (exits.empty() || exits.front()->exit_code != 0 || stamp == 0) {
      ++failed;
      continue;
    }
    // The event's time is whole microseconds since the epoch.
    const std::int64_t harness_ns = monotonic_ns(epoch.at(exits.front()->at_us));
    gaps_us.push_back(static_cast<double>(harness_ns - stamp) / 1e3);
    if (double bare = bare_gap_us(argv[1], dir, delay_us); bare >= 0) bare_us.push_back(bare);
  }
  std::filesystem::remove_all(dir);
  if (gaps_us.empty()) {
    std::fprintf(stderr, "exit_timing_bench: no run produced a stamp and an exit event\n");
    return 3;
  }
  std::printf("runs: %zu measured, %d failed\n", gaps_us.size(), failed);
  print_gaps("exit gap", gaps_us);
  if (!bare_us.empty()) print_gaps("bare pidfd poll, no harness", bare_us);
  return failed ? 1 : 0;
}
