// faults/send_batch: the sends of one batch, made together. Through
// io_uring and plainly alike: each send's bytes reach its own socket, a
// full socket takes 0 bytes (never an error, never a wait), a socket whose
// peer is gone reports its error, and results come back in the order the
// sends were added.
#include <gtest/gtest.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <string>

#include "faults/send_batch.hpp"

namespace firedrill::faults {
namespace {

struct Pair {
  Pair() { EXPECT_EQ(::socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0, fd), 0); }
  ~Pair() {
    for (int f : fd)
      if (f >= 0) ::close(f);
  }
  std::string drain() {
    std::string got;
    char buf[4096];
    ssize_t n;
    while ((n = ::read(fd[1], buf, sizeof buf)) > 0) got.append(buf, static_cast<std::size_t>(n));
    return got;
  }
  int fd[2] = {-1, -1};
};

class SendBatchTest : public ::testing::TestWithParam<SendBatch::Mode> {};

INSTANTIATE_TEST_SUITE_P(Modes, SendBatchTest,
                         ::testing::Values(SendBatch::Mode::io_uring_if_available, SendBatch::Mode::plain_sends),
                         [](const auto& info) {
                           return info.param == SendBatch::Mode::plain_sends ? "Plain" : "Batched";
                         });

TEST_P(SendBatchTest, EachSendReachesItsSocketAndResultsComeInOrder) {
  SendBatch batch(GetParam());
  if (GetParam() == SendBatch::Mode::plain_sends) {
    EXPECT_FALSE(batch.batched());
  }
  Pair a, b, full, gone;
  std::size_t filled = 0;
  const std::string filler(4096, 'x');
  ssize_t n;
  while ((n = ::send(full.fd[0], filler.data(), filler.size(), MSG_DONTWAIT)) > 0) filled += static_cast<std::size_t>(n);
  ::close(gone.fd[1]);
  gone.fd[1] = -1;
  int tags[4] = {0, 1, 2, 3};
  ASSERT_TRUE(batch.add(a.fd[0], "first", 5, &tags[0]));
  ASSERT_TRUE(batch.add(full.fd[0], "no room", 7, &tags[1]));
  ASSERT_TRUE(batch.add(gone.fd[0], "nobody", 6, &tags[2]));
  ASSERT_TRUE(batch.add(b.fd[0], "second", 6, &tags[3]));
  const auto results = batch.flush();
  ASSERT_EQ(results.size(), 4u);
  for (int i = 0; i < 4; ++i) EXPECT_EQ(results[i].tag, &tags[i]);
  EXPECT_EQ(results[0].result, 5);
  EXPECT_EQ(results[1].result, 0);  // full: nothing taken, no error
  EXPECT_EQ(results[2].result, -EPIPE);
  EXPECT_EQ(results[3].result, 6);
  EXPECT_EQ(a.drain(), "first");
  EXPECT_EQ(b.drain(), "second");
  EXPECT_EQ(full.drain().size(), filled);
  EXPECT_TRUE(batch.flush().empty());  // a flush makes each send once
}

TEST_P(SendBatchTest, AFullBatchSaysSoAndTheNextOneStartsEmpty) {
  SendBatch batch(GetParam());
  Pair p;
  int tag = 0;
  for (unsigned i = 0; i < SendBatch::capacity; ++i) ASSERT_TRUE(batch.add(p.fd[0], "x", 1, &tag));
  EXPECT_FALSE(batch.add(p.fd[0], "x", 1, &tag));
  EXPECT_EQ(batch.flush().size(), SendBatch::capacity);
  EXPECT_EQ(p.drain(), std::string(SendBatch::capacity, 'x'));
  EXPECT_TRUE(batch.add(p.fd[0], "y", 1, &tag));
  EXPECT_EQ(batch.flush().size(), 1u);
  EXPECT_EQ(p.drain(), "y");
}

TEST(SendBatch, UsesIoUringWhereTheKernelHasIt) {
  SendBatch batch;
  if (!batch.batched()) GTEST_SKIP() << "this kernel refuses io_uring (io_uring_disabled, or a seccomp profile): plain sends";
  SUCCEED();
}

}  // namespace
}  // namespace firedrill::faults
