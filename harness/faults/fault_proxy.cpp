#include "faults/fault_proxy.hpp"

#include <stdexcept>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/dispatch.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "faults/connection.hpp"
#include "faults/proxy_core.hpp"
#include "faults/registry.hpp"

namespace firedrill::faults {
namespace asio = boost::asio;
using tcp = asio::ip::tcp;

// ---- ProxyCore: io thread only ----

void ProxyCore::listen() {
  // Loopback only, always; reuse_address so a refuse/re-open cycle gets
  // the same port back even with connections in TIME_WAIT.
  auto a = std::make_shared<tcp::acceptor>(io);
  tcp::endpoint at(asio::ip::address_v4::loopback(), static_cast<unsigned short>(port.load()));
  a->open(at.protocol());
  a->set_option(asio::socket_base::reuse_address(true));
  a->bind(at);
  a->listen(asio::socket_base::max_listen_connections);
  port = a->local_endpoint().port();
  acceptor = a;
  asio::co_spawn(io, accept_loop(a), asio::detached);
}

asio::awaitable<void> ProxyCore::accept_loop(std::shared_ptr<tcp::acceptor> a) {
  auto self = shared_from_this();
  // Each listen() has its own acceptor and loop, so a loop that outlives
  // its acceptor's close can never accept on a re-opened one.
  while (a->is_open()) {
    auto [ec, accepted] = co_await a->async_accept(asio::as_tuple(asio::use_awaitable));
    if (ec == asio::error::operation_aborted || !a->is_open() || closed) co_return;
    if (ec) continue;
    Worker& w = workers.empty() ? home : *workers[next_worker_index++ % workers.size()];
    // Accepted here, then handed to the loop that runs it. (Accepting onto
    // the worker's loop directly would keep a socket of that loop inside
    // the pending accept, which outlives the worker loops at teardown.)
    tcp::socket socket = &w == &home ? std::move(accepted) : tcp::socket(w.io);
    if (&w != &home) {
      boost::system::error_code moved;
      const auto protocol = a->local_endpoint(moved).protocol();
      const int fd = accepted.release(moved);
      if (!moved) socket.assign(protocol, fd, moved);
      if (moved) continue;  // the descriptor could not move: drop the connection
    }
    connections.fetch_add(1, std::memory_order_relaxed);
    auto serial = next_serial++;
    auto c = std::make_shared<Connection>(shared_from_this(), w, std::move(socket), serial);
    {
      std::lock_guard lock(live_mu);
      live[serial] = c;
    }
    c->start();
  }
}

void ProxyCore::sync_listener() {
  if (closed) return;
  bool refuse = table.snapshot()->refuse;
  if (refuse && acceptor) {
    boost::system::error_code ignored;
    acceptor->close(ignored);
    acceptor.reset();
    close_connections();
  } else if (!refuse && !acceptor) {
    try {
      listen();
    } catch (const std::exception&) {
      // The port was taken meanwhile; nothing better to do than stay
      // closed: the client sees refusals, which the report shows.
    }
  }
}

// Each connection is told on its own loop: at once when that is this one
// (dispatch), else as a posted handler.
template <class Act>
static void on_each_connection(ProxyCore& core, Act act) {
  std::vector<std::shared_ptr<Connection>> alive;
  {
    std::lock_guard lock(core.live_mu);
    for (auto& [serial, weak] : core.live)
      if (auto c = weak.lock()) alive.push_back(std::move(c));
  }
  // Outside the lock: an action may end a connection, which erases itself.
  // Each reference moves into its handler, so a connection that ends is
  // destroyed on its own loop, never here.
  for (auto& c : alive) {
    auto ex = c->executor();
    asio::dispatch(ex, [c = std::move(c), act] { act(*c); });
  }
}

void ProxyCore::close_connections() {
  on_each_connection(*this, [](Connection& c) { c.close(); });
}

void ProxyCore::wake_connections() {
  on_each_connection(*this, [](Connection& c) { c.wake(); });
}

void ProxyCore::shutdown() {
  closed = true;
  if (acceptor) {
    boost::system::error_code ignored;
    acceptor->close(ignored);
    acceptor.reset();
  }
  close_connections();
}

// ---- FaultProxy: any thread ----

FaultProxy::FaultProxy(asio::io_context& io, tcp::endpoint upstream, std::uint64_t seed, bool http_aware,
                       int listen_port, int threads)
    : core_(std::make_shared<ProxyCore>(io, upstream, seed, http_aware)) {
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
  if (!b.toxic) throw std::invalid_argument(b.error);
  if (find_registration(spec.type)->http && !core_->http_aware)
    throw std::invalid_argument(spec.type + ": needs an HTTP-aware proxy (this dependency is proxied as plain TCP)");
  FaultId id = core_->table.add(spec, std::move(b.toxic));
  if (spec.type == "refuse")
    asio::post(core_->io, [core = core_] { core->sync_listener(); });
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
  Stats s{core_->connections.load(), 0, 0, core_->fired.load()};
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
