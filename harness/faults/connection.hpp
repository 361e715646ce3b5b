// One proxied connection: a pump per direction that reads a chunk and hands
// it to the direction's fault chain (fault.hpp), whose last link writes it
// on. The pump knows no fault by name or by flag; it only reads, runs the
// chain, frames HTTP requests when a request fault is active
// (http_requests.cpp), and passes closes on. It must never buffer more than
// one chunk per direction (plus one HTTP request when an HTTP fault is
// active), never run off its worker's loop, and never wait without a bound:
// the upstream connect and every write that makes no progress end after
// the proxy's bounds.
#pragma once
#include <cstdint>
#include <deque>
#include <memory>

#include <boost/asio/awaitable.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/beast/core/flat_buffer.hpp>

#include "faults/fault_table.hpp"
#include "faults/rng.hpp"
#include "faults/readiness_hub.hpp"
#include "net/waiters.hpp"

namespace firedrill::faults {

struct ProxyCore;
struct Worker;

class Connection : public std::enable_shared_from_this<Connection> {
 public:
  // `client` must belong to `worker`'s loop; everything the connection
  // does runs there.
  Connection(std::shared_ptr<ProxyCore> core, Worker& worker, boost::asio::ip::tcp::socket client,
             std::uint64_t serial);
  ~Connection();
  void start();
  boost::asio::any_io_executor executor();
  // A fault was removed: end holds early so bytes move on at once.
  void wake();
  // Close both sockets with FIN (refuse, proxy close).
  void close();

 private:
  static constexpr int up = 0, down = 1;
  // One fault as this connection sees it: rolled once, its flows' state.
  struct Slot {
    FaultId id;
    bool hit;
    FlowState flow[2];
  };
  class Stage;  // a place in a fault chain: the Pipe a fault acts through

  boost::asio::awaitable<void> run();
  boost::asio::awaitable<bool> connect_upstream();
  boost::asio::awaitable<void> pump(int dir);
  // Ends reads first, then closes: the hub must forget a socket before its fd goes.
  void forget_sockets();
  boost::asio::awaitable<void> end_of_stream(int dir, boost::system::error_code ec);
  // The chain of `dir` from place `from` on; false: the connection is over.
  boost::asio::awaitable<bool> pass_on(int dir, const FaultSnapshot& snap, std::size_t from, const char* data,
                                       std::size_t size);
  // The chain's end: the bytes read on `dir` to the other side, bounded.
  boost::asio::awaitable<bool> write(int dir, const char* data, std::size_t size);
  boost::asio::awaitable<bool> hold(int dir, FaultId id, std::int64_t us);
  const FaultSnapshot& faults();
  Slot& slot(const ActiveFault& f);
  void abort();
  // Bytes of `dir` go on unframed (the pump's raw path or the hub's): the
  // upstream is at a request boundary once answer bytes flowed since the
  // last request bytes.
  void note_flow(int dir) { at_boundary_ = dir == down; }

  // HTTP mode of the upstream pump (http_requests.cpp): reads one whole
  // request from in_[up], lets the request faults decide, answers or
  // forwards it. false: the connection is over.
  boost::asio::awaitable<bool> handle_request();
  bool http_mode();

  // The hub forwards a direction's bytes itself while its pump says the
  // direction is plain (nothing to do but forward): `plain` is that one
  // flag, set by the pump before each read (plain()); a fault added since
  // turns it off at the next bytes, which then go to the pump.
  struct FastForward final : ReadinessHub::FastPath {
    Connection* c = nullptr;
    int dir = 0;
    std::uint64_t as_of = 0;  // the fault table's version when the pump set `plain`
    int forward_to() override { return c->forward_to(dir); }
    void forwarded(boost::system::error_code, std::size_t sent) override;
  };
  bool plain(int dir);
  // The socket the hub sends `dir`'s bytes to, or -1: they go to the pump.
  int forward_to(int dir);
  // One non-blocking send of the bytes read on `dir` to the other side:
  // how many the kernel took; a full buffer is no error.
  std::size_t send_now(int dir, const char* data, std::size_t size, boost::system::error_code& ec);
  // Bounds an operation on sock_[socket] (the connect, a write): when `us`
  // pass before disarm_bound(), the operation ends with timed_out_[socket] set.
  void arm_bound(int socket, std::int64_t us);
  void disarm_bound(int socket);

  std::shared_ptr<ProxyCore> core_;
  Worker& worker_;
  FastForward fast_[2];  // before reg_: outlives the registrations
  boost::asio::ip::tcp::socket sock_[2];  // [up] = client side (we read upstream bytes from it), [down] = server side
  boost::asio::steady_timer hold_timer_[2], bound_timer_[2];
  // After sock_: destroyed first, so a socket leaves the hub before it closes.
  std::unique_ptr<ReadinessHub::Registration> reg_[2];
  boost::beast::flat_buffer in_[2];
  std::uint64_t serial_;
  Rng rng_;  // per-request rolls of the HTTP path
  std::shared_ptr<const FaultSnapshot> snap_;
  std::deque<Slot> slots_;  // a deque: a Slot stays put while a chain holds it
  bool closed_ = false;
  bool eof_[2] = {false, false};
  bool timed_out_[2] = {false, false};  // per socket: its connect or a write to it ran out of time
  std::uint64_t bound_arm_[2] = {0, 0};
  // An answer is being written to the client in more than one send (by the
  // downstream pump, or an injected HTTP answer): the other waits.
  bool client_writing_ = false;
  net::Waiters client_free_;
  bool at_boundary_ = true;  // note_flow() and the request framer write it
  bool opaque_ = false;      // not HTTP after all: never parse again
};

}  // namespace firedrill::faults
