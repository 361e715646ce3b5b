// The moment a child process exits, taken by a thread of its own that does
// nothing but wait on the child's pidfd. The event loop also learns of the
// exit (Boost.Process reaps the child there), but only once it gets round
// to it: under load it may be busy sending orders for a millisecond or
// more, and even idle its wake-up and dispatch add tens of microseconds.
// A drain is judged against the grace deadline by that time, so the
// container takes the earlier of the two.
#pragma once
#include <sys/types.h>

#include <atomic>
#include <chrono>
#include <cstdint>
#include <optional>
#include <thread>

namespace firedrill::pod {

class ExitWatch {
 public:
  // `pid` must be an unreaped child. Without pidfd_open (Linux < 5.3, or a
  // seccomp filter) there is no thread and exited_at_us() stays unknown.
  ExitWatch(pid_t pid);
  ~ExitWatch();  // stops the thread, whether or not the child exited
  ExitWatch(const ExitWatch&) = delete;
  ExitWatch& operator=(const ExitWatch&) = delete;

  // When the thread saw the exit (steady_clock), if it has. The thread
  // reads the clock itself and calls nothing else, so it never touches an
  // object that may be gone by the time the child exits.
  std::optional<std::chrono::steady_clock::time_point> exited_at() const;

 private:
  void run();

  int pidfd_ = -1;
  int wake_ = -1;  // eventfd: the destructor's "stop waiting"
  std::atomic<std::int64_t> exited_at_ns_{0};  // steady_clock; 0: not seen
  std::thread thread_;
};

}  // namespace firedrill::pod
