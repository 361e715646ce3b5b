#include "faults/send_batch.hpp"

#include <liburing.h>
#include <sys/socket.h>

#include <cerrno>
#include <limits>

namespace firedrill::faults {

struct SendBatch::Ring {
  io_uring ring{};
};

namespace {
constexpr int send_flags = MSG_DONTWAIT | MSG_NOSIGNAL;

// One plain non-blocking send: a full socket is 0 bytes, not an error.
ssize_t send_now(int fd, const char* data, std::size_t size) {
  while (true) {
    const ssize_t n = ::send(fd, data, size, send_flags);
    if (n >= 0) return n;
    if (errno == EINTR) continue;
    return errno == EAGAIN || errno == EWOULDBLOCK ? 0 : -errno;
  }
}
}  // namespace

SendBatch::SendBatch(Mode mode) {
  if (mode != Mode::io_uring_if_available) return;
  auto r = std::make_unique<Ring>();
  io_uring_params params{};
  // Every entry submitted even when one fails; completions posted without
  // an interrupt to this thread (it reaps them itself right away).
  params.flags = IORING_SETUP_SUBMIT_ALL | IORING_SETUP_COOP_TASKRUN;
  if (io_uring_queue_init_params(capacity, &r->ring, &params) < 0) {
    params = {};  // an older kernel: without the flags
    if (io_uring_queue_init_params(capacity, &r->ring, &params) < 0) return;
  }
  ring_ = std::move(r);
}

SendBatch::~SendBatch() { drop_ring(); }

void SendBatch::drop_ring() {
  if (!ring_) return;
  io_uring_queue_exit(&ring_->ring);
  ring_.reset();
}

bool SendBatch::batched() const { return ring_ != nullptr; }

bool SendBatch::add(int fd, const char* data, std::size_t size, void* tag) {
  if (count_ == capacity) return false;
  if (ring_) {
    io_uring_sqe* sqe = io_uring_get_sqe(&ring_->ring);
    if (!sqe) return false;
    // MSG_DONTWAIT makes io_uring answer -EAGAIN for a full socket instead
    // of waiting for room on its own.
    io_uring_prep_send(sqe, fd, data, size, send_flags);
    io_uring_sqe_set_data64(sqe, count_);
    sent_[count_] = {tag, 0};
    pending_[count_] = {fd, data, size};
  } else {
    sent_[count_] = {tag, send_now(fd, data, size)};
  }
  ++count_;
  return true;
}

std::span<const SendBatch::Sent> SendBatch::flush() {
  const unsigned n = count_;
  count_ = 0;
  if (n == 0 || !ring_) return {sent_, n};
  int submitted;
  do submitted = io_uring_submit(&ring_->ring);
  while (submitted == -EINTR);
  if (submitted < 0) {
    // The kernel took none of them: the ring goes (its queued entries with
    // it, so nothing is sent twice), and these sends and every later one
    // are made plainly.
    drop_ring();
    for (unsigned i = 0; i < n; ++i) sent_[i].result = send_now(pending_[i].fd, pending_[i].data, pending_[i].size);
    return {sent_, n};
  }
  // Non-blocking sends complete while they are submitted; waiting is for
  // the unexpected case only, and cannot last (none of them can block).
  constexpr ssize_t unknown = std::numeric_limits<ssize_t>::min();  // no result is this
  for (unsigned i = 0; i < n; ++i) sent_[i].result = unknown;
  for (unsigned done = 0; done < n;) {
    io_uring_cqe* cqe = nullptr;
    int err = io_uring_peek_cqe(&ring_->ring, &cqe);
    if (err != 0) err = io_uring_wait_cqe(&ring_->ring, &cqe);
    if (err == -EINTR) continue;
    if (err != 0) {
      // The ring itself failed: what it did not report counts as failed
      // (the connection ends), and the ring goes, never to be trusted again.
      for (unsigned i = 0; i < n; ++i)
        if (sent_[i].result == unknown) sent_[i].result = err;
      drop_ring();
      break;
    }
    const auto index = static_cast<unsigned>(io_uring_cqe_get_data64(cqe));
    const int res = cqe->res;
    io_uring_cqe_seen(&ring_->ring, cqe);
    if (index >= n || sent_[index].result != unknown) continue;
    sent_[index].result = res == -EAGAIN ? 0 : res;
    ++done;
  }
  return {sent_, n};
}

}  // namespace firedrill::faults
