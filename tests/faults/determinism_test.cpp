// One seed drives every random choice: the same seed replays the same
// decisions, another seed gives others (SPEC §3 "all from one seed so a
// run can be replayed"; Toxiproxy's unused --seed is the anti-example).
#include <gtest/gtest.h>

#include "faults/fault_proxy.hpp"
#include "support.hpp"

namespace firedrill::faults {
namespace {
using namespace test;

std::string decisions(std::uint64_t seed) {
  IoThread io;
  HttpUpstream upstream{io.io};
  FaultProxy proxy{io.io, upstream.endpoint(), seed, true};
  proxy.add(fault("http-status", Direction::upstream, {{"status", "503"}}, 0.5));
  Client c;
  EXPECT_EQ(c.connect(proxy.port()), 0);
  std::string pattern;
  for (int i = 0; i < 200; ++i) {
    int status = c.http("GET", "/charges/" + std::to_string(i));
    pattern += status == 503 ? 'x' : status == 200 ? '.' : '?';
  }
  EXPECT_EQ(std::count(pattern.begin(), pattern.end(), 'x'), static_cast<long>(proxy.stats().faults_fired));
  return pattern;
}

TEST(FaultDeterminism, SameSeedSameDecisionsOtherSeedOthers) {
  std::string a = decisions(7), b = decisions(7), c = decisions(8);
  EXPECT_EQ(a.find('?'), std::string::npos) << a;
  EXPECT_EQ(a, b);
  EXPECT_NE(a, c);
  auto hits = std::count(a.begin(), a.end(), 'x');
  EXPECT_GT(hits, 50);  // p = 0.5 over 200: far from both ends
  EXPECT_LT(hits, 150);
}

TEST(FaultDeterminism, PerConnectionResetReplaysForASeed) {
  auto run = [](std::uint64_t seed) {
    IoThread io;
    EchoServer echo{io.io};
    FaultProxy proxy{io.io, echo.endpoint(), seed, false};
    proxy.add(fault("reset", Direction::upstream, {}, 0.5));
    std::string pattern;
    for (int i = 0; i < 40; ++i) {
      Client c;
      EXPECT_EQ(c.connect(proxy.port()), 0);
      c.send_all("x");
      long end = 1;
      std::string got = c.read_up_to(1, milliseconds(5000), &end);
      pattern += got == "x" ? '.' : end == -ECONNRESET ? 'r' : '?';
    }
    return pattern;
  };
  std::string a = run(3), b = run(3);
  EXPECT_EQ(a.find('?'), std::string::npos) << a;
  EXPECT_EQ(a, b);
  EXPECT_NE(a.find('r'), std::string::npos);
  EXPECT_NE(a.find('.'), std::string::npos);
}

}  // namespace
}  // namespace firedrill::faults
