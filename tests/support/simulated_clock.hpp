// A scenario clock for tests: time stands still while any coroutine can run
// and jumps to the next wake-up when every one of them sleeps, so a
// timeline of seconds runs in microseconds and every time it observes is
// exact. Drive it with run(), not io_context::run().
#pragma once
#include <cstdint>
#include <functional>
#include <map>

#include <boost/asio/io_context.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "engine/scenario_clock.hpp"

namespace firedrill::testing {

class SimulatedClock final : public engine::ScenarioClock {
 public:
  std::int64_t now_us() const override { return now_us_; }

  boost::asio::awaitable<void> sleep_until(std::int64_t at_us) override {
    if (at_us <= now_us_) co_return;
    boost::asio::steady_timer wake(co_await boost::asio::this_coro::executor,
                                   boost::asio::steady_timer::time_point::max());
    sleepers_.emplace(at_us, &wake);  // equal times wake in the order they slept
    boost::system::error_code ec;
    co_await wake.async_wait(boost::asio::redirect_error(boost::asio::use_awaitable, ec));
  }

  // Runs `io` until `done()` holds; whenever nothing is ready to run, time
  // jumps to the earliest sleeper. False if everything is asleep for ever
  // (or nothing is left) before done() holds.
  bool run(boost::asio::io_context& io, const std::function<bool()>& done) {
    while (true) {
      io.restart();
      while (io.poll() > 0) {
      }
      if (done()) return true;
      if (sleepers_.empty()) return false;
      auto first = sleepers_.begin();
      now_us_ = first->first;
      first->second->cancel();
      sleepers_.erase(first);
    }
  }

 private:
  std::int64_t now_us_ = 0;
  std::multimap<std::int64_t, boost::asio::steady_timer*> sleepers_;
};

}  // namespace firedrill::testing
