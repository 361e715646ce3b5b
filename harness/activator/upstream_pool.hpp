// The activator's keep-alive connections to the app, as an ingress keeps
// its upstream pool: a connection goes back after a complete answer the
// app did not close, and the idle ones are closed when the pod is taken
// out of rotation (scale-down), as a proxy does for a removed endpoint.
#pragma once
#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include <boost/asio/awaitable.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/beast/core/flat_buffer.hpp>

namespace firedrill::activator {

// One connection to the app with its read and write buffers, kept
// together so a reused connection does not allocate them per request.
struct Upstream {
  explicit Upstream(boost::asio::any_io_executor ex) : stream(std::move(ex)) {}
  // A plain socket: the pool's sweep bounds the connect and each request,
  // so none of beast::tcp_stream's per-operation timer and executor work.
  boost::asio::ip::tcp::socket stream;
  boost::beast::flat_buffer buffer;
  std::string wire;  // the request being forwarded, as its bytes
  std::chrono::steady_clock::time_point idle_since;  // when it came back to the pool
  // While a request is on it: when it is given up (UpstreamPool::sweep),
  // and its place among the busy ones.
  std::chrono::steady_clock::time_point deadline;
  std::size_t busy_index = 0;
};

class UpstreamPool {
 public:
  using Stream = std::unique_ptr<Upstream>;
  UpstreamPool(boost::asio::any_io_executor ex, boost::asio::ip::tcp::endpoint app, std::int64_t connect_timeout_us)
      : ex_(std::move(ex)), app_(app), connect_timeout_us_(connect_timeout_us) {}

  // An idle connection the app has not closed, or nullptr: connect() one.
  Stream take();
  // A new connection, or nullptr with `ec` set (refused, timed out).
  boost::asio::awaitable<Stream> connect(boost::system::error_code& ec);
  void give_back(Stream s);
  void close_idle();
  std::size_t idle() const { return idle_.size(); }

  // A request is on `u` until `timeout` from now: past that, sweep() closes
  // it, which ends the request's write or read with an error. One timer for
  // all the connections, not one per request (a timer per request was a
  // tenth of the activator's own time on a warm pod).
  void busy(Upstream& u, std::chrono::microseconds timeout);
  void done(Upstream& u);
  // Closes busy connections past their deadline every `tick`, until
  // stop_sweeping() was called and no connection is busy.
  boost::asio::awaitable<void> sweep(std::chrono::milliseconds tick);
  void stop_sweeping();

 private:
  boost::asio::any_io_executor ex_;
  boost::asio::ip::tcp::endpoint app_;
  std::int64_t connect_timeout_us_;
  std::vector<Stream> idle_;  // most recently returned last: taken first, as haproxy's "safe" reuse
  std::vector<Upstream*> busy_;  // each knows its index: done() is a swap and a pop
  bool stopping_ = false;
  std::unique_ptr<boost::asio::steady_timer> sweep_timer_;
};

}  // namespace firedrill::activator
