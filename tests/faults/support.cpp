#include "support.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

namespace firedrill::faults::test {
namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;
constexpr auto tuple_awaitable = asio::as_tuple(asio::use_awaitable);

// ---- EchoServer ----

struct EchoServer::State {
  explicit State(asio::io_context& io) : acceptor(io, tcp::endpoint(asio::ip::address_v4::loopback(), 0)) {}
  tcp::acceptor acceptor;
};

namespace {
asio::awaitable<void> echo(tcp::socket s) {
  std::vector<char> buf(64 * 1024);
  for (;;) {
    auto [ec, n] = co_await s.async_read_some(asio::buffer(buf), tuple_awaitable);
    if (ec) break;
    auto [wec, w] = co_await asio::async_write(s, asio::buffer(buf.data(), n), tuple_awaitable);
    if (wec) break;
  }
  boost::system::error_code ignored;
  s.shutdown(tcp::socket::shutdown_send, ignored);
  s.close(ignored);
}

asio::awaitable<void> echo_accept(std::shared_ptr<EchoServer::State> st) {
  for (;;) {
    auto [ec, s] = co_await st->acceptor.async_accept(tuple_awaitable);
    if (ec == asio::error::operation_aborted || !st->acceptor.is_open()) co_return;
    if (!ec) asio::co_spawn(st->acceptor.get_executor(), echo(std::move(s)), asio::detached);
  }
}
}  // namespace

EchoServer::EchoServer(asio::io_context& io) : state_(std::make_shared<State>(io)) {
  asio::co_spawn(io, echo_accept(state_), asio::detached);
}
EchoServer::~EchoServer() {
  asio::post(state_->acceptor.get_executor(), [st = state_] { st->acceptor.close(); });
}
tcp::endpoint EchoServer::endpoint() const { return state_->acceptor.local_endpoint(); }

// ---- HttpUpstream ----

struct HttpUpstream::State {
  explicit State(asio::io_context& io) : acceptor(io, tcp::endpoint(asio::ip::address_v4::loopback(), 0)) {}
  tcp::acceptor acceptor;
  mutable std::mutex mu;
  std::vector<Clock::time_point> arrivals;
  std::vector<std::string> bodies;
};

namespace {
asio::awaitable<void> serve_http(std::shared_ptr<HttpUpstream::State> st, tcp::socket s) {
  beast::flat_buffer buf;
  for (;;) {
    http::request<http::string_body> req;
    auto [ec, n] = co_await http::async_read(s, buf, req, tuple_awaitable);
    if (ec) break;
    {
      std::lock_guard lock(st->mu);
      st->arrivals.push_back(Clock::now());
      st->bodies.push_back(req.body());
    }
    http::response<http::string_body> res{http::status::ok, req.version()};
    res.body() = "ok:" + req.body();
    res.keep_alive(req.keep_alive());
    res.prepare_payload();
    auto [wec, w] = co_await http::async_write(s, res, tuple_awaitable);
    if (wec || !req.keep_alive()) break;
  }
  boost::system::error_code ignored;
  s.shutdown(tcp::socket::shutdown_send, ignored);
}

asio::awaitable<void> http_accept(std::shared_ptr<HttpUpstream::State> st) {
  for (;;) {
    auto [ec, s] = co_await st->acceptor.async_accept(tuple_awaitable);
    if (ec == asio::error::operation_aborted || !st->acceptor.is_open()) co_return;
    if (!ec) asio::co_spawn(st->acceptor.get_executor(), serve_http(st, std::move(s)), asio::detached);
  }
}
}  // namespace

HttpUpstream::HttpUpstream(asio::io_context& io) : state_(std::make_shared<State>(io)) {
  asio::co_spawn(io, http_accept(state_), asio::detached);
}
HttpUpstream::~HttpUpstream() {
  asio::post(state_->acceptor.get_executor(), [st = state_] { st->acceptor.close(); });
}
tcp::endpoint HttpUpstream::endpoint() const { return state_->acceptor.local_endpoint(); }
int HttpUpstream::requests() const {
  std::lock_guard lock(state_->mu);
  return static_cast<int>(state_->arrivals.size());
}
std::vector<Clock::time_point> HttpUpstream::arrivals() const {
  std::lock_guard lock(state_->mu);
  return state_->arrivals;
}
std::vector<std::string> HttpUpstream::bodies() const {
  std::lock_guard lock(state_->mu);
  return state_->bodies;
}

// ---- Client ----

Client::~Client() {
  if (fd_ >= 0) ::close(fd_);
}

int Client::connect(int port) {
  if (fd_ >= 0) ::close(fd_);
  fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  int one = 1;
  ::setsockopt(fd_, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<std::uint16_t>(port));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::connect(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
    int e = errno;
    ::close(fd_);
    fd_ = -1;
    return e;
  }
  return 0;
}

bool Client::send_all(std::string_view data) {
  while (!data.empty()) {
    auto n = ::send(fd_, data.data(), data.size(), MSG_NOSIGNAL);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    data.remove_prefix(static_cast<std::size_t>(n));
  }
  return true;
}

long Client::recv_some(char* out, std::size_t size, milliseconds timeout) {
  pollfd p{fd_, POLLIN, 0};
  int r = ::poll(&p, 1, static_cast<int>(timeout.count()));
  if (r == 0) return -ETIMEDOUT;
  if (r < 0) return -errno;
  auto n = ::recv(fd_, out, size, 0);
  return n < 0 ? -errno : n;
}

std::string Client::read_up_to(std::size_t n, milliseconds timeout, long* end) {
  std::string got = std::exchange(pending_, {});
  auto deadline = Clock::now() + timeout;
  char buf[64 * 1024];
  long last = 1;
  while (got.size() < n) {
    auto left = std::chrono::duration_cast<milliseconds>(deadline - Clock::now());
    if (left.count() <= 0) {
      last = -ETIMEDOUT;
      break;
    }
    last = recv_some(buf, std::min(sizeof buf, n - got.size()), left);
    if (last <= 0) break;
    got.append(buf, static_cast<std::size_t>(last));
  }
  if (end) *end = last > 0 ? 1 : last;
  return got;
}

void Client::shutdown_write() { ::shutdown(fd_, SHUT_WR); }

int Client::http(std::string_view method, std::string_view path, std::string_view body, milliseconds timeout) {
  std::string req = std::string(method) + " " + std::string(path) + " HTTP/1.1\r\nHost: dependency\r\n";
  if (!body.empty() || method == "POST") req += "Content-Length: " + std::to_string(body.size()) + "\r\n";
  req += "\r\n";
  req += body;
  if (!send_all(req)) return -1;
  auto deadline = Clock::now() + timeout;
  std::string in = std::exchange(pending_, {});
  char buf[16 * 1024];
  auto fill = [&]() {
    auto left = std::chrono::duration_cast<milliseconds>(deadline - Clock::now());
    if (left.count() <= 0) return false;
    long n = recv_some(buf, sizeof buf, left);
    if (n <= 0) return false;
    in.append(buf, static_cast<std::size_t>(n));
    return true;
  };
  std::size_t head_end;
  while ((head_end = in.find("\r\n\r\n")) == std::string::npos)
    if (!fill()) return -1;
  std::string head = in.substr(0, head_end);
  if (head.size() < 12 || head.compare(0, 5, "HTTP/") != 0) return -1;
  int status = std::atoi(head.c_str() + 9);
  std::size_t length = 0;
  for (std::size_t at = 0; (at = head.find("\r\n", at)) != std::string::npos;) {
    at += 2;
    if (strncasecmp(head.c_str() + at, "content-length:", 15) == 0) length = std::strtoul(head.c_str() + at + 15, nullptr, 10);
  }
  while (in.size() < head_end + 4 + length)
    if (!fill()) return -1;
  pending_ = in.substr(head_end + 4 + length);
  return status;
}

bool eventually(const std::function<bool()>& cond, milliseconds timeout) {
  auto deadline = Clock::now() + timeout;
  while (Clock::now() < deadline) {
    if (cond()) return true;
    std::this_thread::sleep_for(milliseconds(5));
  }
  return cond();
}

std::string pattern(std::size_t offset, std::size_t n) {
  std::string out(n, '\0');
  for (std::size_t i = 0; i < n; ++i) {
    std::uint64_t x = (offset + i) * 0x9e3779b97f4a7c15ULL;
    out[i] = static_cast<char>((x >> 56) ^ ((offset + i) >> 16));
  }
  return out;
}

double seconds_since(Clock::time_point t) { return std::chrono::duration<double>(Clock::now() - t).count(); }

}  // namespace firedrill::faults::test
