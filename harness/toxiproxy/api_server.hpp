// The Toxiproxy API over HTTP/1.1 on loopback: keep-alive, a bound on
// every wait (Toxiproxy's 15 s read and 60 s idle), a 1 MiB bound on a
// request's body, and each request handed to route() on the io thread.
#pragma once
#include <functional>
#include <list>
#include <memory>

#include <boost/asio/awaitable.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core/tcp_stream.hpp>

#include "toxiproxy/routes.hpp"

namespace firedrill::toxiproxy {

class ApiServer {
 public:
  // Binds `at` at once (throws on failure) and serves on `io` until
  // close(); `at` must be a loopback address.
  ApiServer(boost::asio::io_context& io, boost::asio::ip::tcp::endpoint at, std::function<Reply(const Request&)> handle);
  ~ApiServer();
  ApiServer(const ApiServer&) = delete;
  ApiServer& operator=(const ApiServer&) = delete;

  int port() const { return port_; }
  // On the io thread: stops accepting and ends every session.
  void close();

 private:
  boost::asio::awaitable<void> accept_loop();
  boost::asio::awaitable<void> session(std::shared_ptr<boost::beast::tcp_stream> stream);

  boost::asio::ip::tcp::acceptor acceptor_;
  std::function<Reply(const Request&)> handle_;
  int port_ = 0;
  std::list<std::weak_ptr<boost::beast::tcp_stream>> sessions_;
};

}  // namespace firedrill::toxiproxy
