#include "pod/socket_owner.hpp"

#include <dirent.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <set>
#include <sstream>

#include <fmt/format.h>

#include "pod/guardian.hpp"

namespace firedrill::pod {
namespace {

constexpr int listen_state = 0x0A, time_wait_state = 0x06;  // include/net/tcp_states.h

// Scans /proc/net/tcp or tcp6 for sockets on `port`: the listening ones'
// inodes, and whether any is in TIME_WAIT.
void scan(const char* table, int port, std::set<unsigned long>& listening, bool& time_wait) {
  std::ifstream f(table);
  std::string line;
  std::getline(f, line);  // the header
  while (std::getline(f, line)) {
    std::istringstream row(line);
    std::string slot, local, remote, state, queues, timer, retransmits, uid, timeout;
    unsigned long inode = 0;
    if (!(row >> slot >> local >> remote >> state >> queues >> timer >> retransmits >> uid >> timeout >> inode)) continue;
    const auto colon = local.rfind(':');
    if (colon == std::string::npos || std::strtol(local.c_str() + colon + 1, nullptr, 16) != port) continue;
    const long st = std::strtol(state.c_str(), nullptr, 16);
    if (st == listen_state) listening.insert(inode);
    if (st == time_wait_state) time_wait = true;
  }
}

// Adds `pid` to the listeners if one of its descriptors is one of `inodes`.
void look_at(pid_t pid, const std::set<unsigned long>& inodes, PortHolders& h, std::set<unsigned long>& seen) {
  const std::string fd_dir = fmt::format("/proc/{}/fd", pid);
  DIR* fds = ::opendir(fd_dir.c_str());
  if (!fds) return;
  bool holds = false;
  while (auto* fd = ::readdir(fds)) {
    char target[64];
    const auto n = ::readlink((fd_dir + "/" + fd->d_name).c_str(), target, sizeof target - 1);
    if (n <= 0) continue;
    target[n] = 0;
    unsigned long inode = 0;
    if (std::sscanf(target, "socket:[%lu]", &inode) == 1 && inodes.contains(inode)) {
      holds = true;
      seen.insert(inode);
    }
  }
  ::closedir(fds);
  if (holds) h.listeners.push_back(pid);
}

}  // namespace

PortHolders holders_of(int port, const std::vector<pid_t>& look_first) {
  PortHolders h;
  std::set<unsigned long> inodes;
  scan("/proc/net/tcp", port, inodes, h.time_wait);
  scan("/proc/net/tcp6", port, inodes, h.time_wait);
  h.listening = !inodes.empty();
  if (inodes.empty()) return h;
  std::set<unsigned long> seen;
  // The likely holders first: when they hold every listening socket there
  // is nobody else to find, and the scan of every process's descriptors
  // (milliseconds on a busy machine, on the scenario's event loop) is spared.
  for (pid_t pid : look_first) look_at(pid, inodes, h, seen);
  if (seen.size() < inodes.size()) {
    DIR* procs = ::opendir("/proc");
    while (auto* p = procs ? ::readdir(procs) : nullptr) {
      const pid_t pid = std::atoi(p->d_name);
      if (pid > 0 && std::find(look_first.begin(), look_first.end(), pid) == look_first.end())
        look_at(pid, inodes, h, seen);
    }
    if (procs) ::closedir(procs);
  }
  h.unseen = seen.size() < inodes.size();
  return h;
}

std::string describe_process(pid_t pid) {
  const auto command = command_line_of(pid);
  return fmt::format("pid {} ({})", pid, command.empty() ? "command unknown" : command);
}

}  // namespace firedrill::pod
