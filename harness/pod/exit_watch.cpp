#include "pod/exit_watch.hpp"

#include <poll.h>
#include <sys/eventfd.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cerrno>

namespace firedrill::pod {

ExitWatch::ExitWatch(pid_t pid) {
#ifdef SYS_pidfd_open
  pidfd_ = static_cast<int>(::syscall(SYS_pidfd_open, pid, 0));
#endif
  if (pidfd_ < 0) return;
  wake_ = ::eventfd(0, EFD_CLOEXEC);
  if (wake_ < 0) {
    ::close(pidfd_);
    pidfd_ = -1;
    return;
  }
  thread_ = std::thread([this] { run(); });
}

ExitWatch::~ExitWatch() {
  if (thread_.joinable()) {
    const std::uint64_t one = 1;
    [[maybe_unused]] auto n = ::write(wake_, &one, sizeof one);
    thread_.join();
  }
  if (pidfd_ >= 0) ::close(pidfd_);
  if (wake_ >= 0) ::close(wake_);
}

std::optional<std::chrono::steady_clock::time_point> ExitWatch::exited_at() const {
  const std::int64_t ns = exited_at_ns_.load(std::memory_order_acquire);
  if (ns == 0) return std::nullopt;
  return std::chrono::steady_clock::time_point(std::chrono::nanoseconds(ns));
}

void ExitWatch::run() {
  pollfd fds[2] = {{pidfd_, POLLIN, 0}, {wake_, POLLIN, 0}};
  while (true) {
    const int n = ::poll(fds, 2, -1);
    if (n < 0 && errno == EINTR) continue;
    // The time first: it is the one thing this thread is for.
    if (n > 0 && (fds[0].revents & (POLLIN | POLLHUP))) {
      const auto now = std::chrono::steady_clock::now().time_since_epoch();
      exited_at_ns_.store(std::chrono::duration_cast<std::chrono::nanoseconds>(now).count(), std::memory_order_release);
    }
    return;
  }
}

}  // namespace firedrill::pod
