#include "faults/connection.hpp"

#include <algorithm>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>

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

Connection::Connection(std::shared_ptr<ProxyCore> core, Worker& worker, tcp::socket client, std::uint64_t serial)
    : core_(std::move(core)),
      worker_(worker),
      sock_{std::move(client), tcp::socket(worker.io)},
      timer_{asio::steady_timer(worker.io), asio::steady_timer(worker.io)},
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
  timer_[up].cancel();
  timer_[down].cancel();
}

void Connection::forget_sockets() {
  for (auto& r : reg_)
    if (r) r->remove();
}

void Connection::close() {
  closed_ = true;
  wake();
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
  forget_sockets();
  error_code ignored;
  for (auto& s : sock_) {
    // SO_LINGER 0: close() sends RST instead of FIN.
    s.set_option(asio::socket_base::linger(true, 0), ignored);
    s.close(ignored);
  }
}

asio::awaitable<void> Connection::run() {
  auto self = shared_from_this();
  auto [ec] = co_await sock_[down].async_connect(core_->upstream, tuple_awaitable);
  if (ec || closed_) {
    // The dependency is down: a reset is the nearest a proxy can give to
    // the refusal the client would have seen connecting directly.
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

Connection::Slot& Connection::slot(FaultId id) {
  for (auto& s : slots_)
    if (s.id == id) return s;
  slots_.push_back(Slot{id, -1, {}});
  return slots_.back();
}

bool Connection::hits(const ActiveFault& f) {
  Slot& s = slot(f.id);
  if (s.roll < 0) {
    s.roll = rng_.chance(f.probability) ? 1 : 0;
    if (s.roll) core_->fired.fetch_add(1, std::memory_order_relaxed);
  }
  return s.roll == 1;
}

asio::awaitable<void> Connection::pump(int dir) {
  auto self = shared_from_this();
  auto& buf = in_[dir];
  while (!closed_) {
    if (buf.size() == 0) {
      auto [ec, n] = co_await net::ReadinessHub::read_some(reg_[dir].get(), sock_[dir], buf.prepare(chunk_bytes));
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
    if (dir == down) {
      at_boundary_ = true;  // the conversation turned: the next request bytes start a request
      if (response_delay_us_ > 0) {
        auto us = std::exchange(response_delay_us_, 0);
        co_await hold(down, response_delay_fault_, us);
      }
    } else {
      at_boundary_ = false;
    }
    bool go_on = co_await forward(dir, static_cast<const char*>(buf.data().data()), buf.size());
    buf.consume(buf.size());
    if (!go_on) co_return;
  }
}

bool Connection::may_forward(int dir) {
  // Exactly the pump's straight-through case: anything else (a fault on
  // this direction, a request to frame, a delay to serve, an HTTP answer
  // being written to the client) is the pump's to do.
  if (closed_ || !faults().stream[dir].empty()) return false;
  if (dir == up) return !http_mode();
  return response_delay_us_ == 0 && !client_writing_;
}

std::size_t Connection::send_now(int dir, const char* data, std::size_t size, error_code& ec) {
  const std::size_t n = sock_[1 - dir].write_some(asio::buffer(data, size), ec);
  if (ec == asio::error::would_block) ec = {};  // full: the caller waits for room
  return n;
}

std::pair<error_code, std::size_t> Connection::forward_now(int dir, const char* data, std::size_t size) {
  at_boundary_ = dir == down;  // as the pump sets it for these bytes
  // An error ends the connection as a failed write would: the pump maps
  // the error it is handed alike.
  error_code ec;
  const std::size_t n = send_now(dir, data, size, ec);
  worker_.count(dir == up, n);
  return {ec, n};
}

asio::awaitable<void> Connection::end_of_stream(int dir, error_code ec) {
  if (closed_) co_return;
  if (ec == asio::error::eof) {
    faults();
    auto snap = snap_;  // a stable copy: holds may outlive a table change
    for (const auto& f : snap->close[dir]) {
      if (!hits(f)) continue;
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

asio::awaitable<bool> Connection::forward(int dir, const char* data, std::size_t size) {
  // No fault on this direction (the common case): straight through, no
  // snapshot copy, nothing held.
  if (faults().stream[dir].empty()) co_return co_await write(dir, data, size);
  Chunk chunk{data, size};
  FaultId slicer = 0;
  auto snap = snap_;  // a stable copy: holds may outlive a table change
  for (const auto& f : snap->stream[dir]) {
    if (!hits(f)) continue;
    f.stream->on_chunk(chunk, slot(f.id).flow[dir], rng_);
    if (chunk.reset) {
      abort();
      co_return false;
    }
    if (chunk.hold_us > 0) {
      co_await hold(dir, f.id, std::exchange(chunk.hold_us, 0));
      if (closed_) co_return false;
    }
    if (chunk.drop) co_return true;
    if (chunk.slice && !slicer) slicer = f.id;
  }
  if (chunk.slice == 0 || chunk.size <= chunk.slice) {
    if (!co_await write(dir, chunk.data, chunk.size)) co_return false;
  } else {
    for (std::size_t off = 0; off < chunk.size; off += chunk.slice) {
      if (off > 0 && chunk.slice_delay_us > 0) co_await hold(dir, slicer, chunk.slice_delay_us);
      if (!co_await write(dir, chunk.data + off, std::min(chunk.slice, chunk.size - off))) co_return false;
    }
  }
  if (chunk.close_after) {
    close();
    co_return false;
  }
  co_return true;
}

asio::awaitable<bool> Connection::write(int dir, const char* data, std::size_t size) {
  if (size == 0) co_return !closed_;
  // The common case on a healthy path: the kernel takes it all at once.
  // Sending right here saves a trip through the scheduler per chunk
  // (bench/proxy); a full buffer falls back to waiting for writability.
  error_code ec;
  std::size_t n = send_now(dir, data, size, ec);
  if (!ec && n < size) {
    if (dir == down) client_writing_ = true;
    auto [wec, more] = co_await asio::async_write(sock_[1 - dir], asio::buffer(data + n, size - n), tuple_awaitable);
    if (dir == down) client_writing_ = false;
    ec = wec;
    n += more;
  }
  worker_.count(dir == up, n);
  if (ec || closed_) {
    if (ec == asio::error::connection_reset) abort();
    else close();
    co_return false;
  }
  co_return true;
}

asio::awaitable<void> Connection::hold(int dir, FaultId id, std::int64_t us) {
  auto deadline = asio::steady_timer::clock_type::now() + std::chrono::microseconds(us);
  // Checked before every wait: a removal that happened while we were not
  // waiting must end the hold too.
  while (!closed_ && core_->table.contains(id)) {
    timer_[dir].expires_at(deadline);
    auto [ec] = co_await timer_[dir].async_wait(tuple_awaitable);
    if (!ec) co_return;
  }
}

}  // namespace firedrill::faults
