#include "faults/fault_table.hpp"

#include <algorithm>

namespace firedrill::faults {

FaultTable::FaultTable() : snapshot_(std::make_shared<FaultSnapshot>()) {}

FaultId FaultTable::add(const FaultSpec& spec, std::shared_ptr<Fault> fault) {
  std::lock_guard lock(mu_);
  FaultId id = next_id_++;
  entries_.push_back({id, spec, std::move(fault)});
  publish();
  return id;
}

bool FaultTable::remove(FaultId id) {
  std::lock_guard lock(mu_);
  auto it = std::find_if(entries_.begin(), entries_.end(), [&](const Entry& e) { return e.id == id; });
  if (it == entries_.end()) return false;
  entries_.erase(it);
  publish();
  return true;
}

bool FaultTable::replace(FaultId id, const FaultSpec& spec, std::shared_ptr<Fault> fault) {
  std::lock_guard lock(mu_);
  auto it = std::find_if(entries_.begin(), entries_.end(), [&](const Entry& e) { return e.id == id; });
  if (it == entries_.end()) return false;
  *it = Entry{id, spec, std::move(fault)};
  publish();
  return true;
}

bool FaultTable::contains(FaultId id) const {
  std::lock_guard lock(mu_);
  return std::any_of(entries_.begin(), entries_.end(), [&](const Entry& e) { return e.id == id; });
}

std::shared_ptr<const FaultSnapshot> FaultTable::snapshot() const {
  std::lock_guard lock(mu_);
  return snapshot_;
}

void FaultTable::publish() {
  auto snap = std::make_shared<FaultSnapshot>();
  snap->version = version_.load(std::memory_order_relaxed) + 1;
  for (const Entry& e : entries_) {
    if (e.spec.probability <= 0) continue;
    Fault* fault = e.fault.get();
    ActiveFault f{e.id, e.spec.probability, e.fault, dynamic_cast<StreamFault*>(fault), dynamic_cast<CloseFault*>(fault),
                  dynamic_cast<RequestFault*>(fault), dynamic_cast<ListenerFault*>(fault)};
    bool up = e.spec.direction != Direction::downstream;
    bool down = e.spec.direction != Direction::upstream;
    if (f.request) {
      snap->requests.push_back(f);
      up = false, down = true;  // its stream side, if any, acts on the answers
    }
    if (f.stream) {
      if (up) snap->stream[0].push_back(f);
      if (down) snap->stream[1].push_back(f);
    }
    if (f.close) {
      if (up) snap->close[0].push_back(f);
      if (down) snap->close[1].push_back(f);
    }
    if (f.listener) snap->listener.push_back(f);
  }
  snapshot_ = std::move(snap);
  version_.store(snapshot_->version, std::memory_order_release);
}

}  // namespace firedrill::faults
