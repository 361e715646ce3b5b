#include "load/connection_pool.hpp"

#include <poll.h>
#include <sys/socket.h>

#include <cerrno>
#include <limits>

#include <boost/asio/redirect_error.hpp>
#include <boost/asio/use_awaitable.hpp>

namespace firedrill::load {
namespace asio = boost::asio;

namespace {

// True if the server already closed (or reset) an idle connection: then it
// is not worth sending on, and skipping it avoids most stale-retry cases.
bool closed_by_peer(Connection& c) {
  int fd = c.socket.native_handle();
  pollfd p{fd, POLLIN | POLLRDHUP, 0};
  if (::poll(&p, 1, 0) <= 0) return false;
  if (p.revents & (POLLRDHUP | POLLHUP | POLLERR)) return true;
  // Readable while idle: EOF, an error, or bytes nobody asked for. Only
  // "nothing to read after all" leaves the connection usable.
  char byte;
  ssize_t n = ::recv(fd, &byte, 1, MSG_PEEK | MSG_DONTWAIT);
  return !(n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK));
}

}  // namespace

ConnectionPool::ConnectionPool(asio::any_io_executor ex, int max_open) : ex_(std::move(ex)), max_open_(max_open) {}

std::unique_ptr<Connection> ConnectionPool::try_acquire(bool fresh, std::int64_t now_us) {
  while (true) {
    while (!fresh && !idle_.empty()) {
      auto c = std::move(idle_.back());  // most recently used: least likely to be stale
      idle_.pop_back();
      if (now_us - c->released_us >= stale_check_after_us && closed_by_peer(*c)) {
        discard(std::move(c));
        continue;
      }
      c->reused = true;
      return c;
    }
    if (open_ < max_open_) {
      ++open_;
      return std::make_unique<Connection>(ex_, next_id_++);
    }
    if (fresh && !idle_.empty()) {  // make room for the fresh one
      idle_.erase(idle_.begin());
      --open_;
      continue;
    }
    return nullptr;
  }
}

asio::awaitable<std::unique_ptr<Connection>> ConnectionPool::acquire(bool fresh) {
  constexpr std::int64_t always_check = std::numeric_limits<std::int64_t>::max();
  for (bool first = true;; first = false) {
    if (auto c = try_acquire(fresh, always_check)) co_return c;
    if (first) ++waits_;
    auto t = std::make_shared<asio::steady_timer>(ex_, asio::steady_timer::time_point::max());
    waiters_.push_back(t);
    boost::system::error_code ec;
    co_await t->async_wait(asio::redirect_error(asio::use_awaitable, ec));
  }
}

void ConnectionPool::release(std::unique_ptr<Connection> c, std::int64_t now_us) {
  c->released_us = now_us;
  idle_.push_back(std::move(c));
  wake_one();
}

void ConnectionPool::discard(std::unique_ptr<Connection> c) {
  boost::system::error_code ec;
  c->socket.close(ec);
  --open_;
  wake_one();
}

void ConnectionPool::wake_one() {
  if (waiters_.empty()) return;
  waiters_.front()->cancel();
  waiters_.pop_front();
}

}  // namespace firedrill::load
