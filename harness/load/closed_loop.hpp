// The generator for maximum-rate measurements (closed model, as wrk): N
// connections, each placing its next order the moment the previous one
// completed. Suites use the open model (open_model.hpp), whose arrivals do
// not wait for answers; this one measures how fast the harness and a target
// can go together. Every order is recorded in full, as in a scenario: its
// intended send time is the moment its connection was free for it.
#pragma once
#include <atomic>
#include <cstdint>
#include <vector>

#include <boost/asio/awaitable.hpp>

#include "history/clock.hpp"
#include "load/open_model.hpp"
#include "load/order_client.hpp"
#include "load/order_source.hpp"

namespace firedrill::load {

// How many orders a closed-loop run may place, shared by the loops of every
// thread: each order takes the next serial (its id) until the bound.
class OrderBudget {
 public:
  explicit OrderBudget(std::uint64_t max_orders) : max_(max_orders) {}
  // The next serial, or false once max_orders were taken.
  bool take(std::uint32_t& serial);
  std::uint64_t taken() const;

 private:
  std::atomic<std::uint64_t> next_{0};
  std::uint64_t max_;
};

class ClosedLoop {
 public:
  ClosedLoop(OrderClient& client, const OrderSource& source, OrderBudget& budget, const history::Epoch& epoch)
      : client_(client), source_(source), budget_(budget), epoch_(epoch) {}
  // Runs `connections` loops until end_us (epoch time) or the budget is
  // spent, then waits for the last orders; appends each completed order
  // to `out` (so `out` grows as it runs, in completion order).
  boost::asio::awaitable<void> run(int connections, std::int64_t end_us, std::vector<history::Operation>& out);
  const LoadCounters& counters() const { return counters_; }

 private:
  boost::asio::awaitable<void> loop(std::int64_t end_us, std::vector<history::Operation>& out, int& running);

  OrderClient& client_;
  const OrderSource& source_;
  OrderBudget& budget_;
  const history::Epoch& epoch_;
  LoadCounters counters_;
};

}  // namespace firedrill::load
