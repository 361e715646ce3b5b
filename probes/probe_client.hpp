// A small HTTP GET client for probes: one connection, reconnects when the
// server closes it, a timeout on every exchange. Returns the status, or
// nullopt when no complete answer came (refused, reset, timeout, garbage).
#pragma once
#include <optional>
#include <string>

#include <boost/asio/awaitable.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>

namespace firedrill::probes {

class ProbeClient {
 public:
  // keep_alive = false opens a new connection per request: the readiness
  // probe must notice a closed listener at once, as a kubelet would.
  ProbeClient(boost::asio::any_io_executor ex, boost::asio::ip::tcp::endpoint target, std::int64_t timeout_us,
              bool keep_alive);
  boost::asio::awaitable<std::optional<int>> get(std::string path);
  // Why the last get() had no 200, in words for evidence: "connection
  // refused", "no answer within 500ms", "not an HTTP response (...)",
  // "answered 503". Empty after a 200.
  const std::string& last_failure() const { return last_failure_; }

 private:
  std::string last_failure_;
  boost::beast::tcp_stream stream_;
  boost::beast::flat_buffer buffer_;
  boost::asio::ip::tcp::endpoint target_;
  std::int64_t timeout_us_;
  bool keep_alive_;
  bool connected_ = false;
};

}  // namespace firedrill::probes
