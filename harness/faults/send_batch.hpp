// The sends of one batch of readiness events, made in one system call.
//
// Why: the proxy usually shares a core with the server it fronts. A send
// to the server wakes it, and a server woken while the proxy still has
// requests to forward preempts the proxy at the send's return: the server
// then answers one request per wake-up, and the two ping-pong (perf sched
// timehist in bench/PERFORMANCE.md). Queued here and submitted together
// through io_uring, every send of the batch is made before the proxy can
// be preempted, and the server wakes once to find them all.
//
// Where the kernel has no io_uring, or refuses it (a seccomp profile, the
// io_uring_disabled sysctl), add() sends at once with send(2): the same
// results, one system call each. Never blocks: every send is non-blocking,
// and a full socket reports 0 bytes sent. One batch per event loop, used
// from its thread only.
#pragma once
#include <cstddef>
#include <memory>
#include <span>
#include <sys/types.h>

namespace firedrill::faults {

class SendBatch {
 public:
  enum class Mode { io_uring_if_available, plain_sends };
  explicit SendBatch(Mode mode = Mode::io_uring_if_available);
  ~SendBatch();
  SendBatch(const SendBatch&) = delete;
  SendBatch& operator=(const SendBatch&) = delete;

  // Whether sends go through io_uring (false: plain send(2) each).
  bool batched() const;

  static constexpr unsigned capacity = 64;
  struct Sent {
    void* tag;
    ssize_t result;  // bytes sent (>= 0; 0 for a full socket), or -errno
  };

  // Send `size` bytes of `data` on `fd`; `data` must stay put until
  // flush(). At most one send per descriptor per batch, so the bytes of a
  // stream keep their order. Returns false when the batch is full: flush
  // first.
  bool add(int fd, const char* data, std::size_t size, void* tag);
  // Makes every send added since the last flush; returns each one's tag
  // and result, in the order added (valid until the next add()).
  std::span<const Sent> flush();

 private:
  struct Ring;
  void drop_ring();
  std::unique_ptr<Ring> ring_;  // null: plain sends
  Sent sent_[capacity];
  struct Pending {  // what a queued send is, should the ring fail
    int fd;
    const char* data;
    std::size_t size;
  };
  Pending pending_[capacity];
  unsigned count_ = 0;
};

}  // namespace firedrill::faults
