#include "activator/activator.hpp"

#include <algorithm>

#include <boost/asio/redirect_error.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/read.hpp>
#include <fmt/format.h>

#include "activator/wire.hpp"
#include "probes/probe_client.hpp"

namespace firedrill::activator {
namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;
using history::EventKind;
using std::chrono::microseconds;

namespace {
auto nothrow(boost::system::error_code& ec) { return asio::redirect_error(asio::use_awaitable, ec); }
constexpr std::size_t max_body = 8 << 20;  // an order is a few hundred bytes

std::string seconds(std::int64_t us) { return fmt::format("{:.3f}s", static_cast<double>(us) / 1e6); }
}  // namespace

std::string_view to_string(State s) {
  switch (s) {
    case State::serving: return "serving";
    case State::scaling_down: return "scaling down";
    case State::at_zero: return "at zero";
    case State::starting: return "starting";
  }
  return "?";
}

Activator::Activator(asio::any_io_executor ex, tcp::endpoint app, Settings settings, history::Recorder& rec,
                     PodControl& pod)
    : ex_(ex), app_(app), settings_(std::move(settings)), rec_(rec), pod_(pod), acceptor_(ex),
      pool_(ex, app, 5'000'000), idle_wake_(ex), tasks_(ex) {
  const tcp::endpoint at(asio::ip::address_v4::loopback(), 0);
  acceptor_.open(at.protocol());
  acceptor_.bind(at);
  acceptor_.listen(asio::socket_base::max_listen_connections);
  endpoint_ = acceptor_.local_endpoint();
  last_activity_us_ = rec_.now_us();
}

void Activator::start() {
  tasks_.spawn(accept_loop());
  tasks_.spawn(idle_watch());
  tasks_.spawn(pool_.sweep(std::chrono::milliseconds(100)));
}

asio::awaitable<void> Activator::accept_loop() {
  while (!closed_) {
    tcp::socket s(ex_);
    boost::system::error_code ec;
    co_await acceptor_.async_accept(s, nothrow(ec));
    if (closed_ || ec == asio::error::operation_aborted) break;
    if (ec) {  // out of descriptors, say: the client sees its connect fail, and we try again shortly
      asio::steady_timer pause(ex_, std::chrono::milliseconds(10));
      co_await pause.async_wait(nothrow(ec));
      continue;
    }
    s.set_option(tcp::no_delay(true), ec);
    tasks_.spawn(session(std::move(s)));
  }
}

// One client connection, kept alive as long as the client keeps it: the
// activator is the ingress, and an ingress never closes a client's
// connection to help a drain along.
asio::awaitable<void> Activator::session(tcp::socket socket) {
  // A plain socket: no timer on the client's side (below), so none of
  // beast::tcp_stream's per-operation bookkeeping either.
  tcp::socket client(std::move(socket));
  const auto me = clients_.insert(clients_.end(), &client);
  beast::flat_buffer buffer;
  std::string wire;  // each answer's bytes, one buffer kept for the connection
  for (;;) {
    http::request_parser<http::string_body> parser;
    parser.body_limit(max_body);
    boost::system::error_code ec;
    co_await http::async_read(client, buffer, parser, nothrow(ec));
    if (ec) break;
    Request req = parser.release();
    const bool keep = req.keep_alive();
    ++in_flight_;
    const std::int64_t arrived = rec_.now_us();
    last_activity_us_ = arrived;
    Answer a = co_await handle(req, arrived);
    if (a.cut) {
      // As the app did to us: the client's connection ends without an answer.
      client.set_option(asio::socket_base::linger(true, 0), ec);
      --in_flight_;
      last_activity_us_ = rec_.now_us();
      break;
    }
    a.response.keep_alive(keep);
    a.response.prepare_payload();
    wire.clear();
    append_wire(wire, a.response);
    // No timer on the client's side: the client is the load generator,
    // with its own request timeout, and close() ends every session.
    co_await asio::async_write(client, asio::buffer(wire), nothrow(ec));
    --in_flight_;
    last_activity_us_ = rec_.now_us();
    if (ec || !keep) break;
  }
  clients_.erase(me);
  boost::system::error_code ignored;
  client.close(ignored);
}

asio::awaitable<Activator::Answer> Activator::handle(Request& req, std::int64_t arrived) {
  // A view into the request: copied only for a held request's records.
  const std::string_view id = req[settings_.key_header];
  if (state_ == State::serving && !pod_.app_running()) lost_app();
  if (state_ == State::serving) co_return co_await forward(req, -1, id, cycle_);
  if (static_cast<int>(held_.size()) >= settings_.max_held) {
    rec_.held(EventKind::hold_overflow, cycle_, arrived, arrived, std::string(id));
    co_return Answer{refusal(req.version(), fmt::format("activator: {} requests are already held (max-held)\n", held_.size()))};
  }
  const int cycle = cycle_;
  Held h{asio::steady_timer(ex_, microseconds(settings_.hold_timeout_us))};
  const auto me = held_.insert(held_.end(), &h);
  start_if_needed();
  boost::system::error_code ec;
  co_await h.wake.async_wait(nothrow(ec));
  held_.erase(me);
  if (!h.released) {
    rec_.held(EventKind::hold_timeout, cycle, arrived, rec_.now_us(), std::string(id));
    co_return Answer{refusal(req.version(), fmt::format("activator: held for {} (hold-timeout) while the pod was {}\n",
                                                        seconds(rec_.now_us() - arrived), to_string(state_)))};
  }
  co_return co_await forward(req, arrived, id, cycle);
}

asio::awaitable<Activator::Answer> Activator::forward(Request& req, std::int64_t held_since_us, std::string_view key,
                                                      int cycle) {
  // Copied before the request's fields change below; only a held request's
  // records need it.
  const std::string id = held_since_us >= 0 ? std::string(key) : std::string();
  req.keep_alive(true);  // hop by hop: the pool's connection, whatever the client asked of ours
  req.prepare_payload();  // a chunked request goes on with its Content-Length
  boost::system::error_code ec;
  UpstreamPool::Stream up = pool_.take();
  if (!up) up = co_await pool_.connect(ec);
  if (!up) {
    // Never reached the app: definitely not taken, so a refusal.
    if (held_since_us >= 0) rec_.held(EventKind::held, cycle, held_since_us, rec_.now_us(), id);
    co_return Answer{refusal(req.version(), fmt::format("activator: cannot connect to the app: {}\n", ec.message()))};
  }
  pool_.busy(*up, microseconds(settings_.upstream_timeout_us));
  struct Done {  // on every way out, before `up` goes
    UpstreamPool& pool;
    Upstream& u;
    ~Done() { pool.done(u); }
  } done{pool_, *up};
  up->wire.clear();
  append_wire(up->wire, req);
  co_await asio::async_write(up->stream, asio::buffer(up->wire), nothrow(ec));
  if (held_since_us >= 0) rec_.held(EventKind::held, cycle, held_since_us, rec_.now_us(), id);
  http::response_parser<http::string_body> parser;
  parser.body_limit(max_body);
  if (!ec) co_await http::async_read(up->stream, up->buffer, parser, nothrow(ec));
  // A POST the app may have read is never sent again (a proxy must not
  // replay what it cannot prove unread): the client sees the cut, and
  // retries by its own rules (SPEC §4) if it wants to.
  if (ec) co_return Answer{{}, true};
  Response res = parser.release();
  // Bytes past the answer were never asked for: that connection is done.
  if (res.keep_alive() && up->buffer.size() == 0 && !closed_ && up->stream.is_open()) pool_.give_back(std::move(up));
  co_return Answer{std::move(res), false};
}

// The app went away while the activator was routing to it (a crash, a
// signal of the timeline): the next request starts it again, as a platform
// replaces a lost instance on demand.
void Activator::lost_app() {
  ++cycle_;
  state_ = State::at_zero;
  pool_.close_idle();
  rec_.activator(EventKind::at_zero, cycle_, "the app was not running when a request came (it exited by itself or by a "
                                             "signal of the timeline)");
}

// Sleeps until the idle deadline, never on a tick: a busy activator is
// woken once per to-zero-after, not once per request.
asio::awaitable<void> Activator::idle_watch() {
  if (settings_.to_zero_after_us <= 0) co_return;
  while (!closed_ && scaling_) {
    const std::int64_t due = last_activity_us_ + settings_.to_zero_after_us;
    const std::int64_t now = rec_.now_us();
    if (state_ == State::serving && in_flight_ == 0 && now >= due) {
      co_await scale_down();
      continue;
    }
    std::int64_t sleep_us = settings_.to_zero_after_us;
    if (state_ == State::serving) sleep_us = in_flight_ > 0 ? std::max<std::int64_t>(settings_.to_zero_after_us / 20, 1000)
                                                            : std::max<std::int64_t>(due - now, 1000);
    idle_wake_.expires_after(microseconds(sleep_us));
    boost::system::error_code ec;
    co_await idle_wake_.async_wait(nothrow(ec));
  }
}

asio::awaitable<void> Activator::scale_down() {
  state_ = State::scaling_down;
  ++cycle_;
  rec_.activator(EventKind::scale_down, cycle_,
                 fmt::format("no request in flight or arriving for {} (to-zero-after): routing stopped",
                             seconds(rec_.now_us() - last_activity_us_)));
  pool_.close_idle();
  co_await pod_.scale_down();
  state_ = State::at_zero;
  rec_.activator(EventKind::at_zero, cycle_, "the pod is stopped");
  transitions_.notify();
  start_if_needed();
}

void Activator::start_if_needed() {
  if (state_ != State::at_zero || held_.empty() || closed_) return;
  state_ = State::starting;
  tasks_.spawn(scale_up());
}

asio::awaitable<void> Activator::scale_up() {
  rec_.activator(EventKind::scale_up, cycle_, fmt::format("{} request(s) held: starting the pod", held_.size()));
  const bool started = co_await pod_.cold_start();
  bool ready = false;
  if (started) {
    // A new connection per probe, as the readiness watch: a closed listener shows at once.
    probes::ProbeClient probe(ex_, app_, 1'000'000, false);
    asio::steady_timer pause(ex_);
    while (!closed_ && pod_.app_running()) {
      const std::optional<int> status = co_await probe.get(settings_.ready_path);
      if (status == 200) {
        ready = true;
        break;
      }
      pause.expires_after(microseconds(settings_.probe_interval_us));
      boost::system::error_code ec;
      co_await pause.async_wait(nothrow(ec));
    }
  }
  if (ready) {
    state_ = State::serving;
    last_activity_us_ = rec_.now_us();
    rec_.activator(EventKind::serving, cycle_, fmt::format("{} answered 200: released {} held request(s)",
                                                           settings_.ready_path, held_.size()));
    release_held();
    idle_wake_.cancel();
  } else {
    state_ = State::at_zero;
    rec_.activator(EventKind::at_zero, cycle_, started ? "the app exited before it answered 200 on its readiness path"
                                                       : "the pod could not be started (a native sidecar did not start)");
  }
  transitions_.notify();
}

// In arrival order: each held request's wait ends in the order it began,
// so their coroutines resume, and write to the app, in that order.
void Activator::release_held() {
  for (Held* h : held_) {
    h->released = true;
    h->wake.cancel();
  }
}

Activator::Response Activator::refusal(unsigned version, std::string why) const {
  Response r{http::status::service_unavailable, version};
  r.set(http::field::content_type, "text/plain");
  r.body() = std::move(why);
  return r;
}

asio::awaitable<void> Activator::stop_scaling() {
  scaling_ = false;
  idle_wake_.cancel();
  co_await transitions_.wait_until([this] { return state_ == State::serving || state_ == State::at_zero; });
}

asio::awaitable<void> Activator::close() {
  closed_ = true;
  scaling_ = false;
  boost::system::error_code ignored;
  acceptor_.close(ignored);
  idle_wake_.cancel();
  for (auto* s : clients_) s->close(ignored);
  for (Held* h : held_) h->wake.cancel();
  pool_.close_idle();
  pool_.stop_sweeping();  // once the requests still on the app are answered or time out
  co_await tasks_.wait();
}

}  // namespace firedrill::activator
