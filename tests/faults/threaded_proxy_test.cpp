// The standalone proxy with worker threads (firedrill proxy --threads N):
// connections spread over several loops must behave exactly as on one.
// Bytes pass unchanged on many connections at once; fault decisions depend
// on the seed and the accept order only, not on which loop carries a
// connection; a count shared by all connections (fail-first) stays exact
// when they ask at once; refuse closes connections on every loop; and the
// proxy tears down with connections still open on its loops.
#include <gtest/gtest.h>

#include <cerrno>
#include <thread>

#include "faults/fault_proxy.hpp"
#include "support.hpp"

namespace firedrill::faults {
namespace {
using namespace test;

constexpr int threads = 3;

// A proxy on `threads` loops in front of an echo server. The proxy goes
// only once its caller's loop stopped (FaultProxy's contract with threads).
struct ThreadedEchoProxy : ::testing::Test {
  IoThread io;
  EchoServer echo{io.io};
  std::unique_ptr<FaultProxy> proxy = std::make_unique<FaultProxy>(io.io, echo.endpoint(), 1, false, 0, threads);
  void TearDown() override {
    io.stop();
    proxy.reset();
  }
};

TEST_F(ThreadedEchoProxy, ManyConnectionsAtOnceCarryEveryByteUnchanged) {
  constexpr int clients = 12;
  constexpr std::size_t bytes = 1u << 20;
  std::vector<std::thread> ts;
  std::atomic<int> intact{0};
  for (int i = 0; i < clients; ++i)
    ts.emplace_back([&, i] {
      Client c;
      if (c.connect(proxy->port()) != 0) return;
      const std::string data = pattern(static_cast<std::size_t>(i) * 7919, bytes);
      std::thread sender([&] { c.send_all(data); });
      const std::string got = c.read_up_to(bytes, milliseconds(60000));
      sender.join();
      if (got == data) ++intact;
    });
  for (auto& t : ts) t.join();
  EXPECT_EQ(intact.load(), clients);
  EXPECT_EQ(proxy->stats().connections, static_cast<std::uint64_t>(clients));
  EXPECT_EQ(proxy->stats().bytes_up, clients * bytes);
}

TEST(ThreadedProxy, FaultDecisionsDoNotDependOnTheNumberOfLoops) {
  auto run = [](int loops) {
    IoThread io;
    EchoServer echo{io.io};
    auto proxy = std::make_unique<FaultProxy>(io.io, echo.endpoint(), 3, false, 0, loops);
    proxy->add(fault("reset", Direction::upstream, {}, 0.5));
    std::string pattern;
    for (int i = 0; i < 40; ++i) {
      Client c;
      EXPECT_EQ(c.connect(proxy->port()), 0);
      c.send_all("x");
      long end = 1;
      std::string got = c.read_up_to(1, milliseconds(5000), &end);
      pattern += got == "x" ? '.' : end == -ECONNRESET ? 'r' : '?';
    }
    io.stop();
    proxy.reset();
    return pattern;
  };
  const std::string one = run(1), several = run(threads);
  EXPECT_EQ(one.find('?'), std::string::npos) << one;
  EXPECT_NE(one.find('r'), std::string::npos) << one;  // p = 0.5: both kinds of decision occur
  EXPECT_NE(one.find('.'), std::string::npos) << one;
  EXPECT_EQ(one, several);
}

TEST(ThreadedProxy, FailFirstCountsExactlyAcrossLoops) {
  IoThread io;
  HttpUpstream upstream{io.io};
  auto proxy = std::make_unique<FaultProxy>(io.io, upstream.endpoint(), 42, true, 0, threads);
  constexpr int count = 40, clients = 6, each = 20;
  proxy->add(fault("fail-first", Direction::both, {{"count", std::to_string(count)}, {"status", "429"}}));
  std::atomic<int> failed{0}, passed{0}, other{0};
  std::vector<std::thread> ts;
  for (int i = 0; i < clients; ++i)
    ts.emplace_back([&] {
      Client c;
      if (c.connect(proxy->port()) != 0) return;
      for (int k = 0; k < each; ++k) {
        const int status = c.http("POST", "/charges", "{}");
        (status == 429 ? failed : status == 200 ? passed : other)++;
      }
    });
  for (auto& t : ts) t.join();
  EXPECT_EQ(failed.load(), count);
  EXPECT_EQ(passed.load(), clients * each - count);
  EXPECT_EQ(other.load(), 0);
  EXPECT_EQ(upstream.requests(), clients * each - count);
  io.stop();
  proxy.reset();
}

TEST_F(ThreadedEchoProxy, RefuseClosesConnectionsOnEveryLoop) {
  std::vector<Client> clients(2 * threads);
  for (auto& c : clients) {
    ASSERT_EQ(c.connect(proxy->port()), 0);
    ASSERT_TRUE(c.send_all("ping"));
    ASSERT_EQ(c.read_up_to(4, milliseconds(10000)), "ping");
  }
  const auto id = proxy->add(fault("refuse", Direction::both, {}));
  for (auto& c : clients) {
    long end = 1;
    EXPECT_EQ(c.read_up_to(1, milliseconds(10000), &end), "");
    EXPECT_EQ(end, 0) << "a live connection was not closed";
  }
  EXPECT_TRUE(eventually([&] { Client c; return c.connect(proxy->port()) == ECONNREFUSED; }, milliseconds(10000)));
  proxy->remove(id);
  EXPECT_TRUE(eventually([&] { Client c; return c.connect(proxy->port()) == 0; }, milliseconds(10000)));
}

TEST_F(ThreadedEchoProxy, TearsDownWithConnectionsOpenOnItsLoops) {
  proxy->add(fault("latency", Direction::downstream, {{"latency", "10s"}}));  // held mid-chunk
  std::vector<Client> clients(2 * threads);
  for (auto& c : clients) {
    ASSERT_EQ(c.connect(proxy->port()), 0);
    c.send_all("held");
  }
  EXPECT_TRUE(eventually([&] { return proxy->stats().bytes_up == 4u * clients.size(); }, milliseconds(10000)));
  const auto t0 = Clock::now();
  io.stop();
  proxy.reset();  // joins its loops; must not wait out the hold
  EXPECT_LT(seconds_since(t0), 5.0);
  // Round robin in accept order: home loop, then each worker loop. Those
  // on the worker loops went with the proxy; those on the caller's loop go
  // with that loop (here: the end of the test).
  for (std::size_t i = 0; i < clients.size(); ++i) {
    if (i % threads == 0) continue;
    long end = 1;
    clients[i].read_up_to(1, milliseconds(10000), &end);
    EXPECT_TRUE(end == 0 || end == -ECONNRESET) << "connection " << i << " outlived the proxy: " << end;
  }
}

}  // namespace
}  // namespace firedrill::faults
