// The order client's record of a stale keep-alive retry (SPEC §4): the
// retry goes out on a fresh connection, and the record keeps the first
// attempt's send and write times, since that is when the order reached the
// app; a retry that is not accepted leaves the first attempt's outcome and
// end time. Soak round 19 found the opposite: a request written before a SIGTERM
// and cut by the app was recorded with its retry's times, after the signal,
// and in-flight-completed passed an app that cuts in-flight requests.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <thread>

#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include "history/clock.hpp"
#include "load/connection_pool.hpp"
#include "load/order_client.hpp"

namespace firedrill::load {
namespace {
namespace asio = boost::asio;
namespace http = boost::beast::http;
using asio::ip::tcp;

// Blocking, one connection at a time. The first connection answers its
// first request, then reads the second and holds it for `hold` before
// closing without a byte (an app stopping mid-request). Every later
// connection reads its request and holds it for `retry_hold` before
// closing the same way (an app on its way out).
class CuttingServer {
 public:
  CuttingServer(std::chrono::milliseconds hold, std::chrono::milliseconds retry_hold)
      : hold_(hold), retry_hold_(retry_hold) {
    acceptor_.open(tcp::v4());
    acceptor_.bind({asio::ip::address_v4::loopback(), 0});
    acceptor_.listen();
    thread_ = std::thread([this] { serve(); });
  }
  ~CuttingServer() {
    stop_ = true;
    boost::system::error_code ec;
    // Wake a blocked accept with one last connection.
    tcp::socket poke(io_);
    poke.connect(acceptor_.local_endpoint(), ec);
    thread_.join();
  }
  tcp::endpoint endpoint() const { return acceptor_.local_endpoint(); }
  int requests() const { return requests_; }

 private:
  void serve() {
    for (int n = 0; !stop_; ++n) {
      boost::system::error_code ec;
      tcp::socket s(io_);
      acceptor_.accept(s, ec);
      if (ec || stop_) return;
      boost::beast::flat_buffer buf;
      http::request<http::string_body> req;
      http::read(s, buf, req, ec);
      if (ec) continue;
      ++requests_;
      if (n == 0) {
        http::response<http::string_body> res{http::status::created, 11};
        res.body() = "{}";
        res.prepare_payload();
        http::write(s, res, ec);
        http::request<http::string_body> second;
        http::read(s, buf, second, ec);
        if (ec) continue;
        ++requests_;
        std::this_thread::sleep_for(hold_);
      } else {
        std::this_thread::sleep_for(retry_hold_);
      }
      s.close(ec);  // no answer: the client sees EOF with zero response bytes
    }
  }

  std::chrono::milliseconds hold_, retry_hold_;
  asio::io_context io_;
  tcp::acceptor acceptor_{io_};
  std::thread thread_;
  std::atomic<bool> stop_{false};
  std::atomic<int> requests_{0};
};

void place(asio::io_context& io, OrderClient& client, history::Operation& op, const history::Epoch& epoch) {
  op.set_intended_us(epoch.now_us());
  bool done = false;
  asio::co_spawn(io, client.place(op), [&](std::exception_ptr) { done = true; });
  io.restart();
  while (!done && io.run_one()) {
  }
  ASSERT_TRUE(done);
}

TEST(OrderClient, ARetryThatFailsKeepsTheFirstAttemptsTimes) {
  constexpr std::int64_t hold_us = 200'000, retry_hold_us = 1'500'000;
  CuttingServer server(std::chrono::milliseconds(hold_us / 1000), std::chrono::milliseconds(retry_hold_us / 1000));
  asio::io_context io;
  const history::Epoch epoch;
  const suite::OrderApi api;
  ConnectionPool pool(io.get_executor(), 4);
  OrderClient client(pool, server.endpoint(), api, 30'000'000, epoch);

  history::Operation first, cut;
  first.id = "order-1";
  cut.id = "order-2";
  place(io, client, first, epoch);
  ASSERT_EQ(first.outcome, history::Outcome::ok);
  place(io, client, cut, epoch);

  // The second order went out on the kept-alive connection, was held and
  // cut, and its retry on a fresh connection was cut too.
  EXPECT_TRUE(cut.retried);
  EXPECT_EQ(server.requests(), 3);
  EXPECT_EQ(cut.outcome, history::Outcome::info);
  EXPECT_EQ(cut.reason, history::Reason::eof);
  ASSERT_NE(cut.written_us(), history::never);
  EXPECT_LE(cut.sent_us(), cut.written_us());
  // The server held the first attempt for hold_us after reading it, and
  // it could only read it once written; the retry went out after that.
  // So only the first attempt's write lies hold_us or more before the end.
  EXPECT_LE(cut.written_us() + hold_us, cut.completed_us())
      << "the record carries the retry's write time, not the first attempt's";
  // The retry was held retry_hold_us more before its cut: a record that
  // ends within that much of the first write ends with the first attempt.
  EXPECT_LT(cut.completed_us(), cut.written_us() + hold_us + retry_hold_us - 500'000)
      << "the record ends with the failed retry, not with the attempt whose outcome it carries";
}

}  // namespace
}  // namespace firedrill::load
