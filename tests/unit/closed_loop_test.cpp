// The load generator run on its own (firedrill load): the closed loop places
// exactly the orders it was given, each once, under its seeded id, and
// records each in full; the open model sends its whole schedule. Against a
// small in-process server on loopback; nothing here asserts on timing.
#include <gtest/gtest.h>

#include <map>
#include <mutex>
#include <set>
#include <sstream>
#include <thread>

#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include "load/load_run.hpp"
#include "load/order_source.hpp"

namespace firedrill::load {
namespace {
namespace asio = boost::asio;
namespace http = boost::beast::http;
using asio::ip::tcp;

// Answers every request with `status`, after `delay`; remembers each
// idempotency key, the id in its body, and how many requests came over
// each connection.
class Server {
 public:
  explicit Server(unsigned status, std::chrono::milliseconds delay = {}) : status_(status), delay_(delay) {
    acceptor_.open(tcp::v4());
    acceptor_.bind({asio::ip::address_v4::loopback(), 0});
    acceptor_.listen();
    asio::co_spawn(io_, accept(), asio::detached);
    thread_ = std::thread([this] { io_.run(); });
  }
  ~Server() {
    io_.stop();
    thread_.join();
  }
  tcp::endpoint endpoint() const { return acceptor_.local_endpoint(); }
  std::map<std::string, int> keys() {
    std::lock_guard lock(mutex_);
    return keys_;
  }
  std::vector<std::string> body_mismatches() {
    std::lock_guard lock(mutex_);
    return mismatches_;
  }

 private:
  asio::awaitable<void> accept() {
    while (true) {
      auto s = co_await acceptor_.async_accept(asio::use_awaitable);
      asio::co_spawn(io_, session(std::move(s)), asio::detached);
    }
  }
  asio::awaitable<void> session(tcp::socket s) {
    boost::beast::flat_buffer buf;
    try {
      while (true) {
        http::request<http::string_body> req;
        co_await http::async_read(s, buf, req, asio::use_awaitable);
        const std::string key(req["Idempotency-Key"]);
        {
          std::lock_guard lock(mutex_);
          ++keys_[key];
          if (req.body().find("\"id\":\"" + key + "\"") == std::string::npos) mismatches_.push_back(key);
        }
        if (delay_.count() > 0) {
          asio::steady_timer t(s.get_executor(), delay_);
          co_await t.async_wait(asio::use_awaitable);
        }
        http::response<http::string_body> res{static_cast<http::status>(status_), 11};
        res.body() = "{}";
        res.prepare_payload();
        co_await http::async_write(s, res, asio::use_awaitable);
      }
    } catch (const std::exception&) {
    }
  }

  unsigned status_;
  std::chrono::milliseconds delay_;
  asio::io_context io_;
  tcp::acceptor acceptor_{io_};
  std::thread thread_;
  std::mutex mutex_;
  std::map<std::string, int> keys_;
  std::vector<std::string> mismatches_;
};

LoadSettings closed(const Server& server, int connections, int threads, std::uint64_t orders) {
  LoadSettings s;
  s.target = server.endpoint();
  s.closed_loop = true;
  s.connections = connections;
  s.threads = threads;
  s.duration_us = 60'000'000;  // the order budget ends the run long before
  s.max_orders = orders;
  s.seed = 11;
  return s;
}

void expect_complete_records(const LoadRun& run, int connections) {
  for (const auto& op : run.operations) {
    ASSERT_NE(op.intended_us(), history::never);
    EXPECT_LE(op.intended_us(), op.sent_us()) << op.id;
    EXPECT_LE(op.sent_us(), op.written_us()) << op.id;
    EXPECT_LE(op.written_us(), op.first_byte_us()) << op.id;
    EXPECT_LE(op.first_byte_us(), op.completed_us()) << op.id;
    EXPECT_GE(op.connection, 1u);
    EXPECT_LE(op.connection, static_cast<std::uint32_t>(connections));
  }
}

TEST(ClosedLoop, PlacesExactlyTheBudgetEachOrderOnceUnderItsSeededId) {
  Server server(201);
  const auto run = run_load(closed(server, 8, 1, 500));
  ASSERT_EQ(run.operations.size(), 500u);
  const OrderSource source(11, 0);
  std::set<std::string> expected, recorded;
  for (std::uint32_t i = 0; i < 500; ++i) expected.insert(source.id(i).str());
  for (const auto& op : run.operations) {
    recorded.insert(op.id.str());
    EXPECT_EQ(op.outcome, history::Outcome::ok) << op.id;
    EXPECT_EQ(op.reason, history::Reason::accepted);
    EXPECT_EQ(op.status, 201);
    EXPECT_FALSE(op.retried);
  }
  EXPECT_EQ(recorded, expected);
  expect_complete_records(run, 8);
  const auto keys = server.keys();
  EXPECT_EQ(keys.size(), 500u);
  for (const auto& [key, n] : keys) EXPECT_EQ(n, 1) << key;
  EXPECT_TRUE(server.body_mismatches().empty());
}

TEST(ClosedLoop, ConnectionsAreReusedBackToBack) {
  Server server(201);
  const auto run = run_load(closed(server, 4, 1, 200));
  std::set<std::uint32_t> used;
  for (const auto& op : run.operations) used.insert(op.connection);
  EXPECT_LE(used.size(), 4u) << "no connection beyond the four";
}

TEST(ClosedLoop, ThreadsShareOneBudgetAndNeverRepeatAnId) {
  Server server(201);
  const auto run = run_load(closed(server, 6, 3, 900));
  ASSERT_EQ(run.operations.size(), 900u);
  std::set<std::string> ids;
  for (const auto& op : run.operations) ids.insert(op.id.str());
  EXPECT_EQ(ids.size(), 900u);
  EXPECT_EQ(server.keys().size(), 900u);
  // Each thread numbers its own connections: 2 per thread here.
  expect_complete_records(run, 2);
}

TEST(ClosedLoop, RefusalsAreRecordedAsFail) {
  Server server(503);
  const auto run = run_load(closed(server, 2, 1, 50));
  ASSERT_EQ(run.operations.size(), 50u);
  for (const auto& op : run.operations) {
    EXPECT_EQ(op.outcome, history::Outcome::fail);
    EXPECT_EQ(op.reason, history::Reason::refused_status);
    EXPECT_EQ(op.status, 503);
  }
}

TEST(ClosedLoop, NothingListeningIsConnectionRefusedForEveryOrder) {
  tcp::endpoint dead;
  {
    Server gone(201);
    dead = gone.endpoint();
  }
  LoadSettings s;
  s.target = dead;
  s.closed_loop = true;
  s.connections = 2;
  s.duration_us = 60'000'000;
  s.max_orders = 20;
  const auto run = run_load(s);
  ASSERT_EQ(run.operations.size(), 20u);
  for (const auto& op : run.operations) EXPECT_EQ(op.reason, history::Reason::connect_refused);
}

TEST(OpenModelRun, SendsTheWholeScheduleAtItsIntendedTimes) {
  Server server(202);
  LoadSettings s;
  s.target = server.endpoint();
  s.rate = 2000;
  s.duration_us = 100'000;
  s.connections = 4;
  s.seed = 5;
  const auto run = run_load(s);
  const auto schedule = schedule_orders(5, 0, 2000, run.start_us, 100'000);
  ASSERT_EQ(run.operations.size(), schedule.size());
  for (std::size_t i = 0; i < schedule.size(); ++i) {
    EXPECT_EQ(run.operations[i].id, schedule[i].id);
    EXPECT_EQ(run.operations[i].intended_us(), schedule[i].intended_us());
    EXPECT_EQ(run.operations[i].outcome, history::Outcome::ok);
  }
  expect_complete_records(run, 4);
  EXPECT_EQ(server.keys().size(), schedule.size());
}

TEST(OpenModelRun, LagFromTheConnectionBoundIsCountedAsConnectionWaits) {
  // One connection, answers after 50 ms, an order every 5 ms: every order
  // after the first finds the connection busy and waits for it.
  Server server(201, std::chrono::milliseconds(50));
  LoadSettings s;
  s.target = server.endpoint();
  s.rate = 200;
  s.duration_us = 100'000;
  s.connections = 1;
  const auto run = run_load(s);
  ASSERT_GE(run.operations.size(), 18u);
  EXPECT_GE(run.connection_waits, run.operations.size() - 3) << "orders that waited for the one connection";
  // The lag is the pool's, not the loop's: it launched them on time enough
  // to wait (no bound on launched_late: a loaded machine may delay it too).
  EXPECT_GE(run.operations.back().sent_us() - run.operations.back().intended_us(), 500'000);
}

// What the old Beast-built client sent for an order: the reference for the
// hand-written request.
std::string beast_request(const std::string& id, const suite::OrderApi& api) {
  http::request<http::string_body> req{http::verb::post, api.place_path, 11};
  req.set(http::field::host, "127.0.0.1");
  req.set(http::field::content_type, "application/json");
  req.set(api.key_header, id);
  req.body() = order_body(id);
  req.prepare_payload();
  std::ostringstream out;
  out << req;
  return out.str();
}

TEST(ClosedLoop, SendsByteForByteTheRequestBeastWould) {
  asio::io_context io;
  tcp::acceptor acceptor(io, {asio::ip::address_v4::loopback(), 0});
  std::string raw;
  std::thread server([&] {
    tcp::socket s = acceptor.accept();
    // Read until the header and its Content-Length body are in, then answer.
    char buf[4096];
    while (true) {
      raw.append(buf, s.read_some(asio::buffer(buf)));
      const auto end = raw.find("\r\n\r\n");
      const auto len = raw.find("Content-Length: ");
      if (end != std::string::npos && len != std::string::npos &&
          raw.size() >= end + 4 + std::stoul(raw.substr(len + 16)))
        break;
    }
    asio::write(s, asio::buffer(std::string_view("HTTP/1.1 201 Created\r\nContent-Length: 0\r\n\r\n")));
  });
  LoadSettings s;
  s.target = acceptor.local_endpoint();
  s.api.place_path = "/v2/orders?x=1";
  s.api.key_header = "X-Request-Key";
  s.closed_loop = true;
  s.connections = 1;
  s.max_orders = 1;
  s.seed = 9;
  const auto run = run_load(s);
  server.join();
  ASSERT_EQ(run.operations.size(), 1u);
  EXPECT_EQ(run.operations[0].outcome, history::Outcome::ok);
  EXPECT_EQ(raw, beast_request(OrderSource(9, 0).id(0).str(), s.api));
}

TEST(LoadRun, RefusesSettingsItCannotRun) {
  LoadSettings s;
  s.connections = 1;
  s.threads = 2;
  EXPECT_THROW(run_load(s), std::invalid_argument);
  s.threads = 1;
  s.rate = 0;
  EXPECT_THROW(run_load(s), std::invalid_argument);
}

}  // namespace
}  // namespace firedrill::load
