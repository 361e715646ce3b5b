// The one small interface behind every fault, and the optional abilities a
// fault may have (Toxiproxy style: separate small interfaces, not flags on
// a big one). A toxic never owns bytes in flight: the connection's pump
// holds them, so removing a toxic can never drop data (Toxiproxy #159,
// #558). A toxic must never block, sleep or touch a socket itself; it only
// says what should happen and the pump does it.
#pragma once
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "faults/fault_spec.hpp"
#include "faults/rng.hpp"

namespace firedrill::faults {

// One chunk of bytes read from one side, on its way to the other.
struct Chunk {
  const char* data = nullptr;
  std::size_t size = 0;
  std::int64_t hold_us = 0;        // keep the chunk this long before passing it on
  bool drop = false;               // swallow it (blackhole)
  bool close_after = false;        // close the connection once it is written (cut)
  bool reset = false;              // abort both sockets with RST, write nothing (reset)
  std::size_t slice = 0;           // write in pieces of this size ...
  std::int64_t slice_delay_us = 0; // ... with this pause between them (slicer)
};

// Per connection, per direction, per fault; starts at zero. Lets a fault
// such as `cut` count without keeping a table of its own.
struct FlowState {
  std::int64_t counter = 0;
};

class Toxic {
 public:
  virtual ~Toxic() = default;
};

// Acts on each chunk flowing in the fault's direction(s), on connections
// whose per-connection probability roll hit.
class StreamToxic : public Toxic {
 public:
  virtual void on_chunk(Chunk& chunk, FlowState& state, Rng& rng) const = 0;
};

// Acts when one side closes: how long to hold the close before passing it on.
class CloseToxic : public Toxic {
 public:
  virtual std::int64_t close_delay_us() const = 0;
};

// What an HTTP-level fault decides for one request whose roll hit.
struct RequestVerdict {
  int status = 0;                    // > 0: answer this ourselves, do not forward
  std::int64_t response_delay_us = 0;  // forward now, hold the answer this long
};

// Acts per HTTP request on the request path (needs an HTTP-aware proxy).
class RequestToxic : public Toxic {
 public:
  // Called only for requests whose probability roll hit; may keep state
  // (fail-first counts), so it is not const. May be called from several
  // loops at once (a proxy with worker threads): state must be atomic.
  virtual RequestVerdict on_request() = 0;
};

// Closes the proxy's listener while active (refuse).
class ListenerToxic : public Toxic {};

// A factory's answer: a toxic, or the error text for the user.
struct Built {
  std::shared_ptr<Toxic> toxic;
  std::string error;
};

}  // namespace firedrill::faults
