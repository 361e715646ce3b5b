// Real sockets on 127.0.0.1 for the fuzz targets that drive real socket
// code (the load client, the probe client, the dependency stubs): their
// parsing lives inside coroutines over a tcp_stream, so a fuzzer feeds it
// through a connection rather than through a copy of the logic.
// Everything runs on one io_context per input, on the fuzzer's thread, and
// ends before the next input: no state carries over between inputs.
#pragma once
#include <chrono>
#include <cstdint>
#include <functional>
#include <string>

#include <boost/asio/awaitable.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>

namespace firedrill::fuzz {

// A server whose every connection is sent the same canned bytes at once,
// then half-closed. It reads and drops whatever the client sends until the
// client closes, so its close is a FIN, never a reset that would discard
// the canned bytes before the client read them.
class CannedServer {
 public:
  explicit CannedServer(boost::asio::io_context& io);
  boost::asio::ip::tcp::endpoint endpoint() const { return endpoint_; }
  void answer_with(std::string bytes) { answer_ = std::move(bytes); }
  // Stops accepting; the sessions end when their clients close.
  void close();

 private:
  boost::asio::awaitable<void> accept_loop();
  boost::asio::awaitable<void> session(boost::asio::ip::tcp::socket socket);

  boost::asio::ip::tcp::acceptor acceptor_;
  boost::asio::ip::tcp::endpoint endpoint_;
  std::string answer_;
};

// Runs handlers until `done` holds. A target that stops making progress
// for `limit` is a finding (a hang), reported as a failed check.
void run_until(boost::asio::io_context& io, const std::function<bool()>& done,
               std::chrono::milliseconds limit = std::chrono::seconds(20));

// Runs what is left (closing sockets, ending coroutines) until the
// io_context has no work; more than `limit` of it is a hang.
void drain(boost::asio::io_context& io, std::chrono::milliseconds limit = std::chrono::seconds(20));

// Sends `request` to `to`, half-closes, and returns everything the server
// answered until it closed (or failed, or `limit` bytes came).
std::string exchange(boost::asio::io_context& io, boost::asio::ip::tcp::endpoint to, std::string_view request,
                     std::size_t limit = 4 * 1024 * 1024);

}  // namespace firedrill::fuzz
