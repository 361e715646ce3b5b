// Toxiproxy's "no data dropped" test, bigger: 16 MiB each way through the
// proxy (echo upstream) while faults that must never lose bytes are added
// and removed in a loop from another thread, some removed in the middle of
// a hold (Toxiproxy #159, #558). Every byte is checked in place, so a
// dropped, duplicated or reordered byte fails at its offset.
#include <gtest/gtest.h>

#include <cstdio>
#include <cstring>

#include "faults/fault_proxy.hpp"
#include "support.hpp"

namespace firedrill::faults {
namespace {
using namespace test;

TEST(NoDataDropped, SixteenMiBEachWayWhileFaultsComeAndGo) {
  constexpr std::size_t total = 16u << 20;
  IoThread io;
  EchoServer echo{io.io};
  FaultProxy proxy{io.io, echo.endpoint(), 99, true};
  // Present throughout and never acting: probability 0 must cost nothing.
  proxy.add(fault("http-delay", Direction::both, {{"delay", "1s"}}, 0.0));
  proxy.add(fault("http-status", Direction::both, {{"status", "503"}}, 0.0));

  const std::vector<FaultSpec> flapping = {
      fault("latency", Direction::downstream, {{"latency", "2ms"}, {"jitter", "1ms"}}),
      fault("latency", Direction::upstream, {{"latency", "50ms"}}),  // usually removed mid-hold
      fault("slicer", Direction::both, {{"size", "16384"}, {"delay", "100us"}}),
      fault("bandwidth", Direction::both, {{"rate", "20000"}}),
      fault("slicer", Direction::downstream, {{"size", "1000"}, {"delay", "0us"}}),
      fault("slow-close", Direction::both, {{"delay", "1ms"}}),
  };

  Client c;
  ASSERT_EQ(c.connect(proxy.port()), 0);
  std::atomic<bool> done{false};
  std::atomic<int> flaps{0};
  std::thread flapper([&] {
    auto deadline = Clock::now() + std::chrono::seconds(90);
    for (std::size_t i = 0; !done && Clock::now() < deadline; ++i) {
      auto id = proxy.add(flapping[i % flapping.size()]);
      std::this_thread::sleep_for(std::chrono::microseconds(i % 3 == 0 ? 5000 : 700));
      proxy.remove(id);
      ++flaps;
      std::this_thread::sleep_for(std::chrono::microseconds(200));
    }
  });
  std::thread sender([&] {
    // Paced by the flapper (a piece per half flap) so that faults really
    // come and go during the transfer however the machine schedules us.
    constexpr std::size_t piece = 256 * 1024;
    for (std::size_t off = 0, k = 0; off < total; off += piece, ++k) {
      eventually([&] { return flaps.load() >= static_cast<int>(k / 2) || done.load(); }, milliseconds(10000));
      if (!c.send_all(pattern(off, std::min(piece, total - off)))) return;
    }
  });

  auto t0 = Clock::now();
  std::size_t received = 0;
  std::size_t first_bad = total;
  auto deadline = Clock::now() + std::chrono::seconds(90);
  std::vector<char> buf(256 * 1024);
  while (received < total && Clock::now() < deadline) {
    long n = c.recv_some(buf.data(), buf.size(), milliseconds(10000));
    if (n <= 0) break;
    std::string expect = pattern(received, static_cast<std::size_t>(n));
    if (first_bad == total && std::memcmp(expect.data(), buf.data(), expect.size()) != 0) {
      for (std::size_t i = 0; i < expect.size(); ++i)
        if (expect[i] != buf[i]) {
          first_bad = received + i;
          break;
        }
    }
    received += static_cast<std::size_t>(n);
  }
  done = true;
  c.shutdown_write();
  sender.join();
  flapper.join();

  std::printf("16 MiB each way in %.2f s, %d flaps, %llu fired\n", seconds_since(t0), flaps.load(),
              static_cast<unsigned long long>(proxy.stats().faults_fired));
  EXPECT_EQ(received, total);
  EXPECT_EQ(first_bad, total) << "first wrong byte at offset " << first_bad;
  EXPECT_GE(flaps.load(), 30) << "faults should have come and gone many times during the transfer";
  // Each flap is a new fault id: fired counts the ones that met this
  // connection's bytes while active, i.e. that really acted mid-stream.
  EXPECT_GE(proxy.stats().faults_fired, 5u);
  EXPECT_EQ(proxy.stats().bytes_up, total);
}

}  // namespace
}  // namespace firedrill::faults
