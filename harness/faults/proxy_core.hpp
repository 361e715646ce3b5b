// State shared by the proxy's listener and its connections (internal).
// Everything but the fault table and the counters is touched only on the
// io thread; cross-thread requests arrive as posted handlers.
#pragma once
#include <atomic>
#include <cstdint>
#include <memory>
#include <unordered_map>

#include <boost/asio/awaitable.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>

#include "faults/fault_table.hpp"
#include "net/readiness_hub.hpp"

namespace firedrill::faults {

class Connection;

struct ProxyCore : std::enable_shared_from_this<ProxyCore> {
  ProxyCore(boost::asio::io_context& io, boost::asio::ip::tcp::endpoint upstream, std::uint64_t seed,
            bool http_aware)
      : io(io), upstream(upstream), seed(seed), http_aware(http_aware), hub(io.get_executor()) {}

  // Opens or closes the listener to match the active faults (refuse), on the io thread.
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
  std::atomic<int> port{0};  // read by port() from any thread; fixed after the first bind
  FaultTable table;

  std::atomic<std::uint64_t> connections{0}, bytes_up{0}, bytes_down{0}, fired{0};
  std::atomic<bool> closed{false};

  // io thread only
  std::shared_ptr<boost::asio::ip::tcp::acceptor> acceptor;
  std::unordered_map<std::uint64_t, std::weak_ptr<Connection>> live;
  std::uint64_t next_serial = 0;
  net::ReadinessHub hub;  // every connection's reads
};

}  // namespace firedrill::faults
