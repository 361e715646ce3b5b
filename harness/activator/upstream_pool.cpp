#include "activator/upstream_pool.hpp"

#include <sys/socket.h>

#include <cerrno>

#include <boost/asio/redirect_error.hpp>
#include <boost/asio/use_awaitable.hpp>

namespace firedrill::activator {
namespace asio = boost::asio;

namespace {
// An idle connection is usable only if the app has neither closed it nor
// sent anything on it since its last answer: a peek that would block.
bool still_open(Upstream& u) {
  auto& s = u.stream;
  char byte;
  const auto n = ::recv(s.socket().native_handle(), &byte, 1, MSG_PEEK | MSG_DONTWAIT);
  return n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK);
}
}  // namespace

// Stale connections are dropped before use, as haproxy checks its idle
// ones: a request is never written to a connection the app already closed.
UpstreamPool::Stream UpstreamPool::take() {
  while (!idle_.empty()) {
    Stream s = std::move(idle_.back());
    idle_.pop_back();
    if (still_open(*s)) return s;
    boost::system::error_code ignored;
    s->stream.socket().close(ignored);
  }
  return nullptr;
}

asio::awaitable<UpstreamPool::Stream> UpstreamPool::connect(boost::system::error_code& ec) {
  auto s = std::make_unique<Upstream>(ex_);
  s->stream.expires_after(std::chrono::microseconds(connect_timeout_us_));
  co_await s->stream.async_connect(app_, asio::redirect_error(asio::use_awaitable, ec));
  if (ec) co_return nullptr;
  s->stream.socket().set_option(asio::ip::tcp::no_delay(true), ec);
  ec = {};
  co_return s;
}

void UpstreamPool::give_back(Stream s) { idle_.push_back(std::move(s)); }

void UpstreamPool::close_idle() {
  boost::system::error_code ignored;
  for (auto& s : idle_) s->stream.socket().close(ignored);
  idle_.clear();
}

}  // namespace firedrill::activator
