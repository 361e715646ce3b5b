// net/readiness_hub: reads that wait for the kernel's word instead of
// trying first. Each case is one a wrong edge-triggered reader gets wrong:
// bytes that come later, bytes and the end together (the end raises no
// edge of its own once read past), a removal mid-wait, and an event loop
// that must still run dry when nobody reads; and a fast path that forwards
// bytes without waking the reader must lose none and pass on its errors.
#include <gtest/gtest.h>
#include <sys/socket.h>
#include <unistd.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <algorithm>
#include <string>
#include <thread>
#include <vector>

#include "faults/readiness_hub.hpp"

namespace firedrill::faults {
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

// A socket pair whose reading end is in the hub, with read_all running on it.
struct Reader {
  Pair pair;
  std::unique_ptr<ReadinessHub::Registration> reg;
  std::pair<std::string, error_code> result;
  bool done = false;
};

// Every case runs with the hub's sends batched through io_uring and with
// plain sends (a kernel without io_uring, or a seccomp profile that
// forbids it).
class ReadinessHubTest : public ::testing::TestWithParam<SendBatch::Mode> {
 protected:
  std::unique_ptr<Reader> start_reader() {
    auto r = std::make_unique<Reader>();
    r->reg = hub.add(r->pair.fd[0]);
    EXPECT_TRUE(r->reg);
    if (!r->reg) return r;
    asio::co_spawn(io, read_all(*r->reg), [r = r.get()](std::exception_ptr, auto result) {
      r->result = result;
      r->done = true;
    });
    return r;
  }
  asio::io_context io;
  ReadinessHub hub{io.get_executor(), GetParam()};
};

INSTANTIATE_TEST_SUITE_P(Sends, ReadinessHubTest,
                         ::testing::Values(SendBatch::Mode::io_uring_if_available, SendBatch::Mode::plain_sends),
                         [](const auto& info) {
                           return info.param == SendBatch::Mode::plain_sends ? "Plain" : "Batched";
                         });

TEST_P(ReadinessHubTest, ReadsBytesThatComeLaterThenTheEnd) {
  auto r = start_reader();
  asio::steady_timer later(io, std::chrono::milliseconds(20));
  later.async_wait([&](error_code) {
    r->pair.send("hello, ");
    later.expires_after(std::chrono::milliseconds(20));
    later.async_wait([&](error_code) {
      r->pair.send("world");
      r->pair.close_peer();
    });
  });
  io.run_for(std::chrono::seconds(10));
  EXPECT_EQ(r->result.first, "hello, world");
  EXPECT_EQ(r->result.second, asio::error::eof);
}

TEST_P(ReadinessHubTest, BytesAndTheEndTogetherAreBothRead) {
  // The end arrives with the last bytes: a short read drains the bytes,
  // and no further edge will say the end is there.
  auto r = start_reader();
  io.poll();  // the reader now waits on an empty socket
  r->pair.send("abcdefg");  // 4 + 3: the second read comes back short
  r->pair.close_peer();
  io.run_for(std::chrono::seconds(10));
  ASSERT_TRUE(r->done) << "the end was never read";
  EXPECT_EQ(r->result.first, "abcdefg");
  EXPECT_EQ(r->result.second, asio::error::eof);
}

TEST_P(ReadinessHubTest, RemovalEndsAWaitingRead) {
  auto r = start_reader();
  asio::steady_timer later(io, std::chrono::milliseconds(20));
  later.async_wait([&](error_code) { r->reg->remove(); });
  io.run_for(std::chrono::seconds(10));
  EXPECT_EQ(r->result.second, asio::error::operation_aborted);
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

TEST_P(ReadinessHubTest, ManySocketsEachGetTheirOwnBytes) {
  std::vector<std::unique_ptr<Reader>> readers;
  for (int i = 0; i < 50; ++i) readers.push_back(start_reader());
  io.poll();
  for (int i = 49; i >= 0; --i) {
    readers[i]->pair.send("socket " + std::to_string(i));
    readers[i]->pair.close_peer();
  }
  io.run_for(std::chrono::seconds(10));
  for (int i = 0; i < 50; ++i) {
    EXPECT_EQ(readers[i]->result.first, "socket " + std::to_string(i));
    EXPECT_EQ(readers[i]->result.second, asio::error::eof);
  }
}

// A fast path that forwards to a socket pair of its own (what it took
// reads at out.fd[1]); declines after `forwards` sends (unlimited: -1).
struct Forwarder final : ReadinessHub::FastPath {
  Forwarder() { plain = true; }
  Pair out;
  long forwards = -1;
  int calls = 0;
  std::size_t counted = 0;
  error_code failed;
  int forward_to() override {
    ++calls;
    if (forwards == 0) {
      plain = false;  // as a pump does once a fault came
      return -1;
    }
    if (forwards > 0) --forwards;
    return out.fd[0];
  }
  void forwarded(error_code ec, std::size_t sent) override {
    counted += sent;
    if (ec) failed = ec;
  }
  std::string taken() {
    std::string got;
    char buf[4096];
    ssize_t n;
    while ((n = ::read(out.fd[1], buf, sizeof buf)) > 0) got.append(buf, static_cast<std::size_t>(n));
    return got;
  }
};

// Lets `f` forward what `r` reads, sends `bytes` and the end, and runs
// until the reader has its result.
void forward_then_end(asio::io_context& io, Reader& r, Forwarder& f, const std::string& bytes) {
  r.reg->set_fast_path(&f);
  io.poll();  // the reader now waits
  r.pair.send(bytes);
  r.pair.close_peer();
  io.run_for(std::chrono::seconds(10));
  ASSERT_TRUE(r.done);
}

TEST_P(ReadinessHubTest, TheFastPathPassesBytesOnWithoutWakingTheReader) {
  auto r = start_reader();
  Forwarder f;
  r->reg->set_fast_path(&f);
  io.poll();  // the reader now waits
  r->pair.send("abcdefghij");  // 4 + 4 + 2 with the reader's 4-byte buffer
  io.poll();
  EXPECT_EQ(f.taken(), "abcdefghij");
  EXPECT_FALSE(r->done);
  r->pair.send("klm");  // a later edge: forwarded too
  io.poll();
  EXPECT_EQ(f.taken(), "klm");
  EXPECT_EQ(f.counted, 13u);
  r->pair.close_peer();  // the end is the reader's
  io.run_for(std::chrono::seconds(10));
  ASSERT_TRUE(r->done);
  EXPECT_EQ(r->result.first, "");
  EXPECT_EQ(r->result.second, asio::error::eof);
}

TEST_P(ReadinessHubTest, ManySocketsForwardInOneBatchEachToItsOwnPeer) {
  std::vector<std::unique_ptr<Reader>> readers;
  std::vector<std::unique_ptr<Forwarder>> forwarders;
  for (int i = 0; i < 5; ++i) {
    readers.push_back(start_reader());
    forwarders.push_back(std::make_unique<Forwarder>());
    readers.back()->reg->set_fast_path(forwarders.back().get());
  }
  io.poll();
  for (int i = 0; i < 5; ++i) readers[i]->pair.send("socket " + std::to_string(i) + " says hello");
  io.poll();
  for (int i = 0; i < 5; ++i) {
    EXPECT_EQ(forwarders[i]->taken(), "socket " + std::to_string(i) + " says hello");
    EXPECT_FALSE(readers[i]->done);
  }
}

TEST_P(ReadinessHubTest, WhatTheFastPathDeclinesGoesToTheReaderInOrder) {
  auto r = start_reader();
  Forwarder f;
  f.forwards = 1;  // takes the first read ("abcd"), then declines
  forward_then_end(io, *r, f, "abcdefgh");
  EXPECT_EQ(f.taken(), "abcd");
  EXPECT_EQ(r->result.first, "efgh");  // nothing lost, nothing twice
  EXPECT_EQ(r->result.second, asio::error::eof);
}

TEST_P(ReadinessHubTest, WhatAFullPeerDoesNotTakeGoesToTheReaderInOrder) {
  auto r = start_reader();
  Forwarder f;
  // Fill the forwarder's socket until the kernel takes no more.
  const std::string filler(4096, 'x');
  std::size_t filled = 0;
  ssize_t n;
  while ((n = ::send(f.out.fd[0], filler.data(), filler.size(), MSG_DONTWAIT)) > 0) filled += static_cast<std::size_t>(n);
  forward_then_end(io, *r, f, "abcdefgh");
  EXPECT_EQ(f.counted, 0u);
  EXPECT_EQ(f.taken().size(), filled);  // only the filler: none of the reader's bytes
  EXPECT_EQ(r->result.first, "abcdefgh");
  EXPECT_EQ(r->result.second, asio::error::eof);
}

TEST_P(ReadinessHubTest, AFailedForwardEndsTheReadWithItsError) {
  auto r = start_reader();
  Forwarder f;
  ::close(f.out.fd[1]);  // the forwarder's peer is gone: its send fails
  f.out.fd[1] = -1;
  r->reg->set_fast_path(&f);
  io.poll();
  r->pair.send("abc");
  io.run_for(std::chrono::seconds(10));
  ASSERT_TRUE(r->done);
  EXPECT_EQ(f.calls, 1);
  EXPECT_EQ(f.failed, asio::error::broken_pipe);
  EXPECT_EQ(r->result.second, asio::error::broken_pipe);
}

}  // namespace
}  // namespace firedrill::faults
