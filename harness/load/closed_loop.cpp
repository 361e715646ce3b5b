#include "load/closed_loop.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

namespace firedrill::load {
namespace asio = boost::asio;

bool OrderBudget::take(std::uint32_t& serial) {
  const std::uint64_t n = next_.fetch_add(1, std::memory_order_relaxed);
  if (n >= max_ || n > history::OrderId::max_serial) return false;
  serial = static_cast<std::uint32_t>(n);
  return true;
}

std::uint64_t OrderBudget::taken() const {
  return std::min(next_.load(std::memory_order_relaxed), max_);
}

asio::awaitable<void> ClosedLoop::loop(std::int64_t end_us, std::vector<history::Operation>& out, int& running) {
  std::uint32_t serial;
  while (epoch_.now_us() < end_us && budget_.take(serial)) {
    history::Operation op;
    op.id = source_.id(serial);
    op.set_intended_us(epoch_.now_us());
    ++counters_.sent;
    co_await client_.place(op);
    switch (op.outcome) {
      case history::Outcome::ok: ++counters_.ok; break;
      case history::Outcome::fail: ++counters_.fail; break;
      case history::Outcome::info: ++counters_.info; break;
    }
    out.push_back(std::move(op));
  }
  --running;
}

asio::awaitable<void> ClosedLoop::run(int connections, std::int64_t end_us, std::vector<history::Operation>& out) {
  auto ex = co_await asio::this_coro::executor;
  int running = connections;
  for (int i = 0; i < connections; ++i) asio::co_spawn(ex, loop(end_us, out, running), asio::detached);
  // Every loop ends by itself: the clock or the budget stops it, and each
  // order has a request timeout.
  asio::steady_timer timer(ex);
  boost::system::error_code ec;
  while (running > 0) {
    timer.expires_after(std::chrono::milliseconds(5));
    co_await timer.async_wait(asio::redirect_error(asio::use_awaitable, ec));
  }
}

}  // namespace firedrill::load
