// Test scaffolding for the fault proxy: an io thread, an echo upstream, a
// counting HTTP upstream (all on 127.0.0.1), and a blocking POSIX client
// with a timeout on every call so a broken proxy fails a test instead of
// hanging it. Must never sleep to "let things settle" where it can wait
// for an observable condition instead.
#pragma once
#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>

#include "faults/fault_spec.hpp"

namespace firedrill::faults::test {

using Clock = std::chrono::steady_clock;
using std::chrono::milliseconds;

// The io_context the proxy and the upstreams share, run on one thread
// (as the harness does). Declare it first so it is destroyed last.
struct IoThread {
  boost::asio::io_context io{1};
  boost::asio::executor_work_guard<boost::asio::io_context::executor_type> guard{io.get_executor()};
  std::thread thread{[this] { io.run(); }};
  // A proxy with worker threads is destroyed only once its loop stopped.
  void stop() {
    io.stop();
    if (thread.joinable()) thread.join();
  }
  ~IoThread() { stop(); }
};

// Sends back every byte it receives; closes after the peer closes.
class EchoServer {
 public:
  explicit EchoServer(boost::asio::io_context& io);
  ~EchoServer();
  boost::asio::ip::tcp::endpoint endpoint() const;

  struct State;

 private:
  std::shared_ptr<State> state_;
};

// HTTP/1.1 keep-alive upstream answering 200 "ok" (body echoes the request
// body); records when each request arrived and what it carried.
class HttpUpstream {
 public:
  explicit HttpUpstream(boost::asio::io_context& io);
  ~HttpUpstream();
  boost::asio::ip::tcp::endpoint endpoint() const;
  int requests() const;
  std::vector<Clock::time_point> arrivals() const;
  std::vector<std::string> bodies() const;

  struct State;

 private:
  std::shared_ptr<State> state_;
};

// A blocking client socket with poll-based timeouts.
class Client {
 public:
  Client() = default;
  ~Client();
  Client(Client&& o) noexcept : fd_(std::exchange(o.fd_, -1)), pending_(std::move(o.pending_)) {}
  // 0 on success, else the errno of connect (e.g. ECONNREFUSED).
  int connect(int port);
  bool send_all(std::string_view data);
  // >0 bytes read, 0 EOF, -errno on error, -ETIMEDOUT after `timeout`.
  long recv_some(char* out, std::size_t size, milliseconds timeout);
  // Reads until `n` bytes, EOF, error or timeout; returns what came and sets `end` (0, -errno).
  std::string read_up_to(std::size_t n, milliseconds timeout, long* end = nullptr);
  void shutdown_write();
  int fd() const { return fd_; }

  // One HTTP request on this (keep-alive) connection: returns the status,
  // or -1 if no complete response came within `timeout`.
  int http(std::string_view method, std::string_view path, std::string_view body = {},
           milliseconds timeout = milliseconds(10000));

 private:
  int fd_ = -1;
  std::string pending_;  // bytes read past the last response
};

// Polls `cond` every few ms until true or `timeout`; returns the last value.
bool eventually(const std::function<bool()>& cond, milliseconds timeout);

double seconds_since(Clock::time_point t);

inline FaultSpec fault(std::string type, Direction direction, std::map<std::string, std::string> params = {},
                       double probability = 1.0) {
  return FaultSpec{std::move(type), direction, probability, std::move(params)};
}

// `n` bytes of a pattern that differs at every offset (so a dropped,
// duplicated or reordered byte shows), starting at `offset` of the stream.
std::string pattern(std::size_t offset, std::size_t n);

}  // namespace firedrill::faults::test
