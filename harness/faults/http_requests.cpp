// The HTTP mode of a connection's upstream pump: frame one whole request,
// let the request faults decide (answer it ourselves, or forward it and
// hold its answer), then forward the request's exact bytes. Entered only
// while an HTTP fault with probability > 0 is active and the stream is at a
// request boundary, so with no such fault no byte is ever parsed or held
// (Toxiproxy #603). Must never alter the bytes of a request it forwards.
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
    auto [ec, n] = co_await ReadinessHub::read_some(reg_[up].get(), sock_[up], buf.prepare(read_bytes));
    if (ec || closed_) {
      // A partial request and then the end: pass on what came, then end as usual.
      if (buf.size() > 0 && !closed_) {
        note_flow(up);
        faults();
        auto snap = snap_;
        if (!co_await pass_on(up, *snap, 0, static_cast<const char*>(buf.data().data()), buf.size())) co_return false;
        buf.consume(buf.size());
      }
      co_await end_of_stream(up, ec);
      co_return false;
    }
    buf.commit(n);
  }

  const std::size_t used = framer.used();
  const auto& req = framer.request();
  int status = 0;
  faults();
  auto snap = snap_;
  for (const auto& f : snap->requests) {
    // Rolled per request, in list order, from this connection's stream.
    if (!rng_.chance(f.probability)) continue;
    const auto verdict = f.request->on_request(slot(f).flow[down]);
    if (verdict.acted) core_->fired.fetch_add(1, std::memory_order_relaxed);
    if (verdict.status) {
      status = verdict.status;
      break;
    }
  }
  at_boundary_ = true;  // framed here: the next byte starts a request

  if (status) {
    const bool keep_alive = req.keep_alive();
    const std::string answer = injected_response(status, req.version(), keep_alive, req.method() == http::verb::head);
    buf.consume(used);
    // Written as the answers from upstream are (write() of the downstream
    // side): after any answer still being written, bounded like it.
    if (!co_await write(down, answer.data(), answer.size())) co_return false;
    if (!keep_alive) {
      close();
      co_return false;
    }
    co_return true;
  }
  // Forwarded as the raw path does, through the upstream chain.
  const bool go_on = co_await pass_on(up, *snap, 0, static_cast<const char*>(buf.data().data()), used);
  buf.consume(used);
  co_return go_on;
}

}  // namespace firedrill::faults
