#include "pod/port_lease.hpp"

#include <fcntl.h>
#include <netinet/in.h>
#include <sys/file.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <fstream>
#include <random>
#include <sstream>

#include <fmt/format.h>

namespace firedrill::pod {
namespace {

constexpr int lowest_port = 1024;  // below: privileged, and the well-known services'

std::string read_proc(const char* path) {
  std::ifstream f(path);
  std::stringstream ss;
  ss << f.rdbuf();
  return ss.str();
}

// "8000-8010,9000" -> {{8000, 8010}, {9000, 9000}}.
std::vector<std::pair<int, int>> parse_bands(const std::string& text) {
  std::vector<std::pair<int, int>> out;
  std::stringstream ss(text);
  for (std::string part; std::getline(ss, part, ',');) {
    int lo = 0, hi = 0;
    if (std::sscanf(part.c_str(), "%d-%d", &lo, &hi) == 2) out.emplace_back(lo, hi);
    else if (std::sscanf(part.c_str(), "%d", &lo) == 1) out.emplace_back(lo, lo);
  }
  return out;
}

// Free to bind on this address family's loopback, as the app will bind it.
// Without SO_REUSEADDR: a port with TIME_WAIT sockets on it is not free.
bool free_to_bind(int family, int port) {
  const int fd = ::socket(family, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return family == AF_INET6;  // no IPv6 here: nothing can hold it there
  int rc;
  if (family == AF_INET) {
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    a.sin_port = htons(static_cast<std::uint16_t>(port));
    rc = ::bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a);
  } else {
    const int v6only = 1;
    ::setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &v6only, sizeof v6only);
    sockaddr_in6 a{};
    a.sin6_family = AF_INET6;
    a.sin6_addr = in6addr_loopback;
    a.sin6_port = htons(static_cast<std::uint16_t>(port));
    rc = ::bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a);
  }
  const int err = errno;
  ::close(fd);
  return rc == 0 || (family == AF_INET6 && err == EADDRNOTAVAIL);  // ::1 not configured
}

// The lock file of a port, taken without waiting; -1 when another run holds it.
int lock_port(const std::filesystem::path& dir, int port) {
  const auto path = dir / std::to_string(port);
  // O_NOFOLLOW: the folder is writable by everyone.
  int fd = ::open(path.c_str(), O_CREAT | O_RDWR | O_CLOEXEC | O_NOFOLLOW, 0666);
  // Another user's lock file (their umask made it read-only to us): flock
  // works on a read-only descriptor too.
  if (fd < 0 && errno == EACCES) fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
  if (fd < 0) return -1;
  if (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
    ::close(fd);
    return -1;
  }
  return fd;
}

}  // namespace

PortPolicy PortPolicy::from_system() {
  PortPolicy p;
  int lo = 0, hi = 0;
  if (std::sscanf(read_proc("/proc/sys/net/ipv4/ip_local_port_range").c_str(), "%d %d", &lo, &hi) == 2 && lo <= hi) {
    p.ephemeral_lo = lo;
    p.ephemeral_hi = hi;
  }
  p.reserved = parse_bands(read_proc("/proc/sys/net/ipv4/ip_local_reserved_ports"));
  // A fixed path, not $TMPDIR: runs with different TMPDIRs (CI jobs, ctest)
  // on one machine must see each other's locks.
  p.lock_dir = "/tmp/firedrill-ports";
  return p;
}

bool PortPolicy::usable(int port) const {
  if (port < lowest_port || port > 65535) return false;
  if (band && (port < band->first || port > band->second)) return false;
  if (port < ephemeral_lo || port > ephemeral_hi) return true;
  for (const auto& [lo, hi] : reserved)
    if (port >= lo && port <= hi) return true;
  return false;
}

std::string PortPolicy::describe_ranges() const {
  std::string out = fmt::format("net.ipv4.ip_local_port_range = {} {}", ephemeral_lo, ephemeral_hi);
  if (!reserved.empty()) {
    std::string bands;
    for (const auto& [lo, hi] : reserved) bands += (bands.empty() ? "" : ",") + (lo == hi ? std::to_string(lo) : fmt::format("{}-{}", lo, hi));
    out += ", net.ipv4.ip_local_reserved_ports = " + bands;
  }
  return out;
}

std::string PortPolicy::check_band(int lo, int hi) const {
  if (lo < lowest_port || hi > 65535 || lo > hi)
    return fmt::format("expected LO-HI with {} <= LO <= HI <= 65535", lowest_port);
  PortPolicy unbanded = *this;
  unbanded.band.reset();
  for (int p = lo; p <= hi; ++p)
    if (!unbanded.usable(p))
      return fmt::format("port {} lies in the kernel's ephemeral range ({}), where a port-0 listener or an outgoing "
                         "connection could take it first; pick a band outside it, or reserve this one with "
                         "net.ipv4.ip_local_reserved_ports",
                         p, describe_ranges());
  return "";
}

PortLease PortLease::acquire(const PortPolicy& policy) {
  std::vector<int> candidates;
  for (int p = lowest_port; p <= 65535; ++p)
    if (policy.usable(p)) candidates.push_back(p);
  if (candidates.empty())
    throw PortError(fmt::format(
        "no TCP port for the pod: firedrill never hands out a port in the kernel's ephemeral range ({}), where a "
        "port-0 listener or an outgoing connection could take it first, and that leaves none{}; make room by "
        "narrowing the range (sysctl -w net.ipv4.ip_local_port_range=\"32768 60999\") or by reserving a band for "
        "firedrill (sysctl -w net.ipv4.ip_local_reserved_ports=20000-20999)",
        policy.describe_ranges(), policy.band ? fmt::format(" in --ports {}-{}", policy.band->first, policy.band->second) : ""));
  std::error_code ec;
  if (std::filesystem::create_directories(policy.lock_dir, ec))
    ::chmod(policy.lock_dir.c_str(), 01777);  // shared by every user's runs, like /tmp
  // From a random place, so concurrent runs rarely try the same ports.
  std::mt19937 rng(std::random_device{}());
  const std::size_t first = std::uniform_int_distribution<std::size_t>(0, candidates.size() - 1)(rng);
  for (std::size_t i = 0; i < candidates.size(); ++i) {
    const int port = candidates[(first + i) % candidates.size()];
    const int fd = lock_port(policy.lock_dir, port);
    if (fd < 0) continue;
    if (free_to_bind(AF_INET, port) && free_to_bind(AF_INET6, port)) return PortLease(port, fd);
    ::close(fd);
  }
  throw PortError(fmt::format("no TCP port for the pod: all {} ports outside the kernel's ephemeral range ({}) are "
                              "held by other firedrill runs (locks in {}) or bound by other processes",
                              candidates.size(), policy.describe_ranges(), policy.lock_dir.string()));
}

PortLease& PortLease::operator=(PortLease&& o) noexcept {
  if (this != &o) {
    if (lock_fd_ >= 0) ::close(lock_fd_);
    port_ = o.port_;
    lock_fd_ = std::exchange(o.lock_fd_, -1);
  }
  return *this;
}

PortLease::~PortLease() {
  if (lock_fd_ >= 0) ::close(lock_fd_);
}

}  // namespace firedrill::pod
