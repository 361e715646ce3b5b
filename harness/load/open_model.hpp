// The generator role (Jepsen) for orders: sends every scheduled operation at
// its intended time, independent of how fast the app answers (open model,
// as wrk2), one event loop, no thread per request. Live counters feed the
// progress line; the operations themselves are the history.
#pragma once
#include <cstdint>
#include <vector>

#include <boost/asio/awaitable.hpp>

#include "history/clock.hpp"
#include "load/order_client.hpp"
#include "net/waiters.hpp"

namespace firedrill::load {

struct LoadCounters {
  std::size_t sent = 0, ok = 0, fail = 0, info = 0;
  // Where send lag comes from: the event loop launching an order late
  // (it was busy or not scheduled), as opposed to the order waiting for a
  // free connection (ConnectionPool::waits) or for its connect.
  std::size_t launched_late = 0;     // launched more than late_launch_us after intended
  std::int64_t max_launch_lag_us = 0;
  static constexpr std::int64_t late_launch_us = 1000;
  std::size_t in_flight() const { return sent - ok - fail - info; }
};

class OpenModel {
 public:
  OpenModel(OrderClient& client, const history::Epoch& epoch) : client_(client), epoch_(epoch) {}
  // Sends ops[i] at ops[i].intended_us; returns once every one completed.
  // `ops` must not be resized while this runs (records are updated in place).
  boost::asio::awaitable<void> run(std::vector<history::Operation>& ops);
  const LoadCounters& counters() const { return counters_; }
  // Count each launch in the phase its launch time falls in (`ends_us`:
  // each phase's end, ascending; a launch after the last end counts in the
  // last phase), for the achieved rate per phase.
  void count_launches_by_phase(std::vector<std::int64_t> ends_us) {
    phase_ends_us_ = std::move(ends_us);
    launched_by_phase_.assign(phase_ends_us_.size(), 0);
  }
  const std::vector<std::size_t>& launched_by_phase() const { return launched_by_phase_; }

 private:
  boost::asio::awaitable<void> one(history::Operation& op);

  OrderClient& client_;
  const history::Epoch& epoch_;
  LoadCounters counters_;
  net::Waiters completed_;  // run() waits here for the last order to end
  std::vector<std::int64_t> phase_ends_us_;
  std::vector<std::size_t> launched_by_phase_;
  std::size_t phase_ = 0;
};

}  // namespace firedrill::load
