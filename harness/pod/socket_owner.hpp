// Who holds a TCP port on this machine, from /proc: the processes with a
// listening socket on it (any address, IPv4 or IPv6: Node and Go listen on
// [::] by default), and whether only TIME_WAIT sockets are left on it.
// Readiness counts only when the listener belongs to the pod (SPEC §1): a
// 200 from anyone else's server is not the app being ready.
#pragma once
#include <sys/types.h>

#include <string>
#include <vector>

namespace firedrill::pod {

struct PortHolders {
  std::vector<pid_t> listeners;  // processes holding a listening socket on the port
  bool listening = false;        // a listening socket exists (its holder may be invisible to us)
  bool unseen = false;           // a listening socket whose holder /proc does not show us
  bool time_wait = false;        // TIME_WAIT sockets on the port
};

// `look_first`: the processes likely to hold the listener (the pod's);
// when they hold every listening socket on the port, nobody else is looked at.
PortHolders holders_of(int port, const std::vector<pid_t>& look_first = {});

// "pid 123 (python3 decoy.py)" for messages.
std::string describe_process(pid_t pid);

}  // namespace firedrill::pod
