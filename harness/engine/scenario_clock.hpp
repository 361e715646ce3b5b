// The time the timeline and its fault windows run on, passed in rather than
// read from the system (as Envoy's fault filter takes its TimeSource): the
// monotonic clock in a run, a simulated one in tests, so step ordering and
// window ends are tested in milliseconds instead of seconds of real sleep.
#pragma once
#include <cstdint>

#include <boost/asio/awaitable.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "history/clock.hpp"

namespace firedrill::engine {

class ScenarioClock {
 public:
  virtual ~ScenarioClock() = default;
  // Microseconds since the scenario's epoch.
  virtual std::int64_t now_us() const = 0;
  // Returns at `at_us` (at once if that has passed).
  virtual boost::asio::awaitable<void> sleep_until(std::int64_t at_us) = 0;
};

// The real thing: the scenario's epoch on the monotonic clock.
class SteadyScenarioClock final : public ScenarioClock {
 public:
  explicit SteadyScenarioClock(const history::Epoch& epoch) : epoch_(epoch) {}
  std::int64_t now_us() const override { return epoch_.now_us(); }
  boost::asio::awaitable<void> sleep_until(std::int64_t at_us) override {
    boost::asio::steady_timer timer(co_await boost::asio::this_coro::executor, epoch_.at(at_us));
    boost::system::error_code ec;
    co_await timer.async_wait(boost::asio::redirect_error(boost::asio::use_awaitable, ec));
  }

 private:
  const history::Epoch& epoch_;
};

}  // namespace firedrill::engine
