// One standalone load run (`firedrill load`): the open or the closed model
// against a URL, on T threads that each own an event loop and their share
// of the connections (as wrk), every order recorded in full. Measures what
// the run cost the harness itself: CPU time and resident memory.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include <boost/asio/ip/tcp.hpp>

#include "history/operation.hpp"
#include "suite/suite.hpp"

namespace firedrill::load {

struct LoadSettings {
  boost::asio::ip::tcp::endpoint target;
  suite::OrderApi api;             // place_path, key header, status sets
  bool closed_loop = false;        // false: open model at `rate`
  double rate = 1000;              // orders per second (open model)
  int connections = 32;            // in all, spread over the threads
  int threads = 1;
  std::int64_t duration_us = 10'000'000;
  std::uint64_t max_orders = UINT64_MAX;  // closed loop: stop after this many
  std::int64_t request_timeout_us = 5'000'000;
  std::uint64_t seed = 1;
};

struct LoadRun {
  std::vector<history::Operation> operations;  // times are µs since the run's epoch
  std::int64_t start_us = 0;                   // when load began (the open model's first intended send)
  std::int64_t end_us = 0;                     // when the last order completed
  double cpu_user_s = 0, cpu_system_s = 0;     // this process, over the load phase
  std::int64_t rss_before = 0, rss_after = 0;  // resident bytes before load and with the history recorded
  // Open model: where send lag came from (see LoadCounters, ConnectionPool::waits).
  std::uint64_t launched_late = 0, connection_waits = 0;
  std::int64_t max_launch_lag_us = 0;
};

// Throws std::invalid_argument for settings it cannot run.
LoadRun run_load(const LoadSettings& s);

// This process's resident set size in bytes (/proc/self/statm), 0 if unknown.
std::int64_t resident_bytes();

}  // namespace firedrill::load
