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

#include "faults/toxic.hpp"

namespace firedrill::faults {

using FaultId = std::uint64_t;

struct ActiveFault {
  FaultId id = 0;
  double probability = 1.0;
  std::shared_ptr<Toxic> owner;
  StreamToxic* stream = nullptr;
  CloseToxic* close = nullptr;
  RequestToxic* request = nullptr;
};

// What the pumps act on. Faults with probability 0 are left out entirely,
// so they cost nothing on the data path (Toxiproxy #603).
struct FaultSnapshot {
  std::uint64_t version = 0;
  std::vector<ActiveFault> stream[2];  // [0] upstream, [1] downstream
  std::vector<ActiveFault> close[2];
  std::vector<ActiveFault> requests;
  bool refuse = false;
  bool empty() const {
    return stream[0].empty() && stream[1].empty() && close[0].empty() && close[1].empty() && requests.empty() &&
           !refuse;
  }
};

class FaultTable {
 public:
  FaultTable();
  FaultId add(const FaultSpec& spec, std::shared_ptr<Toxic> toxic);
  bool remove(FaultId id);
  bool contains(FaultId id) const;
  std::uint64_t version() const { return version_.load(std::memory_order_acquire); }
  std::shared_ptr<const FaultSnapshot> snapshot() const;

 private:
  struct Entry {
    FaultId id;
    FaultSpec spec;
    std::shared_ptr<Toxic> toxic;
  };
  void publish();  // with mu_ held

  mutable std::mutex mu_;
  std::vector<Entry> entries_;
  FaultId next_id_ = 1;
  std::shared_ptr<const FaultSnapshot> snapshot_;
  std::atomic<std::uint64_t> version_{0};
};

}  // namespace firedrill::faults
