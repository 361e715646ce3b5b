#include "probes/probe_client.hpp"

#include <boost/asio/redirect_error.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/http.hpp>
#include <fmt/format.h>

namespace firedrill::probes {
namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;

ProbeClient::ProbeClient(asio::any_io_executor ex, asio::ip::tcp::endpoint target, std::int64_t timeout_us,
                         bool keep_alive)
    : stream_(std::move(ex)), target_(target), timeout_us_(timeout_us), keep_alive_(keep_alive) {}

asio::awaitable<std::optional<int>> ProbeClient::get(std::string path) {
  beast::error_code ec;
  stream_.expires_after(std::chrono::microseconds(timeout_us_));
  if (!connected_) {
    stream_.socket().close(ec);
    buffer_.clear();
    co_await stream_.async_connect(target_, asio::redirect_error(asio::use_awaitable, ec));
    if (ec) {
      last_failure_ = ec == beast::error::timeout ? fmt::format("no connection within {}ms", timeout_us_ / 1000)
                                                  : fmt::format("connect: {}", ec.message());
      co_return std::nullopt;
    }
    connected_ = true;
  }
  http::request<http::empty_body> req{http::verb::get, path, 11};
  req.set(http::field::host, "127.0.0.1");
  req.keep_alive(keep_alive_);
  co_await http::async_write(stream_, req, asio::redirect_error(asio::use_awaitable, ec));
  http::response_parser<http::string_body> parser;
  parser.body_limit(1024 * 1024);
  if (!ec) co_await http::async_read(stream_, buffer_, parser, asio::redirect_error(asio::use_awaitable, ec));
  const beast::error_code read_ec = ec;
  if (ec || !keep_alive_ || !parser.get().keep_alive()) {
    connected_ = false;
    stream_.socket().close(ec);
  }
  ec = read_ec;
  if (!parser.is_done()) {
    last_failure_ = ec == beast::error::timeout ? fmt::format("no complete answer within {}ms", timeout_us_ / 1000)
                    : ec.category() == http::make_error_code(http::error::bad_version).category()
                        ? fmt::format("not an HTTP response ({})", ec.message())
                        : fmt::format("no complete answer ({})", ec.message());
    co_return std::nullopt;
  }
  const int status = static_cast<int>(parser.get().result_int());
  last_failure_ = status == 200 ? "" : fmt::format("answered {}", status);
  co_return status;
}

}  // namespace firedrill::probes
