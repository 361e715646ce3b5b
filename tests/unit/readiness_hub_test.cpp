// net/readiness_hub: reads that wait for the kernel's word instead of
// trying first. Each case is one a wrong edge-triggered reader gets wrong:
// bytes that come later, bytes and the end together (the end raises no
// edge of its own once read past), a removal mid-wait, and an event loop
// that must still run dry when nobody reads.
#include <gtest/gtest.h>
#include <sys/socket.h>
#include <unistd.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <string>
#include <thread>

#include "net/readiness_hub.hpp"

namespace firedrill::net {
namespace {
namespace asio = boost::asio;
using boost::system::error_code;

struct Pair {
  Pair() { EXPECT_EQ(::socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0, fd), 0); }
  ~Pair() {
    for (int f : fd)
      if (f >= 0) ::close(f);
  }
  void send(const std::string& s) { ASSERT_EQ(::write(fd[1], s.data(), s.size()), static_cast<ssize_t>(s.size())); }
  void close_peer() {
    ::close(fd[1]);
    fd[1] = -1;
  }
  int fd[2] = {-1, -1};
};

// Reads until EOF or error; returns the bytes and the final error.
asio::awaitable<std::pair<std::string, error_code>> read_all(ReadinessHub::Registration& r) {
  std::string got;
  char buf[4];  // small: several reads per message, some of them full
  while (true) {
    auto [ec, n] = co_await ReadinessHub::read_some(r, buf, sizeof buf);
    if (ec) co_return std::pair{got, ec};
    got.append(buf, n);
  }
}

TEST(ReadinessHub, ReadsBytesThatComeLaterThenTheEnd) {
  asio::io_context io;
  ReadinessHub hub(io.get_executor());
  Pair p;
  auto reg = hub.add(p.fd[0]);
  ASSERT_TRUE(reg);
  std::pair<std::string, error_code> result;
  asio::co_spawn(io, read_all(*reg), [&](std::exception_ptr, auto r) { result = r; });
  asio::steady_timer later(io, std::chrono::milliseconds(20));
  later.async_wait([&](error_code) {
    p.send("hello, ");
    later.expires_after(std::chrono::milliseconds(20));
    later.async_wait([&](error_code) {
      p.send("world");
      p.close_peer();
    });
  });
  io.run_for(std::chrono::seconds(10));
  EXPECT_EQ(result.first, "hello, world");
  EXPECT_EQ(result.second, asio::error::eof);
}

TEST(ReadinessHub, BytesAndTheEndTogetherAreBothRead) {
  // The end arrives with the last bytes: a short read drains the bytes,
  // and no further edge will say the end is there.
  asio::io_context io;
  ReadinessHub hub(io.get_executor());
  Pair p;
  auto reg = hub.add(p.fd[0]);
  ASSERT_TRUE(reg);
  std::pair<std::string, error_code> result;
  bool done = false;
  asio::co_spawn(io, read_all(*reg), [&](std::exception_ptr, auto r) {
    result = r;
    done = true;
  });
  io.poll();  // the reader now waits on an empty socket
  p.send("abcdefg");  // 4 + 3: the second read comes back short
  p.close_peer();
  io.run_for(std::chrono::seconds(10));
  ASSERT_TRUE(done) << "the end was never read";
  EXPECT_EQ(result.first, "abcdefg");
  EXPECT_EQ(result.second, asio::error::eof);
}

TEST(ReadinessHub, RemovalEndsAWaitingRead) {
  asio::io_context io;
  ReadinessHub hub(io.get_executor());
  Pair p;
  auto reg = hub.add(p.fd[0]);
  ASSERT_TRUE(reg);
  std::pair<std::string, error_code> result;
  asio::co_spawn(io, read_all(*reg), [&](std::exception_ptr, auto r) { result = r; });
  asio::steady_timer later(io, std::chrono::milliseconds(20));
  later.async_wait([&](error_code) { reg->remove(); });
  io.run_for(std::chrono::seconds(10));
  EXPECT_EQ(result.second, asio::error::operation_aborted);
}

TEST(ReadinessHub, TheLoopRunsDryOnceNobodyReads) {
  // An outstanding wait on the epoll set is work: run() would never return.
  asio::io_context io;
  ReadinessHub hub(io.get_executor());
  Pair p;
  auto reg = hub.add(p.fd[0]);
  ASSERT_TRUE(reg);
  bool done = false;
  asio::co_spawn(io, [&]() -> asio::awaitable<void> {
    char buf[16];
    auto [ec, n] = co_await ReadinessHub::read_some(*reg, buf, sizeof buf);
    EXPECT_FALSE(ec);
    EXPECT_EQ(n, 2u);
    done = true;
  }, asio::detached);
  std::thread writer([&] {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
    p.send("hi");
  });
  const auto start = std::chrono::steady_clock::now();
  io.run();  // returns only if nothing is left outstanding
  writer.join();
  EXPECT_TRUE(done);
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(10));
}

TEST(ReadinessHub, ManySocketsEachGetTheirOwnBytes) {
  asio::io_context io;
  ReadinessHub hub(io.get_executor());
  constexpr int n = 50;
  std::vector<std::unique_ptr<Pair>> pairs;
  std::vector<std::unique_ptr<ReadinessHub::Registration>> regs;
  std::vector<std::pair<std::string, error_code>> results(n);
  for (int i = 0; i < n; ++i) {
    pairs.push_back(std::make_unique<Pair>());
    regs.push_back(hub.add(pairs.back()->fd[0]));
    ASSERT_TRUE(regs.back());
    asio::co_spawn(io, read_all(*regs.back()), [&, i](std::exception_ptr, auto r) { results[i] = r; });
  }
  io.poll();
  for (int i = n - 1; i >= 0; --i) {
    pairs[i]->send("socket " + std::to_string(i));
    pairs[i]->close_peer();
  }
  io.run_for(std::chrono::seconds(10));
  for (int i = 0; i < n; ++i) {
    EXPECT_EQ(results[i].first, "socket " + std::to_string(i));
    EXPECT_EQ(results[i].second, asio::error::eof);
  }
}

}  // namespace
}  // namespace firedrill::net
