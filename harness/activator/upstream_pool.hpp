// The activator's keep-alive connections to the app, as an ingress keeps
// its upstream pool: a connection goes back after a complete answer the
// app did not close, and the idle ones are closed when the pod is taken
// out of rotation (scale-down), as a proxy does for a removed endpoint.
#pragma once
#include <chrono>
#include <cstdint>
#include <string>
#include <memory>
#include <vector>

#include <boost/asio/awaitable.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>

namespace firedrill::activator {

// One connection to the app with its read and write buffers, kept
// together so a reused connection does not allocate them per request.
struct Upstream {
  explicit Upstream(boost::asio::any_io_executor ex) : stream(std::move(ex)) {}
  boost::beast::tcp_stream stream;
  boost::beast::flat_buffer buffer;
  std::string wire;  // the request being forwarded, as its bytes
  std::chrono::steady_clock::time_point idle_since;  // when it came back to the pool
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

 private:
  boost::asio::any_io_executor ex_;
  boost::asio::ip::tcp::endpoint app_;
  std::int64_t connect_timeout_us_;
  std::vector<Stream> idle_;  // most recently returned last: taken first, as haproxy's "safe" reuse
};

}  // namespace firedrill::activator
