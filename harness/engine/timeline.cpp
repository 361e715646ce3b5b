#include "engine/timeline.hpp"

#include <algorithm>

#include <boost/asio/this_coro.hpp>

#include "net/waiters.hpp"

namespace firedrill::engine {
namespace asio = boost::asio;

namespace {

// On now, off at its end (a fixed time from the start of load). Removal
// never waits for traffic, so the window ends on time.
asio::awaitable<void> fault_window(suite::FaultStepSpec fault, std::int64_t ends_at_us, ScenarioClock& clock,
                                   Nemesis& nemesis) {
  const auto id = nemesis.fault_on(fault);
  co_await clock.sleep_until(ends_at_us);
  nemesis.fault_off(fault, id);
}

}  // namespace

asio::awaitable<void> run_timeline(std::vector<suite::StepSpec> steps, std::int64_t load_start_us, ScenarioClock& clock,
                                   Nemesis& nemesis) {
  std::stable_sort(steps.begin(), steps.end(), [](const auto& a, const auto& b) { return a.at_us < b.at_us; });
  net::TaskGroup beside(co_await asio::this_coro::executor);
  for (const auto& step : steps) {
    co_await clock.sleep_until(load_start_us + step.at_us);
    switch (step.action) {
      case suite::Action::signal:
        nemesis.signal(step.to, step.signal);
        break;
      case suite::Action::stop:
      case suite::Action::rollout:
        // The timeline goes on while the pod drains.
        beside.spawn(nemesis.stop_pod(step.action == suite::Action::rollout));
        break;
      case suite::Action::fault:
        beside.spawn(fault_window(step.fault, load_start_us + step.fault.ends_at_us, clock, nemesis));
        break;
    }
  }
  co_await beside.wait();
}

}  // namespace firedrill::engine
