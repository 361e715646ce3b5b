// Invalid configuration has its own suite (Envoy's habit): every message
// names the fault, the parameter and what was expected.
#include <gtest/gtest.h>
#include <sched.h>

#include <algorithm>
#include <thread>

#include "cli/proxy_options.hpp"
#include "faults/fault_proxy.hpp"
#include "faults/proxy_flags.hpp"
#include "support.hpp"

namespace firedrill::faults {
namespace {

FaultSpec spec(std::string type, std::map<std::string, std::string> params = {}) {
  FaultSpec s;
  s.type = std::move(type);
  s.params = std::move(params);
  return s;
}

TEST(FaultValidate, EveryFaultIsListedByName) {
  auto names = fault_names();
  for (auto n : {"latency", "bandwidth", "reset", "blackhole", "refuse", "slow-close", "cut", "slicer",
                 "http-status", "http-delay", "fail-first"})
    EXPECT_NE(std::find(names.begin(), names.end(), n), names.end()) << n;
}

TEST(FaultValidate, GoodSpecsPass) {
  EXPECT_EQ(validate(spec("latency", {{"latency", "200ms"}, {"jitter", "20ms"}})), std::nullopt);
  EXPECT_EQ(validate(spec("bandwidth", {{"rate", "100"}})), std::nullopt);
  EXPECT_EQ(validate(spec("reset")), std::nullopt);
  EXPECT_EQ(validate(spec("cut", {{"bytes", "1000"}})), std::nullopt);
  EXPECT_EQ(validate(spec("slicer", {{"size", "10"}, {"delay", "1ms"}})), std::nullopt);
  EXPECT_EQ(validate(spec("slicer", {{"size", "10"}, {"variation", "4"}, {"delay", "1ms"}})), std::nullopt);
  EXPECT_EQ(validate(spec("blackhole", {{"close-after", "2s"}})), std::nullopt);
  EXPECT_EQ(validate(spec("blackhole", {{"close-on-removal", "true"}})), std::nullopt);
  EXPECT_EQ(validate(spec("reset", {{"after", "100ms"}})), std::nullopt);
  EXPECT_EQ(validate(spec("http-status", {{"status", "429"}})), std::nullopt);
  EXPECT_EQ(validate(spec("fail-first", {{"count", "3"}, {"status", "503"}})), std::nullopt);
}

TEST(FaultValidate, UnknownFaultListsTheValidOnes) {
  auto err = validate(spec("latncy"));
  ASSERT_TRUE(err);
  EXPECT_NE(err->find("unknown fault 'latncy'"), std::string::npos) << *err;
  EXPECT_NE(err->find("latency"), std::string::npos) << *err;
  EXPECT_NE(err->find("fail-first"), std::string::npos) << *err;
}

TEST(FaultValidate, BadDurationNamesParameterAndExpectation) {
  auto err = validate(spec("latency", {{"latency", "soon"}}));
  ASSERT_TRUE(err);
  EXPECT_NE(err->find("latency"), std::string::npos) << *err;
  EXPECT_NE(err->find("expected a duration such as 200ms"), std::string::npos) << *err;
  EXPECT_NE(err->find("soon"), std::string::npos) << *err;
}

TEST(FaultValidate, MissingAndUnknownParametersAreErrors) {
  auto missing = validate(spec("latency"));
  ASSERT_TRUE(missing);
  EXPECT_NE(missing->find("missing parameter 'latency'"), std::string::npos) << *missing;
  auto unknown = validate(spec("latency", {{"latency", "1ms"}, {"jiter", "1ms"}}));
  ASSERT_TRUE(unknown);
  EXPECT_NE(unknown->find("unknown parameter 'jiter'"), std::string::npos) << *unknown;
  EXPECT_NE(unknown->find("jitter"), std::string::npos) << *unknown;
  auto status = validate(spec("http-status", {{"status", "700"}}));
  ASSERT_TRUE(status);
  EXPECT_NE(status->find("'status' expected a whole number from 100 to 599"), std::string::npos) << *status;
  EXPECT_TRUE(validate(spec("bandwidth", {{"rate", "-1"}})));
  EXPECT_TRUE(validate(spec("cut", {{"bytes", "12x"}})));
  EXPECT_TRUE(validate(spec("slicer", {{"variation", "-1"}})));
  EXPECT_TRUE(validate(spec("blackhole", {{"close-after", "-1s"}})));
  EXPECT_TRUE(validate(spec("blackhole", {{"close-on-removal", "yes"}})));
  EXPECT_TRUE(validate(spec("reset", {{"after", "later"}})));
}

TEST(FaultValidate, ProbabilityOutsideZeroToOneIsAnError) {
  auto s = spec("reset");
  s.probability = 1.5;
  auto err = validate(s);
  ASSERT_TRUE(err);
  EXPECT_NE(err->find("probability"), std::string::npos);
}

TEST(FaultValidate, HttpFaultsActOnRequestsNotOnAnswers) {
  auto s = spec("http-status");
  s.direction = Direction::downstream;
  auto err = validate(s);
  ASSERT_TRUE(err);
  EXPECT_NE(err->find("direction"), std::string::npos) << *err;
}

TEST(FaultFlag, ParsesTypeDirectionProbabilityAndParams) {
  auto r = parse_fault_flag("latency:downstream:0.25:latency=200ms,jitter=10ms");
  ASSERT_TRUE(std::holds_alternative<FaultSpec>(r)) << std::get<std::string>(r);
  const auto& s = std::get<FaultSpec>(r);
  EXPECT_EQ(s.type, "latency");
  EXPECT_EQ(s.direction, Direction::downstream);
  EXPECT_DOUBLE_EQ(s.probability, 0.25);
  EXPECT_EQ(s.params.at("latency"), "200ms");
  EXPECT_EQ(s.params.at("jitter"), "10ms");

  auto bare = parse_fault_flag("refuse");
  ASSERT_TRUE(std::holds_alternative<FaultSpec>(bare));
  EXPECT_EQ(std::get<FaultSpec>(bare).direction, Direction::both);
  EXPECT_DOUBLE_EQ(std::get<FaultSpec>(bare).probability, 1.0);
  EXPECT_TRUE(std::holds_alternative<FaultSpec>(parse_fault_flag("http-status::0.5:status=429")));
}

TEST(FaultFlag, BadFlagsSayWhatWasExpected) {
  auto dir = parse_fault_flag("reset:sideways");
  ASSERT_TRUE(std::holds_alternative<std::string>(dir));
  EXPECT_NE(std::get<std::string>(dir).find("upstream, downstream or both"), std::string::npos);
  EXPECT_TRUE(std::holds_alternative<std::string>(parse_fault_flag("reset:both:2")));
  EXPECT_TRUE(std::holds_alternative<std::string>(parse_fault_flag("latency:both:1:latency")));
  EXPECT_TRUE(std::holds_alternative<std::string>(parse_fault_flag("latency:both:1:latency=fast")));
}

TEST(FaultFlag, UpstreamMustBeLoopback) {
  EXPECT_TRUE(std::holds_alternative<boost::asio::ip::tcp::endpoint>(parse_loopback_endpoint("127.0.0.1:80")));
  EXPECT_TRUE(std::holds_alternative<boost::asio::ip::tcp::endpoint>(parse_loopback_endpoint("localhost:80")));
  EXPECT_TRUE(std::holds_alternative<std::string>(parse_loopback_endpoint("10.0.0.1:80")));
  EXPECT_TRUE(std::holds_alternative<std::string>(parse_loopback_endpoint("127.0.0.1")));
  // The flags of `firedrill proxy` (cli/proxy_options), as bench/proxy and a user give them.
  cli::ProxyArgs o;
  ASSERT_EQ(cli::parse_proxy_args({"--listen", "0", "--upstream", "127.0.0.1:9", "--seed", "7", "--fault", "reset::0.5"}, o),
            "");
  EXPECT_EQ(o.seed, 7u);
  EXPECT_EQ(o.faults.size(), 1u);
  cli::ProxyArgs missing;
  EXPECT_NE(cli::parse_proxy_args({"--listen", "0"}, missing).find("--upstream"), std::string::npos);
}

TEST(FaultFlag, ThreadsAreACountAndZeroMeansOnePerCore) {
  cli::ProxyArgs o;
  ASSERT_EQ(cli::parse_proxy_args({"--upstream", "127.0.0.1:9", "--threads", "3"}, o), "");
  EXPECT_EQ(proxy_threads(o.threads), 3);
  EXPECT_GE(proxy_threads(0), 1);
  for (const char* bad : {"-1", "many", "257", ""}) {
    cli::ProxyArgs e;
    const auto why = cli::parse_proxy_args({"--upstream", "127.0.0.1:9", "--threads", bad}, e);
    EXPECT_NE(why.find("--threads"), std::string::npos) << bad << ": " << why;
  }
}

// "One per core" counts the cores the process may run on: a proxy under
// taskset or a cpuset must not start a loop per machine core that would
// only take turns on the allowed one.
TEST(FaultFlag, ZeroThreadsFollowsTheCpuAffinity) {
  cpu_set_t all;
  ASSERT_EQ(sched_getaffinity(0, sizeof all, &all), 0);
  int got = 0;
  std::thread pinned([&] {
    cpu_set_t one;
    CPU_ZERO(&one);
    for (int c = 0; c < CPU_SETSIZE; ++c)
      if (CPU_ISSET(c, &all)) {
        CPU_SET(c, &one);
        break;
      }
    if (sched_setaffinity(0, sizeof one, &one) == 0) got = proxy_threads(0);  // 0: this thread
  });
  pinned.join();
  EXPECT_EQ(got, 1);
  EXPECT_EQ(proxy_threads(0), std::min(CPU_COUNT(&all), 256));
}

TEST(FaultProxyApi, AddRejectsBadSpecsAndHttpFaultsOnTcpProxies) {
  test::IoThread io;
  FaultProxy proxy(io.io, {boost::asio::ip::address_v4::loopback(), 9}, 1, false);
  EXPECT_THROW(proxy.add(spec("latency", {{"latency", "x"}})), std::invalid_argument);
  EXPECT_THROW(proxy.add(spec("http-status")), std::invalid_argument);
  EXPECT_NO_THROW(proxy.remove(proxy.add(spec("latency", {{"latency", "1ms"}}))));
  proxy.remove(12345);  // unknown ids are ignored
}

}  // namespace
}  // namespace firedrill::faults
