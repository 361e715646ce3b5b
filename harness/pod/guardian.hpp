// The guardian makes "no process outlives the harness" true even when the
// harness is SIGKILLed. It is a tiny process forked before anything else
// starts; the harness tells it, through a pipe, which process groups it
// spawned. When the pipe closes (the harness ended, however it ended), the
// guardian SIGKILLs those groups and every process that still carries this
// run's marker in its environment (which catches setsid() daemons), then
// exits. It must never run anything else and never hold another open file.
#pragma once
#include <sys/types.h>

#include <string>
#include <vector>

namespace firedrill::pod {

// The environment variable that marks every process of this run.
inline constexpr const char* run_marker_name = "FIREDRILL_RUN";

class Guardian {
 public:
  // Forks the guardian. Call before starting any thread. Also makes this
  // process a child subreaper, so orphaned descendants stay findable.
  static void start();
  // The marker value ("<pid>-<random>") to put into children's environment.
  static const std::string& marker();
  // Tell the guardian about a new process group to kill if the harness dies.
  static void watch_group(pid_t pgid);
  // The guardian's pid (0 if none): it is ours, never a leftover.
  static pid_t pid();
};

struct Leftover {
  pid_t pid;
  std::string command;
};
// Processes of this run still alive once every container has exited: those
// carrying the run's marker, and orphans reparented to us (we are a
// subreaper), which catches daemons that also scrubbed their environment.
std::vector<Leftover> find_leftovers(const std::string& marker);

// Whether `pid` is in one of these process groups or carries the marker.
bool belongs_to_run(pid_t pid, const std::vector<pid_t>& pgids, const std::string& marker);

// Processes still alive (not zombies) in any of these process groups.
std::size_t live_members_of_groups(const std::vector<pid_t>& pgids);

// Pids (other than the caller) whose environment has run_marker_name=marker.
std::vector<pid_t> processes_with_marker(const std::string& marker);
// SIGKILLs them until none is left (bounded); returns how many were killed.
std::size_t kill_marked_processes(const std::string& marker);
// The command line of a pid, for reports ("" if it is gone).
std::string command_line_of(pid_t pid);

}  // namespace firedrill::pod
