#include "faults/readiness_hub.hpp"

#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <cstdint>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/error.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/posix/stream_descriptor.hpp>
#include <boost/asio/use_awaitable.hpp>

namespace firedrill::faults {
namespace asio = boost::asio;
using boost::system::error_code;

struct ReadinessHub::Registration::State {
  explicit State(const asio::any_io_executor& ex) : wake(ex, asio::steady_timer::time_point::max()) {}
  int fd = -1;
  bool ready = true;  // a new socket may already hold bytes: try once
  // The peer closed or reset: an end to read that raises no further edge,
  // so the socket stays ready however short a read comes back.
  bool ended = false;
  bool removed = false;
  bool waiting = false;  // a read is suspended on `wake`
  // The suspended read's buffer, and what the hub read into it for the
  // reader (FastPath: bytes not passed on, or how the stream ended).
  char* data = nullptr;
  std::size_t size = 0;
  bool has_result = false;
  error_code result_ec;
  std::size_t result_n = 0;
  std::size_t in_flight = 0;  // FastPath: bytes read whose send is queued
  ReadinessHub::FastPath* fast = nullptr;
  std::weak_ptr<ReadinessHub::Shared> hub;
  // A suspended read waits on this timer; cancel() wakes it. A timer that
  // never expires costs no timerfd update, and asio owns the waiting
  // operation, so a loop shut down mid-wait cleans it up as its own.
  asio::steady_timer wake;
};

// The epoll set is watched (an async_wait outstanding on it) only while
// some read waits: an outstanding wait is work, and an event loop with
// work never returns from run() (firedrill load ends that way).
struct ReadinessHub::Shared : std::enable_shared_from_this<ReadinessHub::Shared> {
  Shared(asio::any_io_executor ex, SendBatch::Mode mode) : ex(ex), set(ex), sends(mode) {}
  asio::any_io_executor ex;
  asio::posix::stream_descriptor set;  // owns the epoll fd
  SendBatch sends;
  int waiting = 0;                     // registrations with a suspended read
  bool armed = false;
  std::uint64_t arming = 0;  // which async_wait is the current one

  void arm() {
    if (armed || waiting == 0 || !set.is_open()) return;
    armed = true;
    set.async_wait(asio::posix::descriptor_base::wait_read, [self = shared_from_this(), id = ++arming](error_code ec) {
      if (id != self->arming) return;  // cancelled by disarm(), since re-armed
      self->armed = false;
      if (ec) return;  // the hub is gone, or nobody waits any more
      self->drain_events();
      self->arm();
    });
  }

  // Nobody waits: drop the outstanding wait so the loop can run dry.
  void disarm_if_idle() {
    if (!armed || waiting > 0) return;
    armed = false;
    ++arming;
    error_code ignored;
    set.cancel(ignored);
  }

  void wake(Registration::State& r) {
    if (r.waiting) {
      r.waiting = false;
      --waiting;
      r.wake.cancel();
    }
  }

  void drain_events() {
    epoll_event events[64];
    int n;
    do {
      n = ::epoll_wait(set.native_handle(), events, 64, 0);
      Registration::State* forwarding[64];
      int queued = 0;
      for (int i = 0; i < n; ++i) {
        auto* r = static_cast<Registration::State*>(events[i].data.ptr);
        r->ready = true;
        if (events[i].events & (EPOLLRDHUP | EPOLLHUP | EPOLLERR)) r->ended = true;
        if (!r->waiting) continue;
        if (r->fast && read_to_forward(*r)) {
          if (r->in_flight > 0) forwarding[queued++] = r;
          continue;
        }
        wake(*r);
      }
      // Bounded, so one busy socket cannot starve the others on this loop:
      // a socket with more to read after its rounds is left to its reader.
      for (int round = 0; queued > 0; ++round) {
        const int more = finish_forwards(forwarding);
        queued = 0;
        for (int i = 0; i < more; ++i) {
          auto* r = forwarding[i];
          if (round < 16 && read_to_forward(*r)) {
            if (r->in_flight > 0) forwarding[queued++] = r;
          } else {
            wake(*r);
          }
        }
      }
    } while (n == 64);
  }

  // The reader's part done here: read into its buffer and queue the bytes'
  // send (in_flight > 0). true: the read still waits. false: wake the
  // reader, with a result when the hub read something.
  bool read_to_forward(Registration::State& r) {
    r.in_flight = 0;
    if (!r.fast->plain) return false;
    ssize_t n;
    do n = ::recv(r.fd, r.data, r.size, MSG_DONTWAIT);
    while (n < 0 && errno == EINTR);
    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
      r.ready = false;
      return true;
    }
    if (n <= 0) {  // the end, or an error: the reader's to handle
      r.has_result = true;
      r.result_ec = n == 0 ? error_code(asio::error::eof) : error_code(errno, asio::error::get_system_category());
      r.result_n = 0;
      return false;
    }
    const int to = r.fast->forward_to();
    if (to < 0 || !sends.add(to, r.data, static_cast<std::size_t>(n), &r)) {
      r.has_result = true;  // the bytes are the reader's, from the start of its buffer
      r.result_ec = {};
      r.result_n = static_cast<std::size_t>(n);
      return false;
    }
    r.in_flight = static_cast<std::size_t>(n);
    return true;
  }

  // Makes the queued sends and settles each. Puts the registrations that
  // may have more to read first in `forwarding`; returns how many.
  int finish_forwards(Registration::State** forwarding) {
    int more = 0;
    for (const auto& sent : sends.flush()) {
      auto& r = *static_cast<Registration::State*>(sent.tag);
      const std::size_t n = r.in_flight;
      r.in_flight = 0;
      if (sent.result < 0) {
        const error_code ec(static_cast<int>(-sent.result), asio::error::get_system_category());
        r.fast->forwarded(ec, 0);
        r.has_result = true;
        r.result_ec = ec;
        r.result_n = 0;
        wake(r);
        continue;
      }
      const auto went = static_cast<std::size_t>(sent.result);
      r.fast->forwarded({}, went);
      if (went < n) {
        // The rest goes to the reader from the start of its buffer, as if
        // it had read just that.
        r.has_result = true;
        r.result_ec = {};
        r.result_n = n - went;
        std::memmove(r.data, r.data + went, r.result_n);
        wake(r);
        continue;
      }
      if (n < r.size && !r.ended) {
        r.ready = false;  // drained: wait for the next edge
        continue;
      }
      forwarding[more++] = &r;  // a full buffer, or the end still to read
    }
    return more;
  }
};

ReadinessHub::ReadinessHub(asio::any_io_executor ex, SendBatch::Mode sends)
    : shared_(std::make_shared<Shared>(ex, sends)) {
  const int fd = ::epoll_create1(EPOLL_CLOEXEC);
  if (fd < 0) return;  // add() then returns null: plain reads
  error_code ec;
  shared_->set.assign(fd, ec);
  if (ec) ::close(fd);
}

ReadinessHub::~ReadinessHub() {
  error_code ignored;
  shared_->set.close(ignored);
}

std::unique_ptr<ReadinessHub::Registration> ReadinessHub::add(int fd) {
  if (!shared_->set.is_open()) return nullptr;
  auto s = std::make_shared<Registration::State>(shared_->ex);
  s->fd = fd;
  s->hub = shared_;
  epoll_event ev{};
  ev.events = EPOLLIN | EPOLLRDHUP | EPOLLET;
  ev.data.ptr = s.get();
  if (::epoll_ctl(shared_->set.native_handle(), EPOLL_CTL_ADD, fd, &ev) != 0) return nullptr;
  return std::unique_ptr<Registration>(new Registration(std::move(s)));
}

void ReadinessHub::Registration::set_fast_path(FastPath* f) { s_->fast = f; }

void ReadinessHub::Registration::remove() {
  if (s_->removed) return;
  s_->removed = true;
  s_->fast = nullptr;
  if (auto hub = s_->hub.lock()) {
    if (hub->set.is_open()) ::epoll_ctl(hub->set.native_handle(), EPOLL_CTL_DEL, s_->fd, nullptr);
    hub->wake(*s_);
    hub->disarm_if_idle();
  } else {
    s_->wake.cancel();
  }
}

ReadinessHub::Registration::~Registration() { remove(); }

asio::awaitable<std::pair<error_code, std::size_t>> ReadinessHub::read_some(Registration& r, void* data,
                                                                             std::size_t size) {
  // The state, not the registration, may be used across the suspension:
  // the registration's owner may remove it meanwhile.
  std::shared_ptr<Registration::State> s = r.s_;
  while (true) {
    if (s->removed) co_return std::pair{error_code(asio::error::operation_aborted), std::size_t{0}};
    if (s->has_result) {  // the hub read for us (FastPath)
      s->has_result = false;
      co_return std::pair{s->result_ec, s->result_n};
    }
    if (s->ready) {
      const ssize_t n = ::recv(s->fd, data, size, MSG_DONTWAIT);
      if (n > 0) {
        // Short: the queue is drained; wait for the next edge (unless the
        // end already came: it is read as a 0 next time).
        if (static_cast<std::size_t>(n) < size && !s->ended) s->ready = false;
        co_return std::pair{error_code{}, static_cast<std::size_t>(n)};
      }
      if (n == 0) co_return std::pair{error_code(asio::error::eof), std::size_t{0}};
      if (errno == EINTR) continue;
      if (errno != EAGAIN && errno != EWOULDBLOCK)
        co_return std::pair{error_code(errno, asio::error::get_system_category()), std::size_t{0}};
      // Nothing after all (never expected once ended: a closed peer reads
      // as 0, a reset as an error); waiting beats spinning.
      s->ready = false;
    }
    auto hub = s->hub.lock();
    if (!hub) co_return std::pair{error_code(asio::error::operation_aborted), std::size_t{0}};
    s->waiting = true;
    s->data = static_cast<char*>(data);
    s->size = size;
    ++hub->waiting;
    hub->arm();
    hub.reset();  // not held across the wait
    // Ends "cancelled" when woken: by readiness, or by remove() (checked above).
    co_await s->wake.async_wait(asio::as_tuple(asio::use_awaitable));
  }
}

namespace {
asio::awaitable<std::pair<error_code, std::size_t>> asio_read_some(asio::ip::tcp::socket& socket,
                                                                   asio::mutable_buffer into) {
  auto [ec, n] = co_await socket.async_read_some(into, asio::as_tuple(asio::use_awaitable));
  co_return std::pair{ec, n};
}
}  // namespace

// Not a coroutine itself: hands back either read, so the hub's costs no
// extra frame on the hot path.
asio::awaitable<std::pair<error_code, std::size_t>> ReadinessHub::read_some(Registration* reading,
                                                                             asio::ip::tcp::socket& socket,
                                                                             asio::mutable_buffer into) {
  if (reading) return read_some(*reading, into.data(), into.size());
  return asio_read_some(socket, into);
}

}  // namespace firedrill::faults
