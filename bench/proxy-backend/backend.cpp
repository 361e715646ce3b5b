// proxy_bench_backend: the smallest fast HTTP/1.1 keep-alive server we can
// write, for bench/proxy to measure proxies in front of. Answers every
// body-less request with a fixed 200. Listens on 127.0.0.1 only; must never
// be used for anything but the benchmark (it ignores request bodies).
#include <array>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string_view>

#include <boost/asio.hpp>

namespace asio = boost::asio;
using tcp = asio::ip::tcp;

namespace {
constexpr std::string_view response =
    "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 13\r\n\r\nhello, world\n";

class Session : public std::enable_shared_from_this<Session> {
 public:
  explicit Session(tcp::socket s) : socket_(std::move(s)) {}
  void read() {
    socket_.async_read_some(asio::buffer(in_), [self = shared_from_this()](auto ec, std::size_t n) {
      if (ec) return;
      self->on_read(n);
    });
  }

 private:
  void on_read(std::size_t n) {
    // Count request ends ("\r\n\r\n"), carrying the match state across reads.
    std::size_t requests = 0;
    for (std::size_t i = 0; i < n; ++i) {
      char c = in_[i];
      match_ = (c == "\r\n\r\n"[match_]) ? match_ + 1 : (c == '\r' ? 1 : 0);
      if (match_ == 4) {
        ++requests;
        match_ = 0;
      }
    }
    if (requests == 0) return read();
    out_.clear();
    for (std::size_t i = 0; i < requests; ++i) out_.append(response);
    asio::async_write(socket_, asio::buffer(out_), [self = shared_from_this()](auto ec, std::size_t) {
      if (!ec) self->read();
    });
  }

  tcp::socket socket_;
  std::array<char, 16 * 1024> in_{};
  std::string out_;
  int match_ = 0;
};

void accept(tcp::acceptor& a) {
  a.async_accept([&a](auto ec, tcp::socket s) {
    if (!ec) {
      s.set_option(tcp::no_delay(true));
      std::make_shared<Session>(std::move(s))->read();
    }
    accept(a);
  });
}
}  // namespace

int main(int argc, char** argv) {
  int port = argc > 1 ? std::atoi(argv[1]) : 0;
  asio::io_context io(1);
  tcp::acceptor a(io, tcp::endpoint(asio::ip::address_v4::loopback(), static_cast<unsigned short>(port)));
  std::printf("listening on 127.0.0.1:%d\n", a.local_endpoint().port());
  std::fflush(stdout);
  accept(a);
  asio::signal_set signals(io, SIGINT, SIGTERM);
  signals.async_wait([&](auto, int) { io.stop(); });
  io.run();
}
