#include "load/open_model.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

namespace firedrill::load {
namespace asio = boost::asio;

asio::awaitable<void> OpenModel::one(history::Operation& op) {
  co_await client_.place(op);
  switch (op.outcome) {
    case history::Outcome::ok: ++counters_.ok; break;
    case history::Outcome::fail: ++counters_.fail; break;
    case history::Outcome::info: ++counters_.info; break;
  }
  if (counters_.in_flight() == 0) completed_.notify();
}

asio::awaitable<void> OpenModel::run(std::vector<history::Operation>& ops) {
  auto ex = co_await asio::this_coro::executor;
  asio::steady_timer timer(ex);
  boost::system::error_code ec;
  std::size_t next = 0;
  while (next < ops.size()) {
    auto due = epoch_.at(ops[next].intended_us());
    if (history::Clock::now() < due) {
      timer.expires_at(due);
      co_await timer.async_wait(asio::redirect_error(asio::use_awaitable, ec));
    }
    // Launch everything that is due now: if the loop fell behind, the late
    // ones go out at once and their lag shows in sent - intended.
    const auto now_us = epoch_.now_us();
    while (next < ops.size() && ops[next].intended_us() <= now_us) {
      const std::int64_t late = now_us - ops[next].intended_us();
      if (late > LoadCounters::late_launch_us) ++counters_.launched_late;
      if (late > counters_.max_launch_lag_us) counters_.max_launch_lag_us = late;
      ++counters_.sent;
      if (!launched_by_phase_.empty()) {
        while (phase_ + 1 < phase_ends_us_.size() && now_us >= phase_ends_us_[phase_]) ++phase_;
        ++launched_by_phase_[phase_];
      }
      asio::co_spawn(ex, one(ops[next]), asio::detached);
      ++next;
    }
  }
  // Every operation ends by itself (each has a request timeout).
  co_await completed_.wait_until([this] { return counters_.in_flight() == 0; });
}

}  // namespace firedrill::load
