#include "pod/guardian.hpp"

#include <algorithm>

#include <dirent.h>
#include <fcntl.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <csignal>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <random>
#include <set>
#include <sstream>

#include <fmt/format.h>

namespace firedrill::pod {
namespace {

int pipe_to_guardian = -1;
pid_t guardian_pid = 0;
std::string run_marker;

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

[[noreturn]] void guardian_main(int read_end) {
  // Survive the signals that end the harness (Ctrl-C reaches the whole
  // foreground group), so the cleanup below always runs.
  for (int sig : {SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGPIPE}) std::signal(sig, SIG_IGN);
  int devnull = ::open("/dev/null", O_RDWR);
  if (devnull >= 0) {
    ::dup2(devnull, 0);
    ::dup2(devnull, 1);
    ::dup2(devnull, 2);
  }
  for (int fd = 3; fd < 1024; ++fd)
    if (fd != read_end) ::close(fd);
  std::set<pid_t> groups;
  std::string pending;
  char buf[256];
  while (true) {
    ssize_t n = ::read(read_end, buf, sizeof buf);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    pending.append(buf, static_cast<std::size_t>(n));
    std::size_t nl;
    while ((nl = pending.find('\n')) != std::string::npos) {
      groups.insert(static_cast<pid_t>(std::atoi(pending.substr(0, nl).c_str())));
      pending.erase(0, nl + 1);
    }
  }
  for (pid_t g : groups)
    if (g > 1) ::kill(-g, SIGKILL);
  kill_marked_processes(run_marker);
  ::_exit(0);
}

}  // namespace

void Guardian::start() {
  if (pipe_to_guardian >= 0) return;
  std::random_device rd;
  run_marker = fmt::format("{}-{:08x}", ::getpid(), rd());
  ::prctl(PR_SET_CHILD_SUBREAPER, 1);
  int fds[2];
  if (::pipe2(fds, O_CLOEXEC) != 0) return;
  pid_t pid = ::fork();
  if (pid == 0) {
    ::close(fds[1]);
    guardian_main(fds[0]);
  }
  ::close(fds[0]);
  if (pid < 0) {
    ::close(fds[1]);
    return;
  }
  pipe_to_guardian = fds[1];
  guardian_pid = pid;
}

pid_t Guardian::pid() { return guardian_pid; }

const std::string& Guardian::marker() { return run_marker; }

void Guardian::watch_group(pid_t pgid) {
  if (pipe_to_guardian < 0) return;
  auto line = fmt::format("{}\n", pgid);
  (void)!::write(pipe_to_guardian, line.data(), line.size());
}

std::vector<pid_t> processes_with_marker(const std::string& marker) {
  std::vector<pid_t> out;
  if (marker.empty()) return out;
  const std::string needle = fmt::format("{}={}", run_marker_name, marker);
  DIR* d = ::opendir("/proc");
  if (!d) return out;
  pid_t self = ::getpid();
  while (auto* e = ::readdir(d)) {
    pid_t pid = std::atoi(e->d_name);
    if (pid <= 1 || pid == self) continue;
    std::string env = read_file(fmt::format("/proc/{}/environ", pid));
    std::size_t pos = 0;
    while (pos < env.size()) {
      std::size_t end = env.find('\0', pos);
      if (end == std::string::npos) end = env.size();
      if (std::string_view(env).substr(pos, end - pos) == needle) {
        out.push_back(pid);
        break;
      }
      pos = end + 1;
    }
  }
  ::closedir(d);
  return out;
}

std::size_t kill_marked_processes(const std::string& marker) {
  std::set<pid_t> killed;
  // A process may fork while we kill; repeat until a scan finds nothing.
  for (int round = 0; round < 50; ++round) {
    auto pids = processes_with_marker(marker);
    if (pids.empty()) break;
    for (pid_t p : pids) {
      ::kill(p, SIGKILL);
      killed.insert(p);
    }
    // Reap the ones that are our own children (we are a subreaper).
    while (::waitpid(-1, nullptr, WNOHANG) > 0) {
    }
    ::usleep(2000);
  }
  return killed.size();
}

std::vector<Leftover> find_leftovers(const std::string& marker) {
  std::set<pid_t> found;
  for (pid_t p : processes_with_marker(marker)) found.insert(p);
  const pid_t self = ::getpid();
  DIR* d = ::opendir("/proc");
  while (d) {
    auto* e = ::readdir(d);
    if (!e) break;
    pid_t pid = std::atoi(e->d_name);
    if (pid <= 1 || pid == guardian_pid) continue;
    // "ppid" is the 4th field of /proc/PID/stat, after the parenthesised name.
    std::string stat = read_file(fmt::format("/proc/{}/stat", pid));
    auto close = stat.rfind(')');
    if (close == std::string::npos) continue;
    char state = 0;
    int ppid = 0;
    if (std::sscanf(stat.c_str() + close + 1, " %c %d", &state, &ppid) == 2 && ppid == self && state != 'Z')
      found.insert(pid);
  }
  if (d) ::closedir(d);
  std::vector<Leftover> out;
  for (pid_t p : found) {
    if (p == guardian_pid) continue;
    out.push_back({p, command_line_of(p)});
  }
  return out;
}

bool belongs_to_run(pid_t pid, const std::vector<pid_t>& pgids, const std::string& marker) {
  const std::string stat = read_file(fmt::format("/proc/{}/stat", pid));
  const auto close = stat.rfind(')');
  char state = 0;
  int ppid = 0, pgrp = 0;
  if (close != std::string::npos && std::sscanf(stat.c_str() + close + 1, " %c %d %d", &state, &ppid, &pgrp) == 3 &&
      std::find(pgids.begin(), pgids.end(), pgrp) != pgids.end())
    return true;
  if (marker.empty()) return false;
  const std::string env = read_file(fmt::format("/proc/{}/environ", pid));
  const std::string needle = fmt::format("{}={}", run_marker_name, marker);
  for (std::size_t pos = 0; pos < env.size();) {
    const auto end = std::min(env.find('\0', pos), env.size());
    if (std::string_view(env).substr(pos, end - pos) == needle) return true;
    pos = end + 1;
  }
  return false;
}

std::size_t live_members_of_groups(const std::vector<pid_t>& pgids) {
  std::size_t n = 0;
  DIR* d = ::opendir("/proc");
  while (d) {
    auto* e = ::readdir(d);
    if (!e) break;
    const pid_t pid = std::atoi(e->d_name);
    if (pid <= 1) continue;
    // State and pgrp are the 3rd and 5th fields, after the parenthesised name.
    const std::string stat = read_file(fmt::format("/proc/{}/stat", pid));
    const auto close = stat.rfind(')');
    if (close == std::string::npos) continue;
    char state = 0;
    int ppid = 0, pgrp = 0;
    if (std::sscanf(stat.c_str() + close + 1, " %c %d %d", &state, &ppid, &pgrp) == 3 && state != 'Z' &&
        std::find(pgids.begin(), pgids.end(), pgrp) != pgids.end())
      ++n;
  }
  if (d) ::closedir(d);
  return n;
}

std::string command_line_of(pid_t pid) {
  std::string raw = read_file(fmt::format("/proc/{}/cmdline", pid));
  for (auto& c : raw)
    if (c == '\0') c = ' ';
  while (!raw.empty() && raw.back() == ' ') raw.pop_back();
  return raw;
}

}  // namespace firedrill::pod
