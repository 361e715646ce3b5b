// HTTP-level faults on the request path (SPEC §3: answer 5xx/429 with
// probability p, delay a response; fail-first for retry tests), observed
// with a keep-alive client through a real proxy in front of a counting
// HTTP upstream.
#include <gtest/gtest.h>

#include "faults/fault_proxy.hpp"
#include "support.hpp"

namespace firedrill::faults {
namespace {
using namespace test;

struct HttpFaults : ::testing::Test {
  IoThread io;
  HttpUpstream upstream{io.io};
  FaultProxy proxy{io.io, upstream.endpoint(), 42, true};
};

TEST_F(HttpFaults, WithoutFaultsRequestsPass) {
  Client c;
  ASSERT_EQ(c.connect(proxy.port()), 0);
  for (int i = 0; i < 5; ++i) EXPECT_EQ(c.http("POST", "/charges", "{\"n\":" + std::to_string(i) + "}"), 200);
  EXPECT_EQ(upstream.requests(), 5);
}

TEST_F(HttpFaults, StatusAnswersEveryRequestWithoutReachingUpstream) {
  proxy.add(fault("http-status", Direction::upstream, {{"status", "503"}}));
  Client c;
  ASSERT_EQ(c.connect(proxy.port()), 0);
  for (int i = 0; i < 10; ++i) EXPECT_EQ(c.http("POST", "/charges", "{\"order_id\":\"o1\"}"), 503) << i;
  EXPECT_EQ(c.http("GET", "/x"), 503);
  EXPECT_EQ(upstream.requests(), 0);
  EXPECT_EQ(proxy.stats().faults_fired, 11u);
}

TEST_F(HttpFaults, FailFirstFailsExactlyNThenPasses) {
  proxy.add(fault("fail-first", Direction::both, {{"count", "3"}, {"status", "429"}}));
  Client c;
  ASSERT_EQ(c.connect(proxy.port()), 0);
  std::vector<int> got;
  for (int i = 0; i < 6; ++i) got.push_back(c.http("POST", "/charges", "{}"));
  EXPECT_EQ(got, (std::vector<int>{429, 429, 429, 200, 200, 200}));
  EXPECT_EQ(upstream.requests(), 3);
}

TEST_F(HttpFaults, DelayHoldsTheAnswerNotTheRequest) {
  proxy.add(fault("http-delay", Direction::both, {{"delay", "400ms"}}));
  Client c;
  ASSERT_EQ(c.connect(proxy.port()), 0);
  std::string body = "{\"order_id\":\"o-7\",\"amount_cents\":1250}";
  auto sent = Clock::now();
  EXPECT_EQ(c.http("POST", "/charges", body), 200);
  auto answered = Clock::now();
  ASSERT_EQ(upstream.requests(), 1);
  auto arrived = upstream.arrivals().at(0);
  EXPECT_EQ(upstream.bodies().at(0), body);  // forwarded byte for byte
  EXPECT_GE(answered - arrived, milliseconds(350)) << "the answer, not the request, is held";
  EXPECT_LT(arrived - sent, answered - arrived);
}

TEST_F(HttpFaults, AFaultAddedOnALiveKeepAliveConnectionActsOnItsNextRequest) {
  Client c;
  ASSERT_EQ(c.connect(proxy.port()), 0);
  EXPECT_EQ(c.http("GET", "/a"), 200);
  auto id = proxy.add(fault("http-status", Direction::both, {{"status", "503"}}));
  EXPECT_EQ(c.http("GET", "/b"), 503);
  proxy.remove(id);
  EXPECT_EQ(c.http("GET", "/c"), 200);
  EXPECT_EQ(upstream.requests(), 2);
}

TEST_F(HttpFaults, ProbabilityZeroNeverActs) {
  proxy.add(fault("http-status", Direction::both, {{"status", "503"}}, 0.0));
  proxy.add(fault("http-delay", Direction::both, {{"delay", "1s"}}, 0.0));
  proxy.add(fault("fail-first", Direction::both, {{"count", "100"}}, 0.0));
  Client c;
  ASSERT_EQ(c.connect(proxy.port()), 0);
  auto t0 = Clock::now();
  for (int i = 0; i < 50; ++i) ASSERT_EQ(c.http("POST", "/charges", "{}"), 200);
  EXPECT_LT(seconds_since(t0), 0.9);  // a single fired delay would take 1 s
  EXPECT_EQ(upstream.requests(), 50);
  EXPECT_EQ(proxy.stats().faults_fired, 0u);
}

TEST_F(HttpFaults, ConnectionCloseIsHonouredOnAnInjectedAnswer) {
  proxy.add(fault("http-status", Direction::both, {{"status", "503"}}));
  Client c;
  ASSERT_EQ(c.connect(proxy.port()), 0);
  ASSERT_TRUE(c.send_all("GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"));
  long end = 1;
  std::string got = c.read_up_to(4096, milliseconds(5000), &end);
  EXPECT_EQ(got.rfind("HTTP/1.1 503", 0), 0u) << got;
  EXPECT_NE(got.find("Connection: close"), std::string::npos);
  EXPECT_EQ(end, 0);
}

}  // namespace
}  // namespace firedrill::faults
