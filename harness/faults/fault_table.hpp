// The faults active on one proxy: added and removed from any thread, read
// by the io thread as immutable snapshots. Must never make a reader wait on
// traffic: a writer only swaps a pointer under a short lock, and readers
// notice the change through one atomic version number per chunk.
#pragma once
#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>
#include <vector>

#include "faults/fault.hpp"

namespace firedrill::faults {

using FaultId = std::uint64_t;

struct ActiveFault {
  FaultId id = 0;
  double probability = 1.0;
  std::shared_ptr<Fault> owner;
  StreamFault* stream = nullptr;
  CloseFault* close = nullptr;
  RequestFault* request = nullptr;
  ListenerFault* listener = nullptr;
  // A request fault rolls per request (on the request path); its stream
  // side then acts on every connection, on what its request side decided.
  bool rolls_per_connection() const { return request == nullptr; }
};

// What the pumps act on. Faults with probability 0 are left out entirely,
// so they cost nothing on the data path (Toxiproxy #603).
struct FaultSnapshot {
  std::uint64_t version = 0;
  std::vector<ActiveFault> stream[2];  // [0] upstream, [1] downstream; in the order added: the chain
  std::vector<ActiveFault> close[2];
  std::vector<ActiveFault> requests;
  std::vector<ActiveFault> listener;
  bool accepts_connections() const {
    for (const auto& f : listener)
      if (!f.listener->accepts_connections()) return false;
    return true;
  }
};

class FaultTable {
 public:
  FaultTable();
  FaultId add(const FaultSpec& spec, std::shared_ptr<Fault> fault);
  bool remove(FaultId id);
  // Swaps the fault `id` for a new one in the same place of its chain,
  // under the same id (a Toxiproxy toxic update): each connection keeps
  // what it rolled and counted for it, and a hold in progress ends as the
  // old one said. False when `id` is gone.
  bool replace(FaultId id, const FaultSpec& spec, std::shared_ptr<Fault> fault);
  bool contains(FaultId id) const;
  std::uint64_t version() const { return version_.load(std::memory_order_acquire); }
  std::shared_ptr<const FaultSnapshot> snapshot() const;

 private:
  struct Entry {
    FaultId id;
    FaultSpec spec;
    std::shared_ptr<Fault> fault;
  };
  void publish();  // with mu_ held

  mutable std::mutex mu_;
  std::vector<Entry> entries_;
  FaultId next_id_ = 1;
  std::shared_ptr<const FaultSnapshot> snapshot_;
  std::atomic<std::uint64_t> version_{0};
};

}  // namespace firedrill::faults
