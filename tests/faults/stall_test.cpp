// stall (types/stall.cpp): the fault type added in one file and one
// registry line, without touching the pump. It holds a direction's bytes
// now and then for up to `window`, and loses, adds or reorders nothing; it
// rolls once per connection; and where it stalls follows byte offsets from
// the seeded generator, so the same seed stalls the same connection at the
// same bytes however the kernel split the reads.
#include <gtest/gtest.h>

#include <thread>

#include "faults/fault_proxy.hpp"
#include "support.hpp"

namespace firedrill::faults {
namespace {
using namespace test;

struct StallRun {
  std::string got;
  double seconds = 0;
};

// 256 KiB through a proxy with a stall every 32 KiB on average, sent in
// pieces of `piece` bytes (how the reads are split).
StallRun through_stall(std::uint64_t seed, std::size_t piece, double probability = 1.0) {
  IoThread io;
  EchoServer echo{io.io};
  FaultProxy proxy{io.io, echo.endpoint(), seed, false};
  proxy.add(fault("stall", Direction::downstream, {{"window", "100ms"}, {"every", "32768"}}, probability));
  Client c;
  EXPECT_EQ(c.connect(proxy.port()), 0);
  const std::string data = pattern(0, 256 * 1024);
  const auto t0 = Clock::now();
  std::thread sender([&] {
    for (std::size_t off = 0; off < data.size(); off += piece) c.send_all(std::string_view(data).substr(off, piece));
  });
  StallRun run;
  run.got = c.read_up_to(data.size(), milliseconds(60000));
  run.seconds = seconds_since(t0);
  sender.join();
  return run;
}

TEST(Stall, HoldsTheBytesNowAndThenAndKeepsEveryOneInOrder) {
  const auto run = through_stall(7, 64 * 1024);
  EXPECT_EQ(run.got, pattern(0, 256 * 1024)) << "no byte lost, added or reordered";
  // About 8 stalls of up to 100 ms (50 ms on average): well above a free
  // path's milliseconds; a one-sided bound, so a loaded machine cannot flake it.
  EXPECT_GE(run.seconds, 0.05) << "it never stalled";
}

TEST(Stall, ProbabilityZeroNeverStalls) {
  const auto run = through_stall(7, 64 * 1024, 0.0);
  EXPECT_EQ(run.got, pattern(0, 256 * 1024));
}

TEST(Stall, WhereItStallsFollowsTheSeedNotTheReads) {
  // The stalls' total is drawn per byte offset: the same whichever way the
  // stream is split. Time includes the machine's noise, so compare the
  // offsets through what a reader sees: the bytes that arrived before the
  // first long gap.
  IoThread io;
  EchoServer echo{io.io};
  auto first_stall_offset = [&](std::size_t piece) {
    FaultProxy proxy{io.io, echo.endpoint(), 11, false};
    // One long stall, then none for a long way: the first offset is where
    // the reader's bytes stop for ~2 s.
    proxy.add(fault("stall", Direction::downstream, {{"window", "3s"}, {"every", "20000"}}));
    Client c;
    EXPECT_EQ(c.connect(proxy.port()), 0);
    const std::string data = pattern(0, 40000);
    for (std::size_t off = 0; off < data.size(); off += piece) c.send_all(std::string_view(data).substr(off, piece));
    // Read until the bytes stop for 300 ms: that is the stall.
    std::size_t got = 0;
    char buf[65536];
    while (true) {
      const long n = c.recv_some(buf, sizeof buf, milliseconds(300));
      if (n <= 0) break;
      got += static_cast<std::size_t>(n);
    }
    return got;
  };
  const auto whole = first_stall_offset(40000), small = first_stall_offset(1000);
  EXPECT_GT(whole, 0u);
  EXPECT_LT(whole, 40000u) << "it stalled within the stream";
  EXPECT_EQ(whole, small) << "the same seed stalls at the same byte, however the reads were split";
}

}  // namespace
}  // namespace firedrill::faults
