// State shared by the proxy's listener and its connections (internal;
// proxy_core.cpp: the listener and the connections' bookkeeping).
// The listener and everything marked "io thread" live on the caller's loop
// (`io`); connections live on their worker's loop, which is `io` itself
// unless the proxy was given worker threads. Cross-thread requests arrive
// as posted handlers; `live` is the one structure both sides touch.
#pragma once
#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>
#include <unordered_map>
#include <vector>

#include <boost/asio/awaitable.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>

#include "faults/fault_proxy.hpp"
#include "faults/fault_table.hpp"
#include "faults/worker_threads.hpp"

namespace firedrill::faults {

class Connection;

struct ProxyCore : std::enable_shared_from_this<ProxyCore> {
  ProxyCore(boost::asio::io_context& io, boost::asio::ip::tcp::endpoint upstream, std::uint64_t seed,
            bool http_aware, ProxyBounds bounds)
      : io(io), upstream(upstream), seed(seed), http_aware(http_aware), bounds(bounds), home(io) {}

  // Opens or closes the listener to match the active listener faults, on the io thread.
  void sync_listener();
  void listen();
  boost::asio::awaitable<void> accept_loop(std::shared_ptr<boost::asio::ip::tcp::acceptor> acceptor);
  void close_connections();
  void shutdown();
  void wake_connections();

  boost::asio::io_context& io;
  const boost::asio::ip::tcp::endpoint upstream;
  const std::uint64_t seed;
  const bool http_aware;
  const ProxyBounds bounds;
  std::atomic<int> port{0};  // read by port() from any thread; fixed after the first bind
  FaultTable table;

  std::atomic<std::uint64_t> connections{0}, fired{0};  // bytes: per worker (Worker::count)
  std::atomic<std::uint64_t> connect_timeouts{0}, write_timeouts{0};
  std::atomic<bool> closed{false};

  // io thread only
  std::shared_ptr<boost::asio::ip::tcp::acceptor> acceptor;
  // Serials are given in accept order on the io thread, so a connection's
  // fault decisions (Rng(seed, serial)) do not depend on which loop runs it.
  std::uint64_t next_serial = 0;
  Worker home;                   // the io loop, as a worker: runs every connection when `workers` is empty
  std::vector<Worker*> workers;  // set once before the first accept; connections go round robin
  std::size_t next_worker_index = 0;

  // Connections erase themselves from their own loop.
  std::mutex live_mu;
  std::unordered_map<std::uint64_t, std::weak_ptr<Connection>> live;
};

}  // namespace firedrill::faults
