// The one writer of a scenario's history: every event of the pod, the
// readiness probe, the load and the timeline goes through a named method
// here, stamped on the scenario's clock, so no part of the harness builds
// events by hand and the history's vocabulary lives in one file.
// It records; it never decides anything.
#pragma once
#include <cstdint>
#include <string>
#include <string_view>

#include "history/clock.hpp"
#include "history/history.hpp"

namespace firedrill::history {

class Recorder {
 public:
  Recorder(History& history, const Epoch& epoch) : history_(history), epoch_(epoch) {}

  std::int64_t now_us() const { return epoch_.now_us(); }
  const Epoch& epoch() const { return epoch_; }
  const History& history() const { return history_; }
  std::vector<Operation>& operations() { return history_.operations; }

  // The pod's containers.
  void started(std::string_view container, int generation, std::string command);
  // `by_harness`: a SIGKILL the harness sent on its own (a grace deadline,
  // the final reaping), not a step of the timeline. `delivered` false: the
  // container was not running, so the signal reached no process.
  void signalled(std::string_view container, int generation, int signal, bool by_harness = false,
                 bool delivered = true);
  void exited(std::string_view container, int generation, std::int64_t at_us, int exit_code, int signal);
  void grace_ended(std::string_view container, int generation);
  void leftover(int generation, std::string pid_and_command);

  // What explains how a start went (ready-within quotes it).
  void start_note(std::string_view container, int generation, std::string note);

  // The readiness probe's changes, at the time the probe saw them.
  void readiness(bool ready, int generation, std::int64_t at_us, std::string why);

  // The harness's phases.
  void load_started(int generation, std::int64_t at_us);
  void load_ended(int generation);
  // The settle's event; its detail (how the settle ended) comes later.
  std::size_t settle_started(int generation);
  void settle_ended_with(std::size_t settle_event, std::string detail);

  // Ambassador faults on a dependency's path.
  void fault_on(std::string_view dependency, int generation, std::string description);
  void fault_off(std::string_view dependency, int generation, std::string description);

  // The activator's transitions (cycle: see EventKind::scale_down) and
  // what happened to each request it held.
  void activator(EventKind transition, int cycle, std::string detail = {});
  void held(EventKind how, int cycle, std::int64_t arrived_us, std::int64_t at_us, std::string order_id);

  // For the scenario's own questions ("is a SIGTERM pending?").
  bool ready_since_start(int generation) const;

 private:
  void add(EventKind kind, std::string_view container, int generation, std::int64_t at_us, std::string detail = {});

  History& history_;
  const Epoch& epoch_;
};

}  // namespace firedrill::history
