#include "activator/upstream_pool.hpp"

#include <boost/asio/redirect_error.hpp>
#include <boost/asio/use_awaitable.hpp>

namespace firedrill::activator {
namespace asio = boost::asio;

UpstreamPool::Stream UpstreamPool::take() {
  if (idle_.empty()) return nullptr;
  Stream s = std::move(idle_.back());
  idle_.pop_back();
  return s;
}

asio::awaitable<UpstreamPool::Stream> UpstreamPool::connect(boost::system::error_code& ec) {
  auto s = std::make_unique<boost::beast::tcp_stream>(ex_);
  s->expires_after(std::chrono::microseconds(connect_timeout_us_));
  co_await s->async_connect(app_, asio::redirect_error(asio::use_awaitable, ec));
  if (ec) co_return nullptr;
  s->socket().set_option(asio::ip::tcp::no_delay(true), ec);
  ec = {};
  co_return s;
}

void UpstreamPool::give_back(Stream s) { idle_.push_back(std::move(s)); }

void UpstreamPool::close_idle() {
  boost::system::error_code ignored;
  for (auto& s : idle_) s->socket().close(ignored);
  idle_.clear();
}

}  // namespace firedrill::activator
