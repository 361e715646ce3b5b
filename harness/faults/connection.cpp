#include "faults/connection.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "faults/proxy_core.hpp"

namespace firedrill::faults {
namespace asio = boost::asio;
using tcp = asio::ip::tcp;
using boost::system::error_code;
constexpr auto tuple_awaitable = asio::as_tuple(asio::use_awaitable);

namespace {
// One read's worth: big enough for loopback throughput, small enough that
// the per-direction buffer bound stays trivial.
constexpr std::size_t chunk_bytes = 64 * 1024;
}  // namespace

// The Pipe of the fault at place `index` of a direction's chain.
class Connection::Stage final : public Pipe {
 public:
  Stage(Connection& c, int dir, const FaultSnapshot& snap, std::size_t index, Slot& slot)
      : c_(c), dir_(dir), snap_(snap), index_(index), slot_(slot) {}
  asio::awaitable<bool> write(const char* data, std::size_t size) override {
    return c_.pass_on(dir_, snap_, index_ + 1, data, size);
  }
  asio::awaitable<bool> hold(std::int64_t us) override { return c_.hold(dir_, slot_.id, us); }
  void close() override { c_.close(); }
  void reset() override { c_.abort(); }
  FlowState& state() override { return slot_.flow[dir_]; }
  bool removed() const override { return !c_.core_->table.contains(slot_.id); }

 private:
  Connection& c_;
  int dir_;
  const FaultSnapshot& snap_;
  std::size_t index_;
  Slot& slot_;
};

Connection::Connection(std::shared_ptr<ProxyCore> core, Worker& worker, tcp::socket client, std::uint64_t serial)
    : core_(std::move(core)),
      worker_(worker),
      sock_{std::move(client), tcp::socket(worker.io)},
      hold_timer_{asio::steady_timer(worker.io), asio::steady_timer(worker.io)},
      bound_timer_{asio::steady_timer(worker.io), asio::steady_timer(worker.io)},
      serial_(serial),
      rng_(core_->seed, serial),
      snap_(core_->table.snapshot()) {}

Connection::~Connection() {
  std::lock_guard lock(core_->live_mu);
  core_->live.erase(serial_);
}

void Connection::start() {
  asio::co_spawn(worker_.io, [self = shared_from_this()] { return self->run(); }, asio::detached);
}

asio::any_io_executor Connection::executor() { return worker_.io.get_executor(); }

void Connection::wake() {
  hold_timer_[up].cancel();
  hold_timer_[down].cancel();
}

void Connection::forget_sockets() {
  for (auto& r : reg_)
    if (r) r->remove();
}

void Connection::close() {
  closed_ = true;
  wake();
  client_free_.notify();
  forget_sockets();
  error_code ignored;
  for (auto& s : sock_) {
    s.shutdown(tcp::socket::shutdown_both, ignored);
    s.close(ignored);
  }
}

void Connection::abort() {
  closed_ = true;
  wake();
  client_free_.notify();
  forget_sockets();
  error_code ignored;
  for (auto& s : sock_) {
    // SO_LINGER 0: close() sends RST instead of FIN.
    s.set_option(asio::socket_base::linger(true, 0), ignored);
    s.close(ignored);
  }
}

void Connection::arm_bound(int socket, std::int64_t us) {
  bound_timer_[socket].expires_after(std::chrono::microseconds(us));
  bound_timer_[socket].async_wait([self = shared_from_this(), socket, arm = ++bound_arm_[socket]](error_code ec) {
    // Disarmed meanwhile (the operation ended as the timer fired): nothing to end.
    if (ec || self->closed_ || self->bound_arm_[socket] != arm) return;
    self->timed_out_[socket] = true;
    error_code ignored;
    self->sock_[socket].cancel(ignored);  // the bounded operation ends with operation_aborted
  });
}

void Connection::disarm_bound(int socket) {
  ++bound_arm_[socket];
  bound_timer_[socket].cancel();
}

asio::awaitable<bool> Connection::connect_upstream() {
  arm_bound(down, core_->bounds.connect_timeout_us);
  auto [ec] = co_await sock_[down].async_connect(core_->upstream, tuple_awaitable);
  disarm_bound(down);
  if (timed_out_[down]) core_->connect_timeouts.fetch_add(1, std::memory_order_relaxed);
  co_return !ec && !closed_;
}

asio::awaitable<void> Connection::run() {
  auto self = shared_from_this();
  if (!co_await connect_upstream()) {
    // The dependency is down or does not accept: a reset is the nearest a
    // proxy can give to the refusal the client would have seen connecting
    // directly.
    abort();
    co_return;
  }
  error_code ignored;
  for (auto& s : sock_) {
    s.set_option(tcp::no_delay(true), ignored);
    // write() tries a plain send first; asio's async ops work the same on
    // a socket in non-blocking mode.
    s.non_blocking(true, ignored);
  }
  if (!closed_)
    for (int dir : {up, down}) {
      reg_[dir] = worker_.hub.add(sock_[dir].native_handle());
      fast_[dir].c = this;
      fast_[dir].dir = dir;
      if (reg_[dir]) reg_[dir]->set_fast_path(&fast_[dir]);
    }
  asio::co_spawn(worker_.io, [self] { return self->pump(down); }, asio::detached);
  co_await pump(up);
}

const FaultSnapshot& Connection::faults() {
  if (snap_->version != core_->table.version()) snap_ = core_->table.snapshot();
  return *snap_;
}

Connection::Slot& Connection::slot(const ActiveFault& f) {
  for (auto& s : slots_)
    if (s.id == f.id) return s;
  // Each fault rolls from a stream of its own (seed, fault, accept order),
  // so which direction meets it first changes no decision.
  Rng roll(core_->seed ^ (f.id * 0x9e3779b97f4a7c15ULL), serial_);
  const bool hit = roll.chance(f.probability);
  if (hit && f.rolls_per_connection()) core_->fired.fetch_add(1, std::memory_order_relaxed);
  auto& s = slots_.emplace_back(Slot{f.id, hit, {}});
  for (int dir : {up, down}) s.flow[dir].rng = Rng(roll.next(), serial_ * 2 + static_cast<std::uint64_t>(dir));
  return s;
}

bool Connection::plain(int dir) {
  // The one place that decides it: no fault on this direction, no request
  // to frame, no answer being written to the client by someone else.
  const auto& f = faults();
  fast_[dir].as_of = f.version;
  if (closed_ || !f.stream[dir].empty()) return false;
  return dir == up ? !http_mode() : !client_writing_;
}

asio::awaitable<void> Connection::pump(int dir) {
  auto self = shared_from_this();
  auto& buf = in_[dir];
  while (!closed_) {
    if (buf.size() == 0) {
      fast_[dir].plain = plain(dir);
      auto [ec, n] = co_await ReadinessHub::read_some(reg_[dir].get(), sock_[dir], buf.prepare(chunk_bytes));
      fast_[dir].plain = false;
      if (ec || closed_) {
        co_await end_of_stream(dir, ec);
        co_return;
      }
      buf.commit(n);
    }
    if (dir == up && http_mode()) {
      if (!co_await handle_request()) co_return;
      continue;
    }
    note_flow(dir);
    faults();
    auto snap = snap_;  // the chain as it is now: holds may outlive a table change
    const bool go_on = co_await pass_on(dir, *snap, 0, static_cast<const char*>(buf.data().data()), buf.size());
    buf.consume(buf.size());
    if (!go_on) co_return;
  }
}

asio::awaitable<bool> Connection::pass_on(int dir, const FaultSnapshot& snap, std::size_t from, const char* data,
                                          std::size_t size) {
  const auto& chain = snap.stream[dir];
  for (std::size_t i = from; i < chain.size(); ++i) {
    Slot& s = slot(chain[i]);
    if (chain[i].rolls_per_connection() && !s.hit) continue;
    Stage stage(*this, dir, snap, i, s);
    co_return co_await chain[i].stream->on_chunk({data, size}, stage);
  }
  co_return co_await write(dir, data, size);
}

std::size_t Connection::send_now(int dir, const char* data, std::size_t size, error_code& ec) {
  const std::size_t n = sock_[1 - dir].write_some(asio::buffer(data, size), ec);
  if (ec == asio::error::would_block) ec = {};  // full: the caller waits for room
  return n;
}

void Connection::FastForward::forwarded(error_code, std::size_t sent) { c->worker_.count(dir == up, sent); }

int Connection::forward_to(int dir) {
  // A fault added since the pump said "plain": the bytes go to the pump.
  if (fast_[dir].as_of != core_->table.version()) {
    fast_[dir].plain = false;
    return -1;
  }
  note_flow(dir);
  return sock_[1 - dir].native_handle();
}

asio::awaitable<void> Connection::end_of_stream(int dir, error_code ec) {
  if (closed_) co_return;
  if (ec == asio::error::eof) {
    faults();
    auto snap = snap_;  // a stable copy: holds may outlive a table change
    for (const auto& f : snap->close[dir]) {
      if (!slot(f).hit) continue;
      co_await hold(dir, f.id, f.close->close_delay_us());
      if (closed_) co_return;
    }
    eof_[dir] = true;
    error_code ignored;
    sock_[1 - dir].shutdown(tcp::socket::shutdown_send, ignored);
    if (eof_[up] && eof_[down]) close();
    co_return;
  }
  // A reset (or any error) on one side becomes a reset on the other, so
  // the client sees what it would have seen talking directly.
  if (ec == asio::error::connection_reset) abort();
  else close();
}

asio::awaitable<bool> Connection::write(int dir, const char* data, std::size_t size) {
  if (size == 0) co_return !closed_;
  const bool to_client = dir == down;
  if (to_client && client_writing_) co_await client_free_.wait_until([this] { return !client_writing_ || closed_; });
  if (closed_) co_return false;
  // The common case on a healthy path: the kernel takes it all at once.
  // Sending right here saves a trip through the scheduler per chunk
  // (bench/proxy); a full buffer falls back to waiting for room, each
  // wait bounded: a peer that reads nothing for the bound ends it.
  error_code ec;
  std::size_t n = send_now(dir, data, size, ec);
  if (!ec && n < size) {
    if (to_client) {
      client_writing_ = true;
      fast_[down].plain = false;  // nor may the hub write to the client meanwhile
    }
    while (!ec && n < size && !closed_) {
      arm_bound(1 - dir, core_->bounds.write_timeout_us);
      auto [wec, more] = co_await sock_[1 - dir].async_write_some(asio::buffer(data + n, size - n), tuple_awaitable);
      disarm_bound(1 - dir);
      ec = wec;
      n += more;
    }
    if (to_client) {
      client_writing_ = false;
      client_free_.notify();
    }
  }
  worker_.count(dir == up, n);
  if (timed_out_[1 - dir]) {
    core_->write_timeouts.fetch_add(1, std::memory_order_relaxed);
    abort();
    co_return false;
  }
  if (ec || closed_) {
    if (ec == asio::error::connection_reset) abort();
    else close();
    co_return false;
  }
  co_return true;
}

asio::awaitable<bool> Connection::hold(int dir, FaultId id, std::int64_t us) {
  auto deadline = asio::steady_timer::clock_type::now() + std::chrono::microseconds(us);
  // Checked before every wait: a removal that happened while we were not
  // waiting must end the hold too.
  while (!closed_ && core_->table.contains(id)) {
    hold_timer_[dir].expires_at(deadline);
    auto [ec] = co_await hold_timer_[dir].async_wait(tuple_awaitable);
    if (!ec) break;
  }
  co_return !closed_;
}

}  // namespace firedrill::faults
