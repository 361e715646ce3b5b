// One proxied connection: a pump per direction that reads a chunk, lets the
// active faults act on it, and writes it on. The pump, not the fault, holds
// the bytes, so a fault removed mid-hold only shortens the hold. Must never
// buffer more than one chunk per direction (plus one HTTP request when an
// HTTP fault is active) and never run off its worker's loop.
#pragma once
#include <cstdint>
#include <memory>
#include <vector>

#include <boost/asio/awaitable.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/beast/core/flat_buffer.hpp>

#include "faults/fault_table.hpp"
#include "net/readiness_hub.hpp"
#include "faults/rng.hpp"

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
  struct Slot {  // one fault as this connection sees it
    FaultId id;
    int roll;  // -1 not rolled yet, 0 missed, 1 hit
    FlowState flow[2];
  };

  boost::asio::awaitable<void> run();
  boost::asio::awaitable<void> pump(int dir);
  // Ends reads first, then closes: the hub must forget a socket before its fd goes.
  void forget_sockets();
  boost::asio::awaitable<void> end_of_stream(int dir, boost::system::error_code ec);
  // false: the connection is over.
  boost::asio::awaitable<bool> forward(int dir, const char* data, std::size_t size);
  boost::asio::awaitable<bool> write(int dir, const char* data, std::size_t size);
  boost::asio::awaitable<void> hold(int dir, FaultId id, std::int64_t us);
  const FaultSnapshot& faults();
  Slot& slot(FaultId id);
  bool hits(const ActiveFault& f);
  void abort();

  // HTTP mode of the upstream pump (http_requests.cpp): reads one whole
  // request from in_[up], lets the request faults decide, answers or
  // forwards it. false: the connection is over.
  boost::asio::awaitable<bool> handle_request();
  bool http_mode();

  // The hub forwards a direction's bytes itself while nothing on it needs
  // the pump (no fault, no HTTP framing, nothing held): see may_forward().
  struct FastForward final : net::ReadinessHub::FastPath {
    Connection* c = nullptr;
    int dir = 0;
    bool may_forward() override { return c->may_forward(dir); }
    std::pair<boost::system::error_code, std::size_t> forward(const char* data, std::size_t size) override {
      return c->forward_now(dir, data, size);
    }
  };
  bool may_forward(int dir);
  std::pair<boost::system::error_code, std::size_t> forward_now(int dir, const char* data, std::size_t size);
  // One non-blocking send of the bytes read on `dir` to the other side:
  // how many the kernel took; a full buffer is no error.
  std::size_t send_now(int dir, const char* data, std::size_t size, boost::system::error_code& ec);

  std::shared_ptr<ProxyCore> core_;
  Worker& worker_;
  FastForward fast_[2];  // before reg_: outlives the registrations
  boost::asio::ip::tcp::socket sock_[2];  // [up] = client side (we read upstream bytes from it), [down] = server side
  boost::asio::steady_timer timer_[2];
  // After sock_: destroyed first, so a socket leaves the hub before it closes.
  std::unique_ptr<net::ReadinessHub::Registration> reg_[2];
  boost::beast::flat_buffer in_[2];
  std::uint64_t serial_;
  Rng rng_;
  std::shared_ptr<const FaultSnapshot> snap_;
  std::vector<Slot> slots_;
  bool closed_ = false;
  bool eof_[2] = {false, false};
  bool client_writing_ = false;
  // HTTP awareness without parsing: the upstream is at a request boundary
  // when the conversation turned (answer bytes flowed since the last
  // request bytes) or we framed the last request ourselves.
  bool at_boundary_ = true;
  bool opaque_ = false;  // not HTTP after all: never parse again
  std::int64_t response_delay_us_ = 0;
  FaultId response_delay_fault_ = 0;
};

}  // namespace firedrill::faults
