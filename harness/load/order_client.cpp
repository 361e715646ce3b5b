#include "load/order_client.hpp"

#include <charconv>
#include <cstring>
#include <optional>
#include <tuple>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/http/error.hpp>

#include "history/http_status.hpp"
#include "load/order_source.hpp"
#include "load/response_reader.hpp"

namespace firedrill::load {
namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using history::Wire;
using namespace std::string_view_literals;

namespace {

Wire wire_of(const beast::error_code& ec) {
  if (ec == asio::error::connection_reset || ec == asio::error::broken_pipe) return Wire::reset;
  if (ec == asio::error::eof || ec == http::error::end_of_stream || ec == http::error::partial_message)
    return Wire::eof;
  return Wire::bad_response;
}

}  // namespace

// The connections with an attempt under way. The sweep holds it too, so it
// never touches a client that is gone; a client is only destroyed once no
// attempt is under way, so the list is then empty.
struct OrderClient::Busy {
  explicit Busy(const history::Epoch& e) : epoch(e) {}
  const history::Epoch& epoch;
  std::vector<Connection*> list;
  bool sweeping = false;
  bool client_gone = false;

  void add(Connection& c) {
    c.busy_index = list.size();
    list.push_back(&c);
  }
  void remove(Connection& c) {
    list[c.busy_index] = list.back();
    list[c.busy_index]->busy_index = c.busy_index;
    list.pop_back();
  }
  static asio::awaitable<void> sweep(std::shared_ptr<Busy> self) {
    asio::steady_timer timer(co_await asio::this_coro::executor);
    while (!self->list.empty()) {
      timer.expires_after(std::chrono::microseconds(sweep_interval_us));
      boost::system::error_code ec;
      co_await timer.async_wait(asio::redirect_error(asio::use_awaitable, ec));
      if (self->client_gone) break;
      const auto now = self->epoch.now_us();
      for (Connection* c : self->list)
        if (!c->timed_out && now >= c->deadline_us) {
          // Closing ends whatever the attempt waits on; it sees timed_out.
          c->timed_out = true;
          c->socket.close(ec);
        }
    }
    self->sweeping = false;
  }
};

OrderClient::OrderClient(ConnectionPool& pool, asio::ip::tcp::endpoint app, const suite::OrderApi& api,
                         std::int64_t timeout_us, const history::Epoch& epoch, suite::ConnectionModel model)
    : pool_(pool),
      app_(app),
      api_(api),
      timeout_us_(timeout_us),
      epoch_(epoch),
      new_per_order_(model == suite::ConnectionModel::new_per_order),
      head_("POST " + api.place_path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n" +
            (new_per_order_ ? "Connection: close\r\n" : "") + api.key_header + ": "),
      busy_(std::make_shared<Busy>(epoch)) {}

OrderClient::~OrderClient() { busy_->client_gone = true; }

asio::awaitable<void> OrderClient::place(history::Operation& op) {
  bool reused = false;
  history::AttemptEnd end = co_await attempt(op, false, reused);
  auto c = history::classify(end, api_.statuses);
  if (history::is_stale_keepalive(end, reused)) {
    op.retried = true;
    op.set_first_byte_us(history::never);
    const auto first = c;
    // The record keeps the first attempt's send and write times: that is
    // when the order went to the app. A request written before a SIGTERM
    // and then cut stays in flight at the signal for in-flight-completed,
    // however late its retry went out (soak round 19: a retry written
    // after the signal hid a cut request, a false pass).
    const std::int64_t first_sent = op.sent_us(), first_written = op.written_us(), first_end = epoch_.now_us();
    end = co_await attempt(op, true, reused);
    op.set_sent_us(first_sent);
    op.set_written_us(first_written);
    c = history::classify(end, api_.statuses);
    // Zero response bytes cannot prove the server never read the first
    // attempt (it may have died mid-request). Only an accepted retry settles
    // it; anything else leaves the order as indeterminate as the first try,
    // and the record ends when that try ended: a stale connection cut
    // before a SIGTERM is then not in flight at it, whenever the retry ran.
    if (c.outcome != history::Outcome::ok) {
      op.outcome = first.outcome;
      op.reason = first.reason;
      op.status = 0;
      op.set_completed_us(first_end);
      co_return;
    }
  }
  op.outcome = c.outcome;
  op.reason = c.reason;
  op.status = static_cast<std::uint16_t>(end.wire == Wire::complete ? end.status : 0);
  op.set_completed_us(epoch_.now_us());
}

asio::awaitable<history::AttemptEnd> OrderClient::attempt(history::Operation& op, bool fresh, bool& reused) {
  fresh = fresh || new_per_order_;
  auto conn = pool_.try_acquire(fresh, epoch_.now_us());
  if (!conn) conn = co_await pool_.acquire(fresh);
  reused = conn->reused;
  op.connection = conn->id;
  conn->timed_out = false;
  conn->deadline_us = epoch_.now_us() + timeout_us_;
  busy_->add(*conn);
  if (!busy_->sweeping) {
    busy_->sweeping = true;
    asio::co_spawn(pool_.executor(), Busy::sweep(busy_), asio::detached);
  }
  bool keep_alive = false;
  const history::AttemptEnd end = co_await exchange(*conn, op, keep_alive);
  busy_->remove(*conn);
  if (end.wire == Wire::complete && keep_alive && !conn->timed_out && !new_per_order_)
    pool_.release(std::move(conn), epoch_.now_us());
  else
    pool_.discard(std::move(conn));
  co_return end;
}

void OrderClient::write_request(Connection& c, const history::Operation& op) {
  char id[history::OrderId::max_generated_size];
  if (const std::size_t n = op.id.write(id, sizeof id); n || op.id.empty()) {
    write_request(c, std::string_view(id, n));
  } else {
    write_request(c, op.id.str());  // a long hand-made id
  }
}

void OrderClient::write_request(Connection& c, std::string_view id) {
  // Byte for byte what Beast writes for the same request (fields in the
  // order they were set, Content-Length last), copied into buffers that
  // are only ever grown.
  if (body_.size() < order_body_capacity(id)) body_.resize(order_body_capacity(id));
  const std::size_t body = write_order_body(body_.data(), body_.size(), id);
  char length[24];
  const std::string_view length_text(length, static_cast<std::size_t>(std::to_chars(length, length + sizeof length, body).ptr - length));
  constexpr auto between = "\r\nContent-Length: "sv;
  const std::size_t size = head_.size() + id.size() + between.size() + length_text.size() + 4 + body;
  if (c.request.size() < size) c.request.resize(size);
  char* p = c.request.data();
  for (std::string_view part : {std::string_view(head_), id, between, length_text, "\r\n\r\n"sv, std::string_view(body_.data(), body)}) {
    std::memcpy(p, part.data(), part.size());
    p += part.size();
  }
  c.request_size = size;
}

asio::awaitable<history::AttemptEnd> OrderClient::exchange(Connection& c, history::Operation& op, bool& keep_alive) {
  beast::error_code ec;
  if (!c.connected) {
    co_await c.socket.async_connect(app_, asio::redirect_error(asio::use_awaitable, ec));
    if (c.timed_out) co_return history::AttemptEnd{Wire::connect_failed};
    if (ec)
      co_return history::AttemptEnd{ec == asio::error::connection_refused ? Wire::connect_refused
                                                                          : Wire::connect_failed};
    c.connected = true;
    c.socket.set_option(asio::ip::tcp::no_delay(true), ec);
    c.socket.non_blocking(true, ec);
  }

  write_request(c, op);
  op.set_sent_us(epoch_.now_us());
  // A direct send: a request fits the socket buffer of an idle connection,
  // so the event loop is needed only when it does not.
  std::size_t sent = c.socket.write_some(asio::buffer(c.request.data(), c.request_size), ec);
  if (ec == asio::error::would_block) ec = {};
  if (!ec && sent < c.request_size)
    co_await asio::async_write(c.socket, asio::buffer(c.request.data() + sent, c.request_size - sent),
                               asio::redirect_error(asio::use_awaitable, ec));
  if (c.timed_out) co_return history::AttemptEnd{Wire::timeout};
  if (ec) co_return history::AttemptEnd{wire_of(ec)};
  op.set_written_us(epoch_.now_us());

  // Interim 1xx answers are read past (history/http_status.hpp): taken as
  // final, one would hide the real answer and leave it to be read as the
  // next order's.
  std::optional<ResponseReader> parser(std::in_place);
  int interim = 0;
  std::size_t received = 0;
  while (true) {
    // Parse what is buffered; the reader asks for more until the message ends.
    while (c.buffer.size() > 0 && !parser->is_done()) {
      const std::size_t used = parser->put(c.buffer.data(), ec);
      c.buffer.consume(used);
      if (ec == http::error::need_more) {
        ec = {};
        break;
      }
      if (ec) co_return history::AttemptEnd{wire_of(ec), 0, received};
      if (used == 0) break;
    }
    if (parser->is_done()) {
      if (!history::is_interim(parser->status()) || interim == history::max_interim_answers) break;
      ++interim;
      parser.emplace();  // the final answer follows on the same stream
      continue;
    }
    // Asio's own read: the proxy's readiness hub (faults/readiness_hub.hpp)
    // bought nothing here when bench/load measured it.
    const std::size_t n =
        co_await c.socket.async_read_some(c.buffer.prepare(16 * 1024), asio::redirect_error(asio::use_awaitable, ec));
    c.buffer.commit(n);
    if (c.timed_out) co_return history::AttemptEnd{Wire::timeout, 0, received};
    if (n > 0 && received == 0) op.set_first_byte_us(epoch_.now_us());
    received += n;
    if (ec == asio::error::eof && received > 0) {
      // A response may end with the connection (no length given).
      parser->put_eof(ec);
      if (!ec && parser->is_done()) continue;  // final or interim: decided above
      co_return history::AttemptEnd{Wire::eof, 0, received};
    }
    if (ec) co_return history::AttemptEnd{wire_of(ec), 0, received};
  }
  // Not an HTTP status, or no end to the interim answers: nothing to classify.
  const int status = parser->status();
  if (!history::is_http_status(status) || history::is_interim(status))
    co_return history::AttemptEnd{Wire::bad_response, 0, received};
  // Bytes after the answer were never asked for: the next order sent on
  // this connection would read them as its own answer. (The reader's
  // keep_alive() is Beast's when Beast read it: false when the answer
  // ended with the connection.)
  keep_alive = parser->keep_alive() && c.buffer.size() == 0;
  co_return history::AttemptEnd{Wire::complete, status, received};
}

}  // namespace firedrill::load
