// Every wait of the proxy is bounded (ProxyBounds), on real sockets: an
// upstream whose backlog is full never answers the SYN, and the client's
// connection is reset after the connect timeout; a client that never reads
// stops the proxy's writes, and the connection is ended after the write
// timeout; each is counted. Bounds are short here and the checks generous.
#include <gtest/gtest.h>

#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>

#include "faults/fault_proxy.hpp"
#include "support.hpp"

namespace firedrill::faults {
namespace {
using namespace test;

// A listener on 127.0.0.1 that never accepts, its backlog filled: further
// SYNs are dropped (the kernel neither accepts nor refuses them).
struct FullBacklog {
  int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  std::vector<Client> fillers;
  int port = 0;
  FullBacklog() {
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    ::bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a);
    ::listen(fd, 0);  // room for one
    socklen_t len = sizeof a;
    ::getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len);
    port = ntohs(a.sin_port);
    fillers.emplace_back().connect(port);  // the one the queue holds; later SYNs are dropped
  }
  ~FullBacklog() { ::close(fd); }
};

TEST(Bounds, AnUpstreamThatAcceptsNothingIsResetAfterTheConnectTimeout) {
  IoThread io;
  FullBacklog upstream;
  FaultProxy proxy{io.io, {boost::asio::ip::address_v4::loopback(), static_cast<unsigned short>(upstream.port)}, 1,
                   false, 0, 1, ProxyBounds{300'000, 30'000'000}};
  Client c;
  ASSERT_EQ(c.connect(proxy.port()), 0);
  c.send_all("hello");
  char buf[16];
  const auto t0 = Clock::now();
  const long r = c.recv_some(buf, sizeof buf, milliseconds(20000));
  EXPECT_EQ(r, -ECONNRESET) << "the client's connection is reset, as a refused connect would be";
  EXPECT_GE(seconds_since(t0), 0.2) << "not before the bound";
  EXPECT_TRUE(eventually([&] { return proxy.stats().connect_timeouts == 1; }, milliseconds(5000)));
}

TEST(Bounds, AClientThatNeverReadsIsEndedAfterTheWriteTimeout) {
  IoThread io;
  EchoServer echo{io.io};
  FaultProxy proxy{io.io, echo.endpoint(), 1, false, 0, 1, ProxyBounds{5'000'000, 300'000}};
  Client c;
  ASSERT_EQ(c.connect(proxy.port()), 0);
  // Far more than the socket buffers hold: the echo's answers back up in
  // the proxy's write to a client that reads nothing.
  std::thread sender([&] {
    const std::string block = pattern(0, 64 * 1024);
    for (int i = 0; i < 512 && c.send_all(block); ++i) {
    }
  });
  EXPECT_TRUE(eventually([&] { return proxy.stats().write_timeouts >= 1; }, milliseconds(20000)))
      << "the stalled write was never ended";
  ::shutdown(c.fd(), SHUT_RDWR);  // ends the sender if it still blocks
  sender.join();
}

TEST(Bounds, ABoundDoesNotEndAConnectionThatMovesSlowly) {
  // A latency longer than the write bound: holds are not writes, and a
  // write that progresses is never ended.
  IoThread io;
  EchoServer echo{io.io};
  FaultProxy proxy{io.io, echo.endpoint(), 1, false, 0, 1, ProxyBounds{5'000'000, 200'000}};
  proxy.add(fault("latency", Direction::downstream, {{"latency", "500ms"}}));
  Client c;
  ASSERT_EQ(c.connect(proxy.port()), 0);
  ASSERT_TRUE(c.send_all("ping"));
  EXPECT_EQ(c.read_up_to(4, milliseconds(20000)), "ping");
  EXPECT_EQ(proxy.stats().write_timeouts, 0u);
  EXPECT_EQ(proxy.stats().connect_timeouts, 0u);
}

}  // namespace
}  // namespace firedrill::faults
