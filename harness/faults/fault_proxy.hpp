// The fault proxy on one dependency path: listens on 127.0.0.1, forwards
// every connection to one upstream endpoint, and applies the faults added
// to it. Faults can be added and removed from any thread at any time;
// removal never waits on traffic and never drops bytes already in flight.
// It must never listen on anything but loopback, and never draw randomness
// from anything but the seed it is given.
#pragma once
#include <cstdint>
#include <memory>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>

#include "faults/fault_spec.hpp"

namespace firedrill::faults {

// How long the proxy waits for anything before it gives up on a
// connection: every wait of a connection is bounded by one of these.
struct ProxyBounds {
  // The upstream connect (a dependency whose backlog is full never
  // answers the SYN): the client's connection is then reset.
  std::int64_t connect_timeout_us = 5'000'000;
  // A write that makes no progress (a peer that reads nothing). Longer
  // than any SIGSTOP window a suite uses, so a stopped app's connections
  // survive its stop, as they would without a proxy.
  std::int64_t write_timeout_us = 30'000'000;
};

struct ProxyCore;
class WorkerThreads;

class FaultProxy {
 public:
  // Runs on `io`, which the caller runs on exactly one thread (the
  // harness's dependency thread). Binds at once; throws on a bind failure.
  // http_aware: allows HTTP-level faults (http-status, http-delay,
  // fail-first); without it the proxy never looks inside the bytes.
  // threads > 1: connections are spread round robin over `io` and
  // threads - 1 loops of the proxy's own (the standalone proxy); the proxy
  // must then be destroyed only once io has stopped. Throws if a thread
  // cannot be started.
  FaultProxy(boost::asio::io_context& io, boost::asio::ip::tcp::endpoint upstream, std::uint64_t seed,
             bool http_aware, int listen_port = 0, int threads = 1, ProxyBounds bounds = {});
  // Spreads connections over `io` and the loops of `shared`, which must
  // outlive the proxy and every connection on them (the Toxiproxy API's
  // proxies, created and deleted while the loops run). Destroyable at any
  // time on io's thread.
  FaultProxy(boost::asio::io_context& io, boost::asio::ip::tcp::endpoint upstream, std::uint64_t seed,
             bool http_aware, int listen_port, WorkerThreads& shared, ProxyBounds bounds = {});
  ~FaultProxy();
  FaultProxy(const FaultProxy&) = delete;
  FaultProxy& operator=(const FaultProxy&) = delete;

  int port() const;
  std::uint64_t seed() const;

  using FaultId = std::uint64_t;
  // Callable from any thread; throws std::invalid_argument with the
  // validation message on a bad spec.
  FaultId add(FaultSpec spec);
  // Callable from any thread; never blocks on traffic. Unknown ids are ignored.
  void remove(FaultId id);
  // The fault `id` becomes `spec`, in the same place of its chain and under
  // the same id, as Toxiproxy updates a toxic: what each connection rolled
  // and counted for it stays (limit_data keeps counting), and a hold in
  // progress ends as the old fault said; later chunks meet the new one.
  // False when `id` is unknown. Throws as add() does, and then changes nothing.
  bool replace(FaultId id, FaultSpec spec);

  struct Stats {
    std::uint64_t connections = 0;  // accepted
    std::uint64_t bytes_up = 0;     // passed client -> upstream
    std::uint64_t bytes_down = 0;   // passed upstream -> client
    std::uint64_t faults_fired = 0; // TCP faults: per connection hit; HTTP faults: per request acted on
    std::uint64_t connect_timeouts = 0;  // connections reset because the upstream connect ran out of time
    std::uint64_t write_timeouts = 0;    // connections ended because a write made no progress for the bound
  };
  Stats stats() const;

  // Stops listening and closes every connection; callable from any thread,
  // and done before it returns when called on io's thread (so the port can
  // be bound again at once).
  void close();

 private:
  std::shared_ptr<ProxyCore> core_;
  std::unique_ptr<WorkerThreads> threads_;  // after core_: stopped and destroyed first
};

}  // namespace firedrill::faults
