#include "toxiproxy/api_server.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http.hpp>

namespace firedrill::toxiproxy {
namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;

namespace {
constexpr auto read_timeout = std::chrono::seconds(15);  // Toxiproxy's ReadTimeout
constexpr auto idle_timeout = std::chrono::seconds(60);  // and IdleTimeout
constexpr auto write_timeout = std::chrono::seconds(30);
constexpr std::uint64_t body_limit = 1 << 20;
constexpr auto nothrow = asio::as_tuple(asio::use_awaitable);
}  // namespace

ApiServer::ApiServer(asio::io_context& io, tcp::endpoint at, std::function<Reply(const Request&)> handle)
    : acceptor_(io), handle_(std::move(handle)) {
  acceptor_.open(at.protocol());
  acceptor_.set_option(asio::socket_base::reuse_address(true));
  acceptor_.bind(at);
  acceptor_.listen(asio::socket_base::max_listen_connections);
  port_ = acceptor_.local_endpoint().port();
  asio::co_spawn(io, accept_loop(), asio::detached);
}

ApiServer::~ApiServer() { close(); }

void ApiServer::close() {
  boost::system::error_code ignored;
  acceptor_.close(ignored);
  for (auto& weak : sessions_)
    if (auto s = weak.lock()) s->socket().close(ignored);
  sessions_.clear();
}

asio::awaitable<void> ApiServer::accept_loop() {
  while (acceptor_.is_open()) {
    auto [ec, socket] = co_await acceptor_.async_accept(nothrow);
    // Aborted first: a server destroyed meanwhile must not be touched.
    if (ec == asio::error::operation_aborted || !acceptor_.is_open()) co_return;
    if (ec) continue;
    auto stream = std::make_shared<beast::tcp_stream>(std::move(socket));
    sessions_.remove_if([](const auto& w) { return w.expired(); });
    sessions_.push_back(stream);
    asio::co_spawn(acceptor_.get_executor(), session(std::move(stream)), asio::detached);
  }
}

asio::awaitable<void> ApiServer::session(std::shared_ptr<beast::tcp_stream> stream) {
  beast::flat_buffer buffer;
  for (bool first = true;; first = false) {
    http::request_parser<http::string_body> parser;
    parser.body_limit(body_limit);
    stream->expires_after(first ? read_timeout : idle_timeout);
    auto [ec, n] = co_await http::async_read(*stream, buffer, parser, nothrow);
    Reply reply;
    bool keep_alive = false;
    if (ec == http::error::body_limit) {
      reply = error_reply(bad_request_body("larger than 1 MiB"));
    } else if (ec == http::error::end_of_stream || ec == beast::error::timeout || ec == asio::error::operation_aborted ||
               ec == asio::error::connection_reset || ec == asio::error::eof) {
      co_return;
    } else if (ec) {
      reply = {400, "text/plain; charset=utf-8", "400 Bad Request"};  // as Go's server answers a malformed request
    } else {
      auto& req = parser.get();
      keep_alive = req.keep_alive();
      reply = handle_({std::string(req.method_string()), std::string(req.target()), std::move(req.body()),
                       std::string(req[http::field::user_agent])});
    }
    http::response<http::string_body> res{static_cast<http::status>(reply.status), 11};
    if (!reply.content_type.empty()) res.set(http::field::content_type, reply.content_type);
    if (reply.content_type.starts_with("text/plain")) res.set("X-Content-Type-Options", "nosniff");
    res.body() = std::move(reply.body);
    res.keep_alive(keep_alive);
    res.prepare_payload();
    stream->expires_after(write_timeout);
    auto [wec, wn] = co_await http::async_write(*stream, res, nothrow);
    if (wec || !keep_alive) break;
  }
  boost::system::error_code ignored;
  stream->socket().shutdown(tcp::socket::shutdown_send, ignored);
}

}  // namespace firedrill::toxiproxy
