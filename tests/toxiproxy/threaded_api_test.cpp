// The API's proxies spread over a shared pool of loops (firedrill proxy
// --api with --threads above 1): connections on every loop carry bytes,
// and disabling, updating and deleting a proxy while they live closes them
// on their own loops without a crash or a hang.
#include <future>

#include <boost/asio/post.hpp>
#include <boost/json/parse.hpp>
#include <gtest/gtest.h>

#include "faults/worker_threads.hpp"
#include "on_io.hpp"
#include "support.hpp"
#include "toxiproxy/routes.hpp"

namespace firedrill::toxiproxy::test {
namespace {
using namespace firedrill::faults::test;

class ThreadedApi : public ::testing::Test {
 protected:
  ThreadedApi() {
    on_io([&] { collection = std::make_unique<Collection>(io.io, &pool, CollectionSettings{}, [](const std::string&) {}); });
  }
  ~ThreadedApi() override {
    on_io([&] { collection.reset(); });
    io.stop();  // as the command does: the pool outlives the io loop's work
  }
  template <class F>
  void on_io(F f) {
    test::on_io(io.io, f);
  }
  Reply call(std::string method, std::string target, std::string body = "") {
    Reply r;
    on_io([&] { r = route(*collection, {method, target, body, "test"}); });
    return r;
  }

  IoThread io;  // first: destroyed last
  faults::WorkerThreads pool{2};
  EchoServer echo{io.io};
  std::unique_ptr<Collection> collection;
};

TEST_F(ThreadedApi, ConnectionsOnEveryLoopAreClosedByADisableAndADelete) {
  const std::string up = std::to_string(echo.endpoint().port());
  auto created = call("POST", "/proxies", R"({"name":"p","upstream":"127.0.0.1:)" + up + "\"}");
  ASSERT_EQ(created.status, 201) << created.body;
  const std::string listen(boost::json::parse(created.body).at("listen").as_string());
  const int port = std::stoi(listen.substr(listen.rfind(':') + 1));
  for (int round = 0; round < 3; ++round) {
    std::vector<Client> live(6);  // round robin: two on each of the three loops
    for (auto& c : live) {
      ASSERT_EQ(c.connect(port), 0);
      ASSERT_TRUE(c.send_all("ping"));
      ASSERT_EQ(c.read_up_to(4, milliseconds(5000)), "ping");
    }
    ASSERT_EQ(call("POST", "/proxies/p/toxics", R"({"name":"l","type":"latency","attributes":{"latency":1}})").status, 200);
    ASSERT_EQ(call("PATCH", "/proxies/p/toxics/l", R"({"attributes":{"latency":2}})").status, 200);
    ASSERT_EQ(call("POST", "/proxies/p", R"({"enabled":false})").status, 200);
    for (auto& c : live) {
      long end = 1;
      EXPECT_EQ(c.read_up_to(1, milliseconds(5000), &end), "");
      EXPECT_TRUE(end == 0 || end == -ECONNRESET) << end;
    }
    ASSERT_EQ(call("POST", "/proxies/p", R"({"enabled":true})").status, 200);
    ASSERT_EQ(call("DELETE", "/proxies/p/toxics/l").status, 204);
  }
  std::vector<Client> live(6);
  for (auto& c : live) ASSERT_EQ(c.connect(port), 0);
  EXPECT_EQ(call("DELETE", "/proxies/p").status, 204);
  for (auto& c : live) {
    long end = 1;
    EXPECT_EQ(c.read_up_to(1, milliseconds(5000), &end), "");
    EXPECT_TRUE(end == 0 || end == -ECONNRESET) << end;
  }
}

}  // namespace
}  // namespace firedrill::toxiproxy::test
