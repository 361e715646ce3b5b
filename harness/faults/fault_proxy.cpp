#include "faults/fault_proxy.hpp"

#include <stdexcept>

#include <boost/asio/dispatch.hpp>

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

FaultProxy::FaultProxy(asio::io_context& io, tcp::endpoint upstream, std::uint64_t seed, bool http_aware,
                       int listen_port, WorkerThreads& shared, ProxyBounds bounds)
    : core_(std::make_shared<ProxyCore>(io, upstream, seed, http_aware, bounds)) {
  core_->workers.push_back(&core_->home);
  for (Worker* w : shared.workers()) core_->workers.push_back(w);
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

// The fault a spec asks for, checked against what this proxy can do.
static std::shared_ptr<Fault> build_for(const ProxyCore& core, const FaultSpec& spec) {
  Built b = build(spec);
  if (!b.fault) throw std::invalid_argument(b.error);
  if (find_registration(spec.type)->http && !core.http_aware)
    throw std::invalid_argument(spec.type + ": needs an HTTP-aware proxy (this dependency is proxied as plain TCP)");
  return std::move(b.fault);
}

FaultProxy::FaultId FaultProxy::add(FaultSpec spec) {
  auto fault = build_for(*core_, spec);
  const bool on_listener = dynamic_cast<ListenerFault*>(fault.get()) != nullptr;
  FaultId id = core_->table.add(spec, std::move(fault));
  // A listener fault acts through the listener, synced on the io thread:
  // at once when called there (the API's disable is closed when it answers).
  if (on_listener) asio::dispatch(core_->io, [core = core_] { core->sync_listener(); });
  return id;
}

bool FaultProxy::replace(FaultId id, FaultSpec spec) {
  auto fault = build_for(*core_, spec);
  if (!core_->table.replace(id, spec, std::move(fault))) return false;
  // A listener fault may have become another kind, or another probability.
  asio::dispatch(core_->io, [core = core_] { core->sync_listener(); });
  return true;
}

void FaultProxy::remove(FaultId id) {
  if (!core_->table.remove(id)) return;
  // The io thread ends holds early and re-opens the listener if this was
  // the last refuse (at once when called there); the caller never waits on
  // traffic.
  asio::dispatch(core_->io, [core = core_] {
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
  asio::dispatch(core_->io, [core = core_] { core->shutdown(); });
}

}  // namespace firedrill::faults
