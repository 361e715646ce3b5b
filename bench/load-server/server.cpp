// load_bench_server: a tiny static HTTP/1.1 keep-alive server for bench/load
// to point wrk and `firedrill load` at. It answers every request, GET or
// POST, with the same 201 and a small JSON body once the request (headers
// and Content-Length body) has arrived. Listens on 127.0.0.1 only; must
// never be used for anything but the benchmark (it stores nothing and
// understands only Content-Length bodies).
//
//   load_bench_server PORT [THREADS]
#include <algorithm>
#include <array>
#include <cctype>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include <boost/asio.hpp>

namespace asio = boost::asio;
using tcp = asio::ip::tcp;

namespace {
constexpr std::string_view response =
    "HTTP/1.1 201 Created\r\nContent-Type: application/json\r\nContent-Length: 17\r\n\r\n{\"accepted\":true}";

// The Content-Length of a header block (0 when absent).
std::size_t content_length(std::string_view head) {
  constexpr std::string_view name = "\r\ncontent-length:";
  auto it = std::search(head.begin(), head.end(), name.begin(), name.end(),
                        [](char a, char b) { return std::tolower(static_cast<unsigned char>(a)) == b; });
  if (it == head.end()) return 0;
  std::size_t i = static_cast<std::size_t>(it - head.begin()) + name.size(), n = 0;
  while (i < head.size() && head[i] == ' ') ++i;
  while (i < head.size() && head[i] >= '0' && head[i] <= '9') n = n * 10 + static_cast<std::size_t>(head[i++] - '0');
  return n;
}

class Session : public std::enable_shared_from_this<Session> {
 public:
  explicit Session(tcp::socket s) : socket_(std::move(s)) {}
  void read() {
    if (in_.size() - used_ < 4096) {
      if (in_.size() >= 1024 * 1024) return;  // no request is that big: drop the connection
      in_.resize(in_.size() * 2);
    }
    socket_.async_read_some(asio::buffer(in_.data() + used_, in_.size() - used_),
                            [self = shared_from_this()](auto ec, std::size_t n) {
                              if (!ec) self->on_read(n);
                            });
  }

 private:
  void on_read(std::size_t n) {
    used_ += n;
    // Answer every complete request in the buffer (pipelining included).
    std::size_t requests = 0, start = 0;
    while (true) {
      std::string_view rest(in_.data() + start, used_ - start);
      auto end = rest.find("\r\n\r\n");
      if (end == std::string_view::npos) break;
      const std::size_t total = end + 4 + content_length(rest.substr(0, end + 2));
      if (rest.size() < total) break;
      start += total;
      ++requests;
    }
    std::copy(in_.begin() + static_cast<std::ptrdiff_t>(start), in_.begin() + static_cast<std::ptrdiff_t>(used_),
              in_.begin());
    used_ -= start;
    if (requests == 0) return read();
    out_.clear();
    for (std::size_t i = 0; i < requests; ++i) out_.append(response);
    asio::async_write(socket_, asio::buffer(out_), [self = shared_from_this()](auto ec, std::size_t) {
      if (!ec) self->read();
    });
  }

  tcp::socket socket_;
  std::vector<char> in_ = std::vector<char>(16 * 1024);
  std::size_t used_ = 0;
  std::string out_;
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
  const int port = argc > 1 ? std::atoi(argv[1]) : 0;
  const int threads = argc > 2 ? std::max(1, std::atoi(argv[2])) : 1;
  // One event loop and one SO_REUSEPORT listener per thread: the kernel
  // spreads connections over them.
  std::vector<std::unique_ptr<asio::io_context>> ios;
  std::vector<std::unique_ptr<tcp::acceptor>> acceptors;
  unsigned short bound = static_cast<unsigned short>(port);
  for (int t = 0; t < threads; ++t) {
    ios.push_back(std::make_unique<asio::io_context>(1));
    auto a = std::make_unique<tcp::acceptor>(*ios.back());
    tcp::endpoint ep(asio::ip::address_v4::loopback(), bound);
    a->open(ep.protocol());
    a->set_option(tcp::acceptor::reuse_address(true));
    a->set_option(asio::detail::socket_option::boolean<SOL_SOCKET, SO_REUSEPORT>(true));
    a->bind(ep);
    a->listen(asio::socket_base::max_listen_connections);
    bound = a->local_endpoint().port();
    accept(*a);
    acceptors.push_back(std::move(a));
  }
  std::printf("listening on 127.0.0.1:%d with %d thread%s\n", bound, threads, threads == 1 ? "" : "s");
  std::fflush(stdout);
  asio::signal_set signals(*ios[0], SIGINT, SIGTERM);
  signals.async_wait([&](auto, int) {
    for (auto& io : ios) io->stop();
  });
  std::vector<std::thread> pool;
  for (int t = 1; t < threads; ++t) pool.emplace_back([&io = *ios[t]] { io.run(); });
  ios[0]->run();
  for (auto& th : pool) th.join();
}
