// Each TCP fault's effect, observed on a real loopback socket through a
// real proxy in front of an echo server (SPEC §3: latency, bandwidth,
// reset, blackhole, refuse, slow close, cut; plus slicer). Bounds are
// one-sided and generous so a loaded 2-core machine cannot flake them.
#include <gtest/gtest.h>

#include <cerrno>

#include "faults/fault_proxy.hpp"
#include "support.hpp"

namespace firedrill::faults {
namespace {
using namespace test;

struct TcpFaults : ::testing::Test {
  IoThread io;
  EchoServer echo{io.io};
  FaultProxy proxy{io.io, echo.endpoint(), 42, false};

  // Sends `data` and reads back as many bytes; returns seconds taken.
  double round_trip(Client& c, const std::string& data) {
    auto t0 = Clock::now();
    EXPECT_TRUE(c.send_all(data));
    EXPECT_EQ(c.read_up_to(data.size(), milliseconds(20000)), data);
    return seconds_since(t0);
  }
};

TEST_F(TcpFaults, WithoutFaultsBytesPassUnchanged) {
  Client c;
  ASSERT_EQ(c.connect(proxy.port()), 0);
  round_trip(c, pattern(0, 100000));
  EXPECT_EQ(proxy.stats().connections, 1u);
  EXPECT_EQ(proxy.stats().bytes_up, 100000u);
  EXPECT_TRUE(eventually([&] { return proxy.stats().bytes_down == 100000u; }, milliseconds(5000)));
}

TEST_F(TcpFaults, LatencyHoldsEachChunk) {
  proxy.add(fault("latency", Direction::downstream, {{"latency", "200ms"}}));
  Client c;
  ASSERT_EQ(c.connect(proxy.port()), 0);
  EXPECT_GE(round_trip(c, "ping"), 0.180);
}

TEST_F(TcpFaults, BandwidthLimitsTheRate) {
  proxy.add(fault("bandwidth", Direction::downstream, {{"rate", "100"}}));
  Client c;
  ASSERT_EQ(c.connect(proxy.port()), 0);
  std::string data = pattern(0, 200 * 1024);
  auto t0 = Clock::now();
  std::thread sender([&] { c.send_all(data); });
  std::string got = c.read_up_to(data.size(), milliseconds(30000));
  sender.join();
  EXPECT_EQ(got, data);
  EXPECT_GE(seconds_since(t0), 1.5);  // 200 KB at 100 KB/s is 2 s
}

TEST_F(TcpFaults, ResetAbortsWithEconnreset) {
  proxy.add(fault("reset", Direction::both));
  Client c;
  ASSERT_EQ(c.connect(proxy.port()), 0);
  c.send_all("hello");
  char buf[16];
  long r = c.recv_some(buf, sizeof buf, milliseconds(5000));
  EXPECT_EQ(r, -ECONNRESET);
  EXPECT_EQ(proxy.stats().faults_fired, 1u);
}

TEST_F(TcpFaults, BlackholeReadsAndNeverAnswers) {
  proxy.add(fault("blackhole", Direction::upstream));
  Client c;
  ASSERT_EQ(c.connect(proxy.port()), 0);
  ASSERT_TRUE(c.send_all("hello"));
  char buf[16];
  EXPECT_EQ(c.recv_some(buf, sizeof buf, milliseconds(500)), -ETIMEDOUT);  // open, silent
  EXPECT_EQ(proxy.stats().bytes_up, 0u);
}

TEST_F(TcpFaults, CutPassesExactlyNBytesThenCloses) {
  proxy.add(fault("cut", Direction::downstream, {{"bytes", "1000"}}));
  Client c;
  ASSERT_EQ(c.connect(proxy.port()), 0);
  std::string data = pattern(0, 5000);
  ASSERT_TRUE(c.send_all(data));
  long end = 1;
  std::string got = c.read_up_to(data.size(), milliseconds(5000), &end);
  EXPECT_EQ(got, data.substr(0, 1000));
  EXPECT_EQ(end, 0) << "expected EOF after the cut";
}

TEST_F(TcpFaults, RefuseClosesTheListenerAndRemovalReopensTheSamePort) {
  int port = proxy.port();
  Client live;
  ASSERT_EQ(live.connect(port), 0);
  round_trip(live, "before");

  auto id = proxy.add(fault("refuse", Direction::both));
  Client probe;
  EXPECT_TRUE(eventually([&] { return probe.connect(port) == ECONNREFUSED; }, milliseconds(5000)));
  char buf[16];
  long r = live.recv_some(buf, sizeof buf, milliseconds(5000));
  EXPECT_TRUE(r == 0 || r == -ECONNRESET) << "live connection should be closed, got " << r;

  proxy.remove(id);
  Client again;
  EXPECT_TRUE(eventually([&] { return again.connect(port) == 0; }, milliseconds(5000)));
  EXPECT_EQ(proxy.port(), port);
  round_trip(again, "after");
}

TEST_F(TcpFaults, SlowCloseHoldsTheClose) {
  proxy.add(fault("slow-close", Direction::downstream, {{"delay", "300ms"}}));
  Client c;
  ASSERT_EQ(c.connect(proxy.port()), 0);
  round_trip(c, "bye");
  auto t0 = Clock::now();
  c.shutdown_write();  // the echo server closes in turn; its close is held
  long end = 1;
  c.read_up_to(1, milliseconds(5000), &end);
  EXPECT_EQ(end, 0);
  EXPECT_GE(seconds_since(t0), 0.270);
}

TEST_F(TcpFaults, SlicerDeliversInSeveralReads) {
  proxy.add(fault("slicer", Direction::downstream, {{"size", "100"}, {"delay", "5ms"}}));
  Client c;
  ASSERT_EQ(c.connect(proxy.port()), 0);
  std::string data = pattern(0, 4000);
  ASSERT_TRUE(c.send_all(data));
  std::string got;
  int reads = 0;
  char buf[64 * 1024];
  while (got.size() < data.size()) {
    long n = c.recv_some(buf, sizeof buf, milliseconds(5000));
    ASSERT_GT(n, 0);
    got.append(buf, static_cast<std::size_t>(n));
    ++reads;
  }
  EXPECT_EQ(got, data);
  EXPECT_GE(reads, 4);  // 40 slices 5 ms apart; even a slow reader sees several
}

TEST_F(TcpFaults, BlackholeWithCloseAfterClosesThatLongAfterTheFirstChunk) {
  proxy.add(fault("blackhole", Direction::upstream, {{"close-after", "300ms"}}));
  Client c;
  ASSERT_EQ(c.connect(proxy.port()), 0);
  auto t0 = Clock::now();
  ASSERT_TRUE(c.send_all("hello"));
  long end = 1;
  EXPECT_EQ(c.read_up_to(1, milliseconds(10000), &end), "");  // nothing answered, then the end
  EXPECT_TRUE(end == 0 || end == -ECONNRESET) << end;
  EXPECT_GE(seconds_since(t0), 0.270);
  EXPECT_EQ(proxy.stats().bytes_up, 0u);
}

TEST_F(TcpFaults, BlackholeClosingOnRemovalClosesWhenRemovedAndNotBefore) {
  auto id = proxy.add(fault("blackhole", Direction::upstream, {{"close-on-removal", "true"}}));
  Client c;
  ASSERT_EQ(c.connect(proxy.port()), 0);
  ASSERT_TRUE(c.send_all("hello"));
  long end = 1;
  EXPECT_EQ(c.read_up_to(1, milliseconds(400), &end), "");
  EXPECT_EQ(end, -ETIMEDOUT) << "closed before the removal";
  proxy.remove(id);
  EXPECT_EQ(c.read_up_to(1, milliseconds(10000), &end), "");
  EXPECT_TRUE(end == 0 || end == -ECONNRESET) << end;
  EXPECT_EQ(proxy.stats().bytes_up, 0u);
}

TEST_F(TcpFaults, ResetWithAfterAbortsThatLongAfterTheFirstChunk) {
  proxy.add(fault("reset", Direction::upstream, {{"after", "300ms"}}));
  Client c;
  ASSERT_EQ(c.connect(proxy.port()), 0);
  auto t0 = Clock::now();
  ASSERT_TRUE(c.send_all("hello"));
  char buf[16];
  EXPECT_EQ(c.recv_some(buf, sizeof buf, milliseconds(10000)), -ECONNRESET);
  EXPECT_GE(seconds_since(t0), 0.270);
}

TEST_F(TcpFaults, ResetRemovedDuringItsWaitLetsTheChunkGo) {
  auto id = proxy.add(fault("reset", Direction::upstream, {{"after", "60s"}}));
  Client c;
  ASSERT_EQ(c.connect(proxy.port()), 0);
  ASSERT_TRUE(c.send_all("kept"));
  ASSERT_TRUE(eventually([&] { return proxy.stats().connections == 1u; }, milliseconds(5000)));
  proxy.remove(id);
  EXPECT_EQ(c.read_up_to(4, milliseconds(10000)), "kept");
}

TEST_F(TcpFaults, SlicerWithVariationKeepsEveryByteInOrder) {
  proxy.add(fault("slicer", Direction::downstream, {{"size", "100"}, {"variation", "60"}, {"delay", "1ms"}}));
  Client c;
  ASSERT_EQ(c.connect(proxy.port()), 0);
  round_trip(c, pattern(0, 20000));
}

TEST_F(TcpFaults, ProbabilityZeroHasNoEffectAtAll) {
  proxy.add(fault("latency", Direction::both, {{"latency", "500ms"}}, 0.0));
  proxy.add(fault("reset", Direction::both, {}, 0.0));
  proxy.add(fault("slicer", Direction::both, {{"size", "1"}, {"delay", "50ms"}}, 0.0));
  proxy.add(fault("refuse", Direction::both, {}, 0.0));
  for (int i = 0; i < 5; ++i) {
    Client c;
    ASSERT_EQ(c.connect(proxy.port()), 0);
    EXPECT_LT(round_trip(c, pattern(i, 10000)), 0.4);  // any of the faults would take >= 0.5 s
  }
  EXPECT_EQ(proxy.stats().faults_fired, 0u);
}

TEST_F(TcpFaults, RemovingAFaultEndsItsHoldWithoutLosingTheChunk) {
  auto id = proxy.add(fault("latency", Direction::downstream, {{"latency", "60s"}}));
  Client c;
  ASSERT_EQ(c.connect(proxy.port()), 0);
  ASSERT_TRUE(c.send_all("held"));
  char buf[16];
  EXPECT_EQ(c.recv_some(buf, sizeof buf, milliseconds(300)), -ETIMEDOUT);
  auto t0 = Clock::now();
  proxy.remove(id);
  EXPECT_LT(seconds_since(t0), 1.0);  // remove() itself never waits on traffic
  EXPECT_EQ(c.read_up_to(4, milliseconds(5000)), "held");
}

TEST_F(TcpFaults, ReplacingAFaultKeepsItsPlaceItsIdAndWhatEachConnectionCounted) {
  // cut 6 then latency. The latency held when it is replaced ends as the
  // old one said; cut, replaced by a cut of 6 bytes too, keeps its count,
  // so the connection passes 6 bytes in all and closes.
  auto cut = proxy.add(fault("cut", Direction::downstream, {{"bytes", "6"}}));
  auto id = proxy.add(fault("latency", Direction::downstream, {{"latency", "600ms"}}));
  Client c;
  ASSERT_EQ(c.connect(proxy.port()), 0);
  auto t0 = Clock::now();
  ASSERT_TRUE(c.send_all("held"));
  char buf[16];
  EXPECT_EQ(c.recv_some(buf, sizeof buf, milliseconds(200)), -ETIMEDOUT);
  EXPECT_TRUE(proxy.replace(id, fault("latency", Direction::downstream, {{"latency", "1ms"}})));
  EXPECT_TRUE(proxy.replace(cut, fault("cut", Direction::downstream, {{"bytes", "6"}})));
  EXPECT_EQ(c.read_up_to(4, milliseconds(5000)), "held");
  EXPECT_GE(seconds_since(t0), 0.55) << "the hold in progress ends as the old latency said";
  ASSERT_TRUE(c.send_all("more"));
  long end = 1;
  EXPECT_EQ(c.read_up_to(16, milliseconds(5000), &end), "mo") << "cut kept its count across the update";
  EXPECT_EQ(end, 0);
  EXPECT_FALSE(proxy.replace(999, fault("latency", Direction::downstream, {{"latency", "1ms"}}))) << "unknown id";
  EXPECT_THROW(proxy.replace(id, fault("latency", Direction::downstream, {{"latency", "x"}})), std::invalid_argument);
}

}  // namespace
}  // namespace firedrill::faults
