// Read readiness for many sockets through one nested epoll set, so a read
// is tried only once the kernel said there is something to read.
//
// Why: Asio 1.81's reactor tries every async read at once, before waiting
// (on a request/response stream that recv nearly always finds nothing), and
// its async_wait re-arms the descriptor with epoll_ctl instead: either way
// one wasted syscall per read: ~1.5x haproxy's syscalls per proxied request
// (bench/proxy). Here the sockets sit in an edge-triggered epoll set of our
// own, which the event loop watches as one descriptor: one epoll_wait on the
// set and one re-arm per wake-up of the loop, however many sockets became
// ready.
//
// Edge-triggered: a socket counts as ready until a read comes back short
// (the kernel's queue was drained) or EAGAIN; bytes arriving after that
// raise a new edge. Once the peer closed or reset, it stays ready: that end
// raises no new edge and is read after the last bytes. One hub per event loop, used from its thread only.
//
// The proxy's alone: the load generator used one too until bench/load showed
// it bought nothing there (229k req/s and 0.436 CPU s per 100k requests
// with it and without; its cost is the HTTP parse and the history).
#pragma once
#include <cstddef>
#include <memory>
#include <utility>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/buffer.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/system/error_code.hpp>

#include "faults/send_batch.hpp"

namespace firedrill::faults {

class ReadinessHub {
 public:
  explicit ReadinessHub(boost::asio::any_io_executor ex,
                        SendBatch::Mode sends = SendBatch::Mode::io_uring_if_available);
  ~ReadinessHub();
  ReadinessHub(const ReadinessHub&) = delete;
  ReadinessHub& operator=(const ReadinessHub&) = delete;

  // Lets the hub pass bytes on itself while a read waits, without waking
  // the reader: a proxy's plain forwarding, where waking a coroutine per
  // chunk costs more than the chunk's own recv and send (bench/proxy). The
  // sends of one batch of readiness events go out together (SendBatch).
  // Called on the hub's thread, only while a read on the registration waits.
  class FastPath {
   public:
    // Set by the owner while its bytes need nothing but forwarding; the
    // hub reads and forwards only while it is true, and looks before every
    // read. The owner alone decides it: the hub never asks why.
    bool plain = false;
    // Where the bytes just read go: the descriptor to send them on, or -1
    // to hand them to the waiting read instead. Asked after each read,
    // before its send.
    virtual int forward_to() = 0;
    // What that send did: `sent` bytes went on (all, some or none), or it
    // failed with `ec`. Whatever did not go on is handed to the waiting
    // read as its result, in order, for the reader to deal with; so is an
    // error.
    virtual void forwarded(boost::system::error_code ec, std::size_t sent) = 0;

   protected:
    ~FastPath() = default;
  };

  // One registered socket. Destroy it (or call remove()) before the socket
  // is closed; a read waiting on it then ends with operation_aborted.
  class Registration {
   public:
    ~Registration();
    void remove();
    // Null: none. Must outlive the registration, or be unset first.
    void set_fast_path(FastPath* f);

   private:
    friend class ReadinessHub;
    struct State;
    explicit Registration(std::shared_ptr<State> s) : s_(std::move(s)) {}
    std::shared_ptr<State> s_;
  };

  // Null if the hub has no epoll set or the kernel refused the socket: the
  // caller then reads the usual way.
  std::unique_ptr<Registration> add(int fd);

  // Bytes read (> 0), or an error: eof, connection_reset, operation_aborted
  // (removed), or another system error.
  static boost::asio::awaitable<std::pair<boost::system::error_code, std::size_t>> read_some(Registration& r,
                                                                                             void* data,
                                                                                             std::size_t size);
  // The same through `reading` when the socket has one, else asio's own
  // async_read_some (a hub without an epoll set registers nothing).
  static boost::asio::awaitable<std::pair<boost::system::error_code, std::size_t>> read_some(
      Registration* reading, boost::asio::ip::tcp::socket& socket, boost::asio::mutable_buffer into);

 private:
  struct Shared;
  std::shared_ptr<Shared> shared_;
};

}  // namespace firedrill::faults
