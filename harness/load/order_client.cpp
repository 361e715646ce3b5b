#include "load/order_client.hpp"

#include <boost/asio/redirect_error.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/http.hpp>

#include "load/order_source.hpp"

namespace firedrill::load {
namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using history::Wire;

namespace {

Wire wire_of(const beast::error_code& ec) {
  if (ec == beast::error::timeout) return Wire::timeout;
  if (ec == asio::error::connection_reset || ec == asio::error::broken_pipe) return Wire::reset;
  if (ec == asio::error::eof || ec == http::error::end_of_stream || ec == http::error::partial_message)
    return Wire::eof;
  return Wire::bad_response;
}

}  // namespace

OrderClient::OrderClient(ConnectionPool& pool, asio::ip::tcp::endpoint app, const suite::OrderApi& api,
                         std::int64_t timeout_us, const history::Epoch& epoch)
    : pool_(pool), app_(app), api_(api), timeout_us_(timeout_us), epoch_(epoch) {}

asio::awaitable<void> OrderClient::place(history::Operation& op) {
  const std::string id = op.id.str();
  const std::string body = order_body(id);
  bool reused = false;
  history::AttemptEnd end = co_await attempt(op, body, false, reused);
  auto c = history::classify(end, api_.statuses);
  if (history::is_stale_keepalive(end, reused)) {
    op.retried = true;
    op.set_first_byte_us(history::never);
    const auto first = c;
    end = co_await attempt(op, body, true, reused);
    c = history::classify(end, api_.statuses);
    // Zero response bytes cannot prove the server never read the first
    // attempt (it may have died mid-request). Only an accepted retry settles
    // it; anything else leaves the order as indeterminate as the first try.
    if (c.outcome != history::Outcome::ok) {
      c = first;
      end.status = 0;
    }
  }
  op.outcome = c.outcome;
  op.reason = c.reason;
  op.status = static_cast<std::uint16_t>(end.wire == Wire::complete ? end.status : 0);
  op.set_completed_us(epoch_.now_us());
}

asio::awaitable<history::AttemptEnd> OrderClient::attempt(history::Operation& op, const std::string& body, bool fresh,
                                                          bool& reused) {
  auto conn = co_await pool_.acquire(fresh);
  reused = conn->reused;
  op.connection = conn->id;
  auto& stream = conn->stream;
  stream.expires_after(std::chrono::microseconds(timeout_us_));
  beast::error_code ec;
  if (!conn->connected) {
    co_await stream.async_connect(app_, asio::redirect_error(asio::use_awaitable, ec));
    if (ec) {
      pool_.discard(std::move(conn));
      co_return history::AttemptEnd{ec == asio::error::connection_refused ? Wire::connect_refused
                                                                          : Wire::connect_failed};
    }
    conn->connected = true;
    stream.socket().set_option(asio::ip::tcp::no_delay(true), ec);
  }

  http::request<http::string_body> req{http::verb::post, api_.place_path, 11};
  req.set(http::field::host, "127.0.0.1");
  req.set(http::field::content_type, "application/json");
  req.set(api_.key_header, op.id.str());
  req.body() = body;
  req.prepare_payload();
  op.set_sent_us(epoch_.now_us());
  co_await http::async_write(stream, req, asio::redirect_error(asio::use_awaitable, ec));
  if (ec) {
    pool_.discard(std::move(conn));
    co_return history::AttemptEnd{wire_of(ec)};
  }
  op.set_written_us(epoch_.now_us());

  // Read the first bytes by hand to time the start of the answer, then let
  // the parser finish from the same buffer.
  std::size_t received = co_await stream.async_read_some(conn->buffer.prepare(16 * 1024),
                                                         asio::redirect_error(asio::use_awaitable, ec));
  conn->buffer.commit(received);
  if (ec || received == 0) {
    pool_.discard(std::move(conn));
    co_return history::AttemptEnd{ec ? wire_of(ec) : Wire::eof, 0, 0};
  }
  op.set_first_byte_us(epoch_.now_us());
  http::response_parser<http::string_body> parser;
  parser.body_limit(1024 * 1024);
  co_await http::async_read(stream, conn->buffer, parser, asio::redirect_error(asio::use_awaitable, ec));
  if (ec) {
    pool_.discard(std::move(conn));
    co_return history::AttemptEnd{wire_of(ec), 0, received};
  }
  const auto& res = parser.get();
  history::AttemptEnd end{Wire::complete, static_cast<int>(res.result_int()), received};
  if (res.keep_alive()) {
    pool_.release(std::move(conn));
  } else {
    pool_.discard(std::move(conn));
  }
  co_return end;
}

}  // namespace firedrill::load
