// A TCP port on 127.0.0.1 that nothing listens on right now, for the app's
// PORT. The kernel picks it (bind to port 0), so parallel runs do not clash.
#pragma once

namespace firedrill::pod {
// Returns 0 if no port could be found.
int free_loopback_port();
}  // namespace firedrill::pod
