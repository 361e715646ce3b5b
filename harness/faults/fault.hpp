// What a fault is and what it acts through. One small interface per
// ability (Toxiproxy's lesson: each toxic owns its effect), and a fault
// type is one file in types/ plus one line in registry.cpp.
//
// A stream fault is handed each chunk read in its direction and a Pipe, and
// does its whole effect itself: passes the bytes on (all, some, in slices,
// later) with write(), waits with hold(), ends the connection with close()
// or reset(). Faults on one direction form a chain, in the order they were
// added: a fault's write() hands the bytes to the next one, the last one's
// to the socket. Holds end early when the fault is removed, and the bytes a
// fault holds are still passed on after that, so removal never drops data
// (Toxiproxy #159, #558). The pipe knows no fault by name.
#pragma once
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>

#include <boost/asio/awaitable.hpp>

#include "faults/fault_spec.hpp"
#include "faults/rng.hpp"

namespace firedrill::faults {

// Bytes read from one side, on their way to the other. Data only.
struct Chunk {
  const char* data = nullptr;
  std::size_t size = 0;
};

// What a fault keeps per connection and direction between chunks (cut's
// count, stall's next offset, http-delay's pending hold), zeroed when the
// connection first meets the fault, with a generator of its own (seeded by
// the proxy's seed, the connection's accept order, the fault and the
// direction), so its draws never depend on how the other direction's
// traffic interleaves with this one.
struct FlowState {
  std::int64_t bytes = 0;  // seen so far, if the fault counts them
  std::int64_t mark = 0;   // a position or a duration, as the fault needs
  Rng rng{0};
};

// One direction of one connection, as the fault at one place of the chain sees it.
class Pipe {
 public:
  // Passes bytes on to the rest of the chain. false: the connection is over.
  virtual boost::asio::awaitable<bool> write(const char* data, std::size_t size) = 0;
  // Waits up to `us`, less if the fault is removed or the connection ends.
  // false: the connection is over.
  virtual boost::asio::awaitable<bool> hold(std::int64_t us) = 0;
  // Ends the connection: with FIN both ways, or with RST both ways.
  virtual void close() = 0;
  virtual void reset() = 0;
  virtual FlowState& state() = 0;
  // The fault was removed: a hold that came back early may have ended for
  // this reason, and the fault then lets the bytes it holds go on.
  virtual bool removed() const = 0;

 protected:
  ~Pipe() = default;
};

// What a fault type derives from (through one of the abilities below),
// owned by the fault table. A type has one Fault base; RequestFault is an
// ability beside it.
//
// Writing on_chunk: await each pipe call in a statement of its own
// (`const bool open = co_await pipe.hold(us); if (!open) ...`). GCC 12 built
// a broken frame (garbage parameters at the first resume, a crash) for
// `if (!co_await pipe.hold(<computed value>))` in bandwidth.cpp.
class Fault {
 public:
  virtual ~Fault() = default;
};

// Acts on the bytes of its direction(s), on connections whose roll (once per
// connection, with the fault's probability) hit. Returns false when the
// connection is over; true once it is done with this chunk (whether or not
// it passed the bytes on).
class StreamFault : public Fault {
 public:
  virtual boost::asio::awaitable<bool> on_chunk(Chunk chunk, Pipe& pipe) const = 0;
};

// Acts when one side closes: how long to hold the close before passing it on.
class CloseFault : public Fault {
 public:
  virtual std::int64_t close_delay_us() const = 0;
};

// Acts per HTTP request on the request path (an HTTP-aware proxy), for
// requests whose roll (per request, with the fault's probability) hit. May
// keep state (fail-first counts) and may be called from several loops at
// once (a proxy with worker threads): state must be atomic. `answer` is
// this fault's state on the connection's answer path, for a fault that is
// also a StreamFault there (http-delay), whose stream side then acts
// downstream, whatever direction the user gave the request side.
// An ability beside Fault, not a Fault itself: a type is
// `Fault, RequestFault` or `StreamFault, RequestFault`.
class RequestFault {
 public:
  struct Verdict {
    int status = 0;      // > 0: answer the request with it ourselves, never forward it
    bool acted = false;  // counted as fired
  };
  virtual Verdict on_request(FlowState& answer) = 0;

 protected:
  ~RequestFault() = default;
};

// Acts on the proxy's listener while active.
class ListenerFault : public Fault {
 public:
  // false: the listener is closed and live connections with it (refuse);
  // it listens again, on the same port, once no active fault says false.
  virtual bool accepts_connections() const = 0;
};

// A factory's answer: a fault, or the error text for the user.
struct Built {
  std::shared_ptr<Fault> fault;
  std::string error;
};

}  // namespace firedrill::faults
