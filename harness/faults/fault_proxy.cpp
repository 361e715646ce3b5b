#include "faults/fault_proxy.hpp"

#include <stdexcept>

#include <boost/asio/post.hpp>

#include "faults/proxy_core.hpp"
#include "faults/registry.hpp"

namespace firedrill::faults {
namespace asio = boost::asio;
using tcp = asio::ip::tcp;

// ---- FaultProxy: any thread ----

FaultProxy::FaultProxy(asio::io_context& io, tcp::endpoint upstream, std::uint64_t seed, bool http_aware,
                       int listen_port, int threads, ProxyBounds bounds)
    : core_(std::make_shared<ProxyCore>(io, upstream, seed, http_aware, bounds)) {
  if (threads > 1) {
    threads_ = std::make_unique<WorkerThreads>(threads - 1);
    core_->workers.push_back(&core_->home);
    for (Worker* w : threads_->workers()) core_->workers.push_back(w);
  }
  core_->port = listen_port;
  core_->listen();
}

FaultProxy::~FaultProxy() {
  close();
  if (threads_) {
    threads_.reset();  // joins; what ran there is gone
    core_->workers.clear();
  }
}

int FaultProxy::port() const { return core_->port; }
std::uint64_t FaultProxy::seed() const { return core_->seed; }

FaultProxy::FaultId FaultProxy::add(FaultSpec spec) {
  Built b = build(spec);
  if (!b.fault) throw std::invalid_argument(b.error);
  if (find_registration(spec.type)->http && !core_->http_aware)
    throw std::invalid_argument(spec.type + ": needs an HTTP-aware proxy (this dependency is proxied as plain TCP)");
  const bool on_listener = dynamic_cast<ListenerFault*>(b.fault.get()) != nullptr;
  FaultId id = core_->table.add(spec, std::move(b.fault));
  // A listener fault acts through the listener, synced on the io thread.
  if (on_listener) asio::post(core_->io, [core = core_] { core->sync_listener(); });
  return id;
}

void FaultProxy::remove(FaultId id) {
  if (!core_->table.remove(id)) return;
  // Only posts: the io thread ends holds early and re-opens the listener
  // if this was the last refuse; the caller never waits on traffic.
  asio::post(core_->io, [core = core_] {
    core->wake_connections();
    core->sync_listener();
  });
}

FaultProxy::Stats FaultProxy::stats() const {
  Stats s{core_->connections.load(), 0, 0, core_->fired.load(), core_->connect_timeouts.load(),
          core_->write_timeouts.load()};
  auto add = [&](const Worker& w) {
    s.bytes_up += w.bytes_up.load(std::memory_order_relaxed);
    s.bytes_down += w.bytes_down.load(std::memory_order_relaxed);
  };
  if (core_->workers.empty()) add(core_->home);
  for (const Worker* w : core_->workers) add(*w);  // the home loop among them
  return s;
}

void FaultProxy::close() {
  if (core_->closed.exchange(true)) return;
  asio::post(core_->io, [core = core_] { core->shutdown(); });
}

}  // namespace firedrill::faults
