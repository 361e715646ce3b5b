// The HTTP mode of a connection's upstream pump: frame one whole request,
// let the request faults decide (answer it ourselves, or forward it and
// hold its answer), then forward the request's exact bytes. Entered only
// while an HTTP fault with probability > 0 is active and the stream is at a
// request boundary, so with no such fault no byte is ever parsed or held
// (Toxiproxy #603). Must never alter the bytes of a request it forwards.
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/http/status.hpp>
#include <fmt/format.h>

#include "faults/connection.hpp"
#include "faults/proxy_core.hpp"
#include "faults/request_framer.hpp"

namespace firedrill::faults {
namespace asio = boost::asio;
namespace http = boost::beast::http;
using boost::system::error_code;

namespace {
constexpr auto tuple_awaitable = asio::as_tuple(asio::use_awaitable);
constexpr std::size_t read_bytes = 64 * 1024;

std::string injected_response(int status, unsigned version, bool keep_alive, bool head) {
  std::string body = fmt::format("firedrill fault: injected {}\n", status);
  auto reason = http::obsolete_reason(static_cast<http::status>(status));
  std::string connection = !keep_alive ? "Connection: close\r\n" : version < 11 ? "Connection: keep-alive\r\n" : "";
  return fmt::format("HTTP/{}.{} {} {}\r\nContent-Type: text/plain\r\nContent-Length: {}\r\n{}\r\n{}",
                     version / 10, version % 10, status, reason.empty() ? "Unknown" : std::string(reason),
                     body.size(), connection, head ? std::string() : body);
}
}  // namespace

bool Connection::http_mode() {
  return core_->http_aware && !opaque_ && at_boundary_ && !faults().requests.empty();
}

asio::awaitable<bool> Connection::handle_request() {
  auto self = shared_from_this();
  auto& buf = in_[up];
  RequestFramer framer;
  while (true) {
    auto state = framer.feed({static_cast<const char*>(buf.data().data()), buf.size()});
    if (state == RequestFramer::State::done) break;
    if (state == RequestFramer::State::opaque) {
      // Not HTTP (or beyond our bounds): stop looking; the raw path
      // forwards the buffered bytes unchanged.
      opaque_ = true;
      co_return true;
    }
    auto [ec, n] = co_await net::ReadinessHub::read_some(reg_[up].get(), sock_[up], buf.prepare(read_bytes));
    if (ec || closed_) {
      // A partial request and then the end: pass on what came, then end as usual.
      if (buf.size() > 0 && !closed_) {
        at_boundary_ = false;
        if (!co_await forward(up, static_cast<const char*>(buf.data().data()), buf.size())) co_return false;
        buf.consume(buf.size());
      }
      co_await end_of_stream(up, ec);
      co_return false;
    }
    buf.commit(n);
  }

  const std::size_t used = framer.used();
  const auto& req = framer.request();
  RequestVerdict verdict;
  FaultId delay_fault = 0;
  auto snap = snap_;
  for (const auto& f : snap->requests) {
    // Rolled per request, in list order, from this connection's stream.
    if (!rng_.chance(f.probability)) continue;
    RequestVerdict v = f.request->on_request();
    if (v.status == 0 && v.response_delay_us == 0) continue;
    core_->fired.fetch_add(1, std::memory_order_relaxed);
    if (v.response_delay_us > verdict.response_delay_us) {
      verdict.response_delay_us = v.response_delay_us;
      delay_fault = f.id;
    }
    if (v.status) {
      verdict.status = v.status;
      break;
    }
  }
  at_boundary_ = true;  // we framed this request ourselves: the next byte starts a request

  if (verdict.status) {
    bool keep_alive = req.keep_alive();
    std::string answer = injected_response(verdict.status, req.version(), keep_alive, req.method() == http::verb::head);
    buf.consume(used);
    // The downstream pump may be finishing an earlier answer (a pipelining
    // client): never interleave two writes on the client socket.
    while (client_writing_ && !closed_) {
      timer_[up].expires_after(std::chrono::milliseconds(1));
      co_await timer_[up].async_wait(tuple_awaitable);
    }
    if (closed_) co_return false;
    client_writing_ = true;
    auto [ec, n] = co_await asio::async_write(sock_[up], asio::buffer(answer), tuple_awaitable);
    client_writing_ = false;
    if (ec || closed_ || !keep_alive) {
      close();
      co_return false;
    }
    co_return true;
  }
  if (verdict.response_delay_us > 0) {
    response_delay_us_ = verdict.response_delay_us;
    response_delay_fault_ = delay_fault;
  }
  bool go_on = co_await forward(up, static_cast<const char*>(buf.data().data()), used);
  buf.consume(used);
  co_return go_on;
}

}  // namespace firedrill::faults
