#include "load/load_run.hpp"

#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <fstream>
#include <memory>
#include <stdexcept>
#include <thread>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>

#include "load/closed_loop.hpp"
#include "load/open_model.hpp"
#include "load/order_source.hpp"

namespace firedrill::load {
namespace asio = boost::asio;

namespace {

double seconds_of(const timeval& t) { return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_usec) / 1e6; }

// One thread's share: its own event loop, connections and records. Only its
// own thread ever touches its event loop, so the loop takes no locks.
struct Shard {
  asio::io_context io{BOOST_ASIO_CONCURRENCY_HINT_UNSAFE};
  std::unique_ptr<ConnectionPool> pool;
  std::unique_ptr<OrderClient> client;
  std::vector<history::Operation> ops;
  int connections = 0;
};

}  // namespace

std::int64_t resident_bytes() {
  std::ifstream statm("/proc/self/statm");
  std::int64_t size = 0, resident = 0;
  if (!(statm >> size >> resident)) return 0;
  return resident * ::sysconf(_SC_PAGESIZE);
}

LoadRun run_load(const LoadSettings& s) {
  if (s.threads < 1 || s.connections < s.threads)
    throw std::invalid_argument("need at least one thread and one connection per thread");
  if (s.duration_us <= 0) throw std::invalid_argument("the duration must be positive");
  if (!s.closed_loop && !(s.rate > 0)) throw std::invalid_argument("the open model needs a positive rate");

  LoadRun run;
  const history::Epoch epoch;
  const OrderSource source(s.seed, 0);
  OrderBudget budget(s.max_orders);
  std::vector<std::unique_ptr<Shard>> shards;
  for (int t = 0; t < s.threads; ++t) {
    auto sh = std::make_unique<Shard>();
    sh->connections = s.connections / s.threads + (t < s.connections % s.threads ? 1 : 0);
    sh->pool = std::make_unique<ConnectionPool>(sh->io.get_executor(), sh->connections);
    sh->client = std::make_unique<OrderClient>(*sh->pool, s.target, s.api, s.request_timeout_us, epoch);
    shards.push_back(std::move(sh));
  }
  // The open model's schedule exists before load starts (as in a scenario);
  // thread t sends every T-th order of it.
  run.start_us = epoch.now_us() + 20'000;
  if (!s.closed_loop) {
    auto all = schedule_orders(s.seed, 0, s.rate, run.start_us, s.duration_us);
    if (s.threads == 1) {
      shards[0]->ops = std::move(all);
    } else {
      for (auto& sh : shards) sh->ops.reserve(all.size() / shards.size() + 1);
      for (std::size_t i = 0; i < all.size(); ++i) shards[i % shards.size()]->ops.push_back(std::move(all[i]));
    }
  }

  rusage before{}, after{};
  run.rss_before = resident_bytes();
  ::getrusage(RUSAGE_SELF, &before);
  std::vector<std::unique_ptr<OpenModel>> open;
  std::vector<std::unique_ptr<ClosedLoop>> closed;
  for (auto& sh : shards) {
    if (s.closed_loop) {
      closed.push_back(std::make_unique<ClosedLoop>(*sh->client, source, budget, epoch));
      asio::co_spawn(sh->io, closed.back()->run(sh->connections, run.start_us + s.duration_us, sh->ops), asio::detached);
    } else {
      open.push_back(std::make_unique<OpenModel>(*sh->client, epoch));
      asio::co_spawn(sh->io, open.back()->run(sh->ops), asio::detached);
    }
  }
  if (s.closed_loop) {
    // Closed loops start at once: wait for the common start.
    while (epoch.now_us() < run.start_us) std::this_thread::sleep_for(std::chrono::microseconds(200));
  }
  std::vector<std::thread> threads;
  for (std::size_t t = 1; t < shards.size(); ++t) threads.emplace_back([&io = shards[t]->io] { io.run(); });
  shards[0]->io.run();
  for (auto& th : threads) th.join();
  run.end_us = epoch.now_us();
  ::getrusage(RUSAGE_SELF, &after);
  run.rss_after = resident_bytes();
  run.cpu_user_s = seconds_of(after.ru_utime) - seconds_of(before.ru_utime);
  run.cpu_system_s = seconds_of(after.ru_stime) - seconds_of(before.ru_stime);

  if (shards.size() == 1) {
    run.operations = std::move(shards[0]->ops);
  } else {
    std::size_t total = 0;
    for (auto& sh : shards) total += sh->ops.size();
    run.operations.reserve(total);
    for (auto& sh : shards) {
      for (auto& op : sh->ops) run.operations.push_back(std::move(op));
      std::vector<history::Operation>().swap(sh->ops);
    }
  }
  for (auto& om : open) {
    run.launched_late += om->counters().launched_late;
    run.max_launch_lag_us = std::max(run.max_launch_lag_us, om->counters().max_launch_lag_us);
  }
  for (auto& sh : shards) run.connection_waits += sh->pool->waits();
  return run;
}

}  // namespace firedrill::load
