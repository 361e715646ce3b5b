// A TCP port for a container of the pod (SPEC §1). It lies outside the
// kernel's ephemeral range (net.ipv4.ip_local_port_range), or in a band the
// kernel reserves (net.ipv4.ip_local_reserved_ports), so no port-0 listener
// and no outgoing connection, the harness's or anyone's, can be handed it
// by the kernel; it is held under a lock file for as long as the lease
// lives, so two firedrill runs on one machine never hand out the same port;
// and it was free to bind, on IPv4 and IPv6 loopback, when it was leased.
// It never falls back inside the ephemeral range.
#pragma once
#include <filesystem>
#include <optional>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

namespace firedrill::pod {

// No port could be had: the message says why and what to change (exit 3).
struct PortError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// Where ports may come from.
struct PortPolicy {
  int ephemeral_lo = 32768, ephemeral_hi = 60999;  // the kernel's range, never used
  std::vector<std::pair<int, int>> reserved;       // bands the kernel keeps out of it (usable)
  std::optional<std::pair<int, int>> band;         // --ports: only these
  std::filesystem::path lock_dir;

  // This machine's settings (from /proc/sys/net/ipv4) and the shared lock folder.
  static PortPolicy from_system();
  bool usable(int port) const;
  // Why a --ports band is unusable, or "" when it is fine.
  std::string check_band(int lo, int hi) const;
  std::string describe_ranges() const;  // for messages
};

class PortLease {
 public:
  // Throws PortError.
  static PortLease acquire(const PortPolicy& policy);
  PortLease(PortLease&& o) noexcept : port_(o.port_), lock_fd_(std::exchange(o.lock_fd_, -1)) {}
  PortLease& operator=(PortLease&& o) noexcept;
  PortLease(const PortLease&) = delete;
  PortLease& operator=(const PortLease&) = delete;
  ~PortLease();  // lets the port go (the lock is also dropped when the process dies)

  int port() const { return port_; }

 private:
  PortLease(int port, int lock_fd) : port_(port), lock_fd_(lock_fd) {}
  int port_;
  int lock_fd_;
};

}  // namespace firedrill::pod
