// The load generator's keep-alive connections to the app, bounded: at most
// `max` open at once; an order that finds none idle and the bound reached
// waits for one (its latency still counts from its intended send time).
// It never closes an idle connection by itself, as an ingress's upstream
// pool keeps them (SPEC §3): they stay open until the app closes them or
// the pool is destroyed with the scenario. Closing them when the load ends
// would help a server that waits for its clients to hang up.
#pragma once
#include <cstdint>
#include <deque>
#include <memory>
#include <string>
#include <vector>

#include <boost/asio/awaitable.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/beast/core/flat_buffer.hpp>


namespace firedrill::load {

struct Connection {
  explicit Connection(boost::asio::any_io_executor ex, std::uint32_t id) : socket(ex), id(id) {}
  boost::asio::ip::tcp::socket socket;
  boost::beast::flat_buffer buffer;  // bytes read and not parsed yet
  std::string request;               // holds the request being written (its storage is reused)
  std::size_t request_size = 0;      // ... in its first request_size bytes
  std::uint32_t id;
  bool connected = false;
  bool reused = false;  // it already carried a request
  std::int64_t released_us = 0;  // when it last went back to idle
  // Request timeout without a timer per request: the client's deadline
  // sweep sets timed_out and cancels the socket once `deadline_us` passed.
  std::int64_t deadline_us = 0;
  bool timed_out = false;
  std::size_t busy_index = 0;  // position in the client's list of busy connections
};

class ConnectionPool {
 public:
  ConnectionPool(boost::asio::any_io_executor ex, int max_open);
  // An idle connection has been idle long enough to be worth a poll(2)
  // for a close by the server. A close that lands within this much of the
  // release is no likelier than one that lands between that poll and the
  // send (the race no client can close; the stale keep-alive retry covers
  // both), and a closed loop reuses its connections within microseconds:
  // there the poll was ~5% of the generator's CPU for nothing.
  static constexpr std::int64_t stale_check_after_us = 50;

  // An idle connection (reused) or a new unconnected one; `fresh` skips the
  // idle ones (the stale keep-alive retry needs a new connection). It
  // always checks an idle connection for a close by the server.
  boost::asio::awaitable<std::unique_ptr<Connection>> acquire(bool fresh);
  // The same without waiting: null when acquire would have to wait for a
  // connection to come back (the common case needs no coroutine). now_us,
  // on the clock of release(), says how long an idle one has been idle.
  std::unique_ptr<Connection> try_acquire(bool fresh, std::int64_t now_us);
  void release(std::unique_ptr<Connection> c, std::int64_t now_us);  // back to idle (keep-alive)
  void discard(std::unique_ptr<Connection> c);  // closed; frees its slot
  int open() const { return open_; }
  // How many acquires had to wait for a connection to come back: every
  // connection the bound allows was busy (send lag from the pool bound,
  // not from the generator).
  std::uint64_t waits() const { return waits_; }
  const boost::asio::any_io_executor& executor() const { return ex_; }

 private:
  void wake_one();

  boost::asio::any_io_executor ex_;
  int max_open_;
  int open_ = 0;
  std::uint32_t next_id_ = 1;
  std::uint64_t waits_ = 0;
  std::vector<std::unique_ptr<Connection>> idle_;
  std::deque<std::shared_ptr<boost::asio::steady_timer>> waiters_;
};

}  // namespace firedrill::load
