// The proxy's listener and its connections' bookkeeping, on the io thread.
#include "faults/proxy_core.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/dispatch.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "faults/connection.hpp"

namespace firedrill::faults {
namespace asio = boost::asio;
using tcp = asio::ip::tcp;


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
  const bool refuse = !table.snapshot()->accepts_connections();
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

}  // namespace firedrill::faults
