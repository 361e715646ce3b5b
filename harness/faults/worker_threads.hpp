// The event loops a standalone proxy spreads its connections over beyond
// the caller's own: one io_context per thread, each with its readiness hub
// (a hub serves one loop, from its thread only). Inside a suite the proxy
// runs on the harness's dependency loop alone and none of this exists.
//
// Why threads at all: on a machine where the client, the proxy and the
// backend share the cores, a one-thread proxy gets one thread's share of
// them; haproxy starts one thread per core by default (bench/proxy).
#pragma once
#include <atomic>
#include <cstdint>
#include <memory>
#include <thread>
#include <vector>

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>

#include "faults/readiness_hub.hpp"

namespace firedrill::faults {

// One event loop that connections run on, with its readiness hub.
struct Worker {
  explicit Worker(boost::asio::io_context& io) : io(io), hub(io.get_executor()) {}
  boost::asio::io_context& io;
  ReadinessHub hub;

  // Bytes this loop's connections passed on, read by stats() from any
  // thread. One writer, so a plain add (no locked instruction), and a cache
  // line of their own: one shared counter bumped per chunk by every loop
  // would bounce its line between the cores.
  void count(bool upstream, std::uint64_t n) {
    auto& c = upstream ? bytes_up : bytes_down;
    c.store(c.load(std::memory_order_relaxed) + n, std::memory_order_relaxed);
  }
  // alignas makes the Worker itself 64-aligned and its size a multiple of
  // 64, so nothing after it shares the counters' line either.
  alignas(64) std::atomic<std::uint64_t> bytes_up{0};
  std::atomic<std::uint64_t> bytes_down{0};
};

class WorkerThreads {
 public:
  // Starts `count` threads, each running its own loop until destruction.
  explicit WorkerThreads(int count);
  // Stops the loops and joins the threads; then what is left on them
  // (suspended connections) is destroyed, hubs first, loops last.
  ~WorkerThreads();
  WorkerThreads(const WorkerThreads&) = delete;
  WorkerThreads& operator=(const WorkerThreads&) = delete;

  std::vector<Worker*> workers() const;

 private:
  struct Loop {
    boost::asio::io_context io{1};
    boost::asio::executor_work_guard<boost::asio::io_context::executor_type> work{io.get_executor()};
    std::unique_ptr<Worker> worker = std::make_unique<Worker>(io);
    std::thread thread;
  };
  void stop_all();
  std::vector<std::unique_ptr<Loop>> loops_;
};

}  // namespace firedrill::faults
