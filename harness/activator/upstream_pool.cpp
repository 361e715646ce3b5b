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
  const auto n = ::recv(s.native_handle(), &byte, 1, MSG_PEEK | MSG_DONTWAIT);
  return n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK);
}
}  // namespace

// Stale connections are dropped before use, as haproxy checks its idle
// ones: a request is never written to a connection the app already closed.
// A connection idle for less than `fresh` is used without the check (a
// peek is a system call on every request of a busy pool), by the rule the
// load client keeps (README, "Stale keep-alive retry"). An app closes an
// idle keep-alive connection after its idle timeout (seconds) or when it
// goes away; one that closes it within 50 us of answering on it without
// saying "Connection: close" cuts the next request, as it would behind any
// proxy that had not yet seen the close.
UpstreamPool::Stream UpstreamPool::take() {
  constexpr auto fresh = std::chrono::microseconds(50);
  const auto now = std::chrono::steady_clock::now();
  while (!idle_.empty()) {
    Stream s = std::move(idle_.back());
    idle_.pop_back();
    if (now - s->idle_since < fresh || still_open(*s)) return s;
    boost::system::error_code ignored;
    s->stream.close(ignored);
  }
  return nullptr;
}

asio::awaitable<UpstreamPool::Stream> UpstreamPool::connect(boost::system::error_code& ec) {
  auto s = std::make_unique<Upstream>(ex_);
  busy(*s, std::chrono::microseconds(connect_timeout_us_));  // the sweep ends a connect that hangs
  co_await s->stream.async_connect(app_, asio::redirect_error(asio::use_awaitable, ec));
  done(*s);
  if (ec) co_return nullptr;
  s->stream.set_option(asio::ip::tcp::no_delay(true), ec);
  ec = {};
  co_return s;
}

void UpstreamPool::give_back(Stream s) {
  s->idle_since = std::chrono::steady_clock::now();
  idle_.push_back(std::move(s));
}

void UpstreamPool::busy(Upstream& u, std::chrono::microseconds timeout) {
  u.deadline = std::chrono::steady_clock::now() + timeout;
  u.busy_index = busy_.size();
  busy_.push_back(&u);
}

void UpstreamPool::done(Upstream& u) {
  Upstream* last = busy_.back();
  busy_[u.busy_index] = last;
  last->busy_index = u.busy_index;
  busy_.pop_back();
}

asio::awaitable<void> UpstreamPool::sweep(std::chrono::milliseconds tick) {
  sweep_timer_ = std::make_unique<asio::steady_timer>(ex_);
  while (!stopping_ || !busy_.empty()) {
    sweep_timer_->expires_after(stopping_ ? std::min(tick, std::chrono::milliseconds(10)) : tick);
    boost::system::error_code ec;
    co_await sweep_timer_->async_wait(asio::redirect_error(asio::use_awaitable, ec));
    const auto now = std::chrono::steady_clock::now();
    for (Upstream* u : busy_)
      if (now >= u->deadline) u->stream.close(ec);  // its request ends with an error
  }
}

void UpstreamPool::stop_sweeping() {
  stopping_ = true;
  if (sweep_timer_) sweep_timer_->cancel();
}

void UpstreamPool::close_idle() {
  boost::system::error_code ignored;
  for (auto& s : idle_) s->stream.close(ignored);
  idle_.clear();
}

}  // namespace firedrill::activator
