// pod/port_lease and pod/socket_owner (SPEC §1, issue 19): the pod's ports
// come from outside the kernel's ephemeral range, so no port-0 listener and
// no outgoing connection can take one first; a lock keeps two runs apart;
// where there is no room the error says how to make some; and /proc tells
// who holds a port, on IPv4 and IPv6.
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include <set>
#include <vector>

#include "pod/port_lease.hpp"
#include "pod/socket_owner.hpp"
#include "support/paths.hpp"

namespace firedrill::pod {
namespace {

// A socket closed at the end of the test.
struct Fd {
  int fd = -1;
  explicit Fd(int f) : fd(f) {}
  Fd(Fd&& o) noexcept : fd(std::exchange(o.fd, -1)) {}
  ~Fd() {
    if (fd >= 0) ::close(fd);
  }
};

int local_port(int fd) {
  sockaddr_storage a{};
  socklen_t n = sizeof a;
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&a), &n);
  return a.ss_family == AF_INET6 ? ntohs(reinterpret_cast<sockaddr_in6*>(&a)->sin6_port)
                                 : ntohs(reinterpret_cast<sockaddr_in*>(&a)->sin_port);
}

// A listener on 127.0.0.1 (port 0: the kernel picks) or on [::1].
Fd listen_on(int port, bool v6 = false) {
  Fd s(::socket(v6 ? AF_INET6 : AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0));
  int rc;
  if (v6) {
    sockaddr_in6 a{};
    a.sin6_family = AF_INET6;
    a.sin6_addr = in6addr_loopback;
    a.sin6_port = htons(static_cast<std::uint16_t>(port));
    rc = ::bind(s.fd, reinterpret_cast<sockaddr*>(&a), sizeof a);
  } else {
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    a.sin_port = htons(static_cast<std::uint16_t>(port));
    rc = ::bind(s.fd, reinterpret_cast<sockaddr*>(&a), sizeof a);
  }
  if (rc != 0 || ::listen(s.fd, 4096) != 0) return Fd(-1);
  return s;
}

Fd connect_to(int port) {
  Fd s(::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0));
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  a.sin_port = htons(static_cast<std::uint16_t>(port));
  if (::connect(s.fd, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0) return Fd(-1);
  return s;
}

// A policy whose locks live in a folder of this test alone.
PortPolicy private_policy(const std::string& name) {
  auto p = PortPolicy::from_system();
  p.lock_dir = testing::scratch_dir("port-locks-" + name);
  return p;
}

TEST(PortLease, TwoHundredLeasesAmongThousandsOfPortZeroListenersAndConnectionsNeverCollide) {
  rlimit lim{};
  ::getrlimit(RLIMIT_NOFILE, &lim);
  constexpr rlim_t needed = 7000;
  if (lim.rlim_cur < needed) {
    lim.rlim_cur = std::min<rlim_t>(lim.rlim_max, 8192);
    ::setrlimit(RLIMIT_NOFILE, &lim);
  }
  if (lim.rlim_cur < needed) GTEST_SKIP() << "needs " << needed << " file descriptors; the hard limit is " << lim.rlim_max;

  // The shared lock folder, as the real runs use it: ctest -j2 runs other
  // tests that lease ports at the same time, and this must not disturb them.
  const auto policy = PortPolicy::from_system();
  std::vector<PortLease> leases;
  std::vector<Fd> sockets;  // listeners, clients and accepted ends
  std::set<int> harness_ports;  // every port the kernel handed to a port-0 socket
  Fd target = listen_on(0);
  ASSERT_GE(target.fd, 0);
  const int target_port = local_port(target.fd);
  for (int round = 0; round < 200; ++round) {
    // Between two leases: 10 port-0 listeners and 10 outgoing connections,
    // as a scenario's stubs, proxies and clients make them.
    for (int i = 0; i < 10; ++i) {
      Fd l = listen_on(0);
      ASSERT_GE(l.fd, 0) << "listener " << round * 10 + i;
      harness_ports.insert(local_port(l.fd));
      sockets.push_back(std::move(l));
      Fd c = connect_to(target_port);
      ASSERT_GE(c.fd, 0) << "connection " << round * 10 + i;
      harness_ports.insert(local_port(c.fd));
      sockets.push_back(std::move(c));
      sockets.emplace_back(::accept4(target.fd, nullptr, nullptr, SOCK_CLOEXEC));
    }
    leases.push_back(PortLease::acquire(policy));
  }
  ASSERT_GE(harness_ports.size(), 3000u) << "not thousands of ephemeral ports";
  std::set<int> leased;
  for (const auto& l : leases) {
    EXPECT_TRUE(policy.usable(l.port()))
        << "port " << l.port() << " lies in the ephemeral range " << policy.describe_ranges();
    EXPECT_FALSE(harness_ports.contains(l.port())) << "port " << l.port() << " was also handed to a port-0 socket";
    EXPECT_TRUE(leased.insert(l.port()).second) << "port " << l.port() << " was leased twice";
  }
  // And every leased port can still be bound by the app it is meant for.
  leases.erase(leases.begin() + 3, leases.end());
  for (const auto& l : leases) EXPECT_GE(listen_on(l.port()).fd, 0) << "leased port " << l.port() << " is not bindable";
}

TEST(PortLease, ALeasedPortIsLockedUntilTheLeaseEnds) {
  auto policy = private_policy("lock");
  const int port = PortLease::acquire(policy).port();
  policy.band = {port, port};
  std::optional<PortLease> first(PortLease::acquire(policy));
  try {
    (void)PortLease::acquire(policy);
    FAIL() << "a port held by another lease was leased again";
  } catch (const PortError& e) {
    EXPECT_NE(std::string(e.what()).find("held by other firedrill runs"), std::string::npos) << e.what();
  }
  first.reset();
  EXPECT_EQ(PortLease::acquire(policy).port(), port) << "the port did not come free when its lease ended";
}

TEST(PortLease, APortAnotherProcessBoundIsPassedOver) {
  auto policy = private_policy("bound");
  const int a = PortLease::acquire(policy).port();
  int b = a + 1;
  while (b <= 65535 && !policy.usable(b)) ++b;
  if (b > 65535) GTEST_SKIP() << "no usable port above " << a << " to pair it with";
  policy.band = {a, b};
  Fd taken = listen_on(a, /*v6=*/true);  // on [::1] only: the app could still not have both
  if (taken.fd < 0 && listen_on(0, true).fd < 0) GTEST_SKIP() << "no IPv6 loopback here";
  ASSERT_GE(taken.fd, 0);
  for (int i = 0; i < 10; ++i) EXPECT_NE(PortLease::acquire(policy).port(), a) << "a port bound on ::1 was leased";
}

TEST(PortLease, NoRoomOutsideTheEphemeralRangeIsAnErrorThatSaysHowToMakeRoom) {
  auto policy = private_policy("no-room");
  policy.ephemeral_lo = 1024;
  policy.ephemeral_hi = 65535;
  policy.reserved.clear();
  try {
    (void)PortLease::acquire(policy);
    FAIL() << "a port was leased inside the ephemeral range";
  } catch (const PortError& e) {
    const std::string what = e.what();
    EXPECT_NE(what.find("net.ipv4.ip_local_port_range = 1024 65535"), std::string::npos) << what;
    EXPECT_NE(what.find("ip_local_reserved_ports"), std::string::npos) << what;
  }
}

TEST(PortLease, AReservedBandInsideTheRangeIsUsable) {
  auto policy = private_policy("reserved");
  policy.ephemeral_lo = 1024;
  policy.ephemeral_hi = 65535;
  const int lo = 20000 + static_cast<int>(::getpid() % 20000);
  policy.reserved = {{lo, lo + 2}};
  EXPECT_EQ(policy.check_band(lo, lo + 2), "");
  EXPECT_NE(policy.check_band(lo, lo + 3), "") << "a band reaching past the reserved one was accepted";
  std::vector<PortLease> held;
  for (int i = 0; i < 3; ++i) {
    try {
      held.push_back(PortLease::acquire(policy));
    } catch (const PortError&) {
      continue;  // another process happens to use one of the three
    }
    EXPECT_GE(held.back().port(), lo);
    EXPECT_LE(held.back().port(), lo + 2);
  }
  EXPECT_FALSE(held.empty()) << "no port of the reserved band " << lo << "-" << lo + 2 << " was leased";
}

TEST(PortLease, BandsAreChecked) {
  auto policy = private_policy("bands");
  EXPECT_NE(policy.check_band(80, 90).find("1024 <= LO <= HI"), std::string::npos);
  EXPECT_NE(policy.check_band(3000, 2000).find("1024 <= LO <= HI"), std::string::npos);
  if (policy.ephemeral_hi < 65535) {
    const std::string why = policy.check_band(policy.ephemeral_lo, policy.ephemeral_lo + 5);
    EXPECT_NE(why.find("ephemeral range"), std::string::npos) << why;
  }
}

TEST(SocketOwner, FindsTheHolderOfAListenerOnIPv4AndIPv6) {
  for (const bool v6 : {false, true}) {
    Fd l = listen_on(0, v6);
    if (l.fd < 0 && v6) GTEST_SKIP() << "no IPv6 loopback here";
    ASSERT_GE(l.fd, 0);
    const auto h = holders_of(local_port(l.fd));
    EXPECT_TRUE(h.listening) << (v6 ? "v6" : "v4");
    EXPECT_FALSE(h.unseen) << (v6 ? "v6" : "v4");
    ASSERT_EQ(h.listeners.size(), 1u) << (v6 ? "v6" : "v4");
    EXPECT_EQ(h.listeners[0], ::getpid());
  }
  int port = 0;
  {
    Fd l = listen_on(0);
    port = local_port(l.fd);
  }
  EXPECT_FALSE(holders_of(port).listening) << "a closed listener still counts";
}

}  // namespace
}  // namespace firedrill::pod
