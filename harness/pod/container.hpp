// One process of the pod (the app or a sidecar), spawned with Boost.Process
// v2 in its own process group, with the pod's environment, its output
// captured into a bounded tail, and its exit observed through a pidfd the
// moment it happens. A container never outlives its harness: the child gets
// PDEATHSIG=SIGKILL, its group is registered with the Guardian, and the
// whole group is SIGKILLed once the main process exits (as a container
// runtime does when PID 1 of a container ends).
#pragma once
#include <sys/types.h>

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>

#include "net/waiters.hpp"
#include "pod/output_tail.hpp"

namespace firedrill::pod {

struct ExitStatus {
  int code = -1;    // exit code, when it exited by itself
  int signal = 0;   // the signal that ended it, otherwise
  std::int64_t at_us = 0;
};

struct SpawnError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

class Container : public std::enable_shared_from_this<Container> {
 public:
  using OnExit = std::function<void(const ExitStatus&)>;

  // argv[0] must be an absolute path (see resolve_program).
  static std::shared_ptr<Container> spawn(boost::asio::any_io_executor ex, std::string name,
                                          const std::vector<std::string>& argv, const std::vector<std::string>& env,
                                          std::function<std::int64_t()> now_us, OnExit on_exit);
  ~Container();

  const std::string& name() const { return name_; }
  pid_t pid() const { return pid_; }
  bool running() const { return !exit_; }
  const std::optional<ExitStatus>& exit_status() const { return exit_; }
  const OutputTail& output() const { return output_; }

  // Sends sig to the main process (not the group: that is what a container
  // runtime does). Returns false if it already exited.
  bool signal(int sig);
  // Waits until the process exited or `timeout_us` passed; true if exited.
  boost::asio::awaitable<bool> wait_exit(std::int64_t timeout_us);
  // SIGKILL the whole process group (cleanup after the main process ended).
  void kill_group();

 private:
  Container(boost::asio::any_io_executor ex, std::string name);
  void start_watchers(std::function<std::int64_t()> now_us, OnExit on_exit);

  struct Impl;
  std::unique_ptr<Impl> impl_;
  std::string name_;
  pid_t pid_ = -1;
  std::optional<ExitStatus> exit_;
  net::Waiters exit_waiters_;  // wait_exit()s, woken by the exit handler
  OutputTail output_;
};

}  // namespace firedrill::pod
