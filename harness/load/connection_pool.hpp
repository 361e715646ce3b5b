// The load generator's keep-alive connections to the app, bounded: at most
// `max` open at once; an order that finds none idle and the bound reached
// waits for one (its latency still counts from its intended send time).
#pragma once
#include <cstdint>
#include <deque>
#include <memory>
#include <vector>

#include <boost/asio/awaitable.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>

namespace firedrill::load {

struct Connection {
  explicit Connection(boost::asio::any_io_executor ex, std::uint32_t id) : stream(ex), id(id) {}
  boost::beast::tcp_stream stream;
  boost::beast::flat_buffer buffer;
  std::uint32_t id;
  bool connected = false;
  bool reused = false;  // it already carried a request
};

class ConnectionPool {
 public:
  ConnectionPool(boost::asio::any_io_executor ex, int max_open);
  // An idle connection (reused) or a new unconnected one; `fresh` skips the
  // idle ones (the stale keep-alive retry needs a new connection).
  boost::asio::awaitable<std::unique_ptr<Connection>> acquire(bool fresh);
  void release(std::unique_ptr<Connection> c);  // back to idle (keep-alive)
  void discard(std::unique_ptr<Connection> c);  // closed; frees its slot
  void close_idle();
  int open() const { return open_; }

 private:
  void wake_one();

  boost::asio::any_io_executor ex_;
  int max_open_;
  int open_ = 0;
  std::uint32_t next_id_ = 1;
  std::vector<std::unique_ptr<Connection>> idle_;
  std::deque<std::shared_ptr<boost::asio::steady_timer>> waiters_;
};

}  // namespace firedrill::load
