#include "loopback.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>

#include "fuzz_check.hpp"

namespace firedrill::fuzz {
namespace asio = boost::asio;
using tcp = asio::ip::tcp;

namespace {
constexpr auto nothrow = asio::as_tuple(asio::use_awaitable);
}

CannedServer::CannedServer(asio::io_context& io)
    : acceptor_(io, tcp::endpoint(asio::ip::address_v4::loopback(), 0)), endpoint_(acceptor_.local_endpoint()) {
  asio::co_spawn(io, accept_loop(), asio::detached);
}

asio::awaitable<void> CannedServer::accept_loop() {
  while (true) {
    auto [ec, socket] = co_await acceptor_.async_accept(nothrow);
    if (ec == asio::error::operation_aborted) co_return;
    if (ec) continue;
    asio::co_spawn(acceptor_.get_executor(), session(std::move(socket)), asio::detached);
  }
}

asio::awaitable<void> CannedServer::session(tcp::socket socket) {
  const std::string answer = answer_;
  co_await asio::async_write(socket, asio::buffer(answer), nothrow);
  boost::system::error_code ignored;
  socket.shutdown(tcp::socket::shutdown_send, ignored);
  char drop[4096];
  while (true) {
    auto [ec, n] = co_await socket.async_read_some(asio::buffer(drop), nothrow);
    if (ec) break;
  }
}

void CannedServer::close() {
  boost::system::error_code ignored;
  acceptor_.close(ignored);
}

void run_until(asio::io_context& io, const std::function<bool()>& done, std::chrono::milliseconds limit) {
  io.restart();
  auto deadline = std::chrono::steady_clock::now() + limit;
  while (!done()) {
    io.run_one_for(std::chrono::milliseconds(100));
    FUZZ_CHECK(std::chrono::steady_clock::now() < deadline);
  }
}

void drain(asio::io_context& io, std::chrono::milliseconds limit) {
  io.restart();
  io.run_for(limit);
  FUZZ_CHECK(io.stopped());
}

namespace {
// A named coroutine, not a lambda: gcc 12 warns (falsely) about lambda
// coroutine frames with Asio's frame allocator.
asio::awaitable<void> send_and_read(tcp::endpoint to, std::string_view request, std::size_t limit,
                                    std::string& answer) {
  tcp::socket s(co_await asio::this_coro::executor);
  auto [cec] = co_await s.async_connect(to, nothrow);
  FUZZ_CHECK(!cec);
  co_await asio::async_write(s, asio::buffer(request), nothrow);
  boost::system::error_code ignored;
  s.shutdown(tcp::socket::shutdown_send, ignored);
  char buf[4096];
  while (answer.size() < limit) {
    auto [ec, n] = co_await s.async_read_some(asio::buffer(buf), nothrow);
    answer.append(buf, n);
    if (ec) break;
  }
}
}  // namespace

std::string exchange(asio::io_context& io, tcp::endpoint to, std::string_view request, std::size_t limit) {
  std::string answer;
  bool finished = false;
  asio::co_spawn(io, send_and_read(to, request, limit, answer), [&](std::exception_ptr e) {
    FUZZ_CHECK(!e);
    finished = true;
  });
  run_until(io, [&] { return finished; });
  return answer;
}

}  // namespace firedrill::fuzz
