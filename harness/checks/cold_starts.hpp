// The scale-to-zero cycles of a scenario, derived once from the
// activator's events (history/event.hpp) for cold-start-within and the
// reports: each scale-down, the cold start that followed it, and every
// request held in between, with the load's own record of how it ended.
#pragma once
#include <cstdint>
#include <vector>

#include "history/history.hpp"

namespace firedrill::checks {

struct HeldRequest {
  const history::Event* end = nullptr;       // held (released), hold_timeout or hold_overflow
  const history::Operation* op = nullptr;    // the load's operation of that order id; nullptr: none
  std::int64_t arrived_us() const { return end->since_us; }
  bool released() const { return end->kind == history::EventKind::held; }
  std::int64_t hold_us() const { return end->at_us - end->since_us; }
};

struct ScaleCycle {
  int number = 0;                              // the activator's cycle (1 = the first scale-down)
  const history::Event* scale_down = nullptr;  // nullptr: the app went away by itself
  const history::Event* at_zero = nullptr;
  const history::Event* scale_up = nullptr;
  const history::Event* serving = nullptr;     // the activator's probe got 200
  const history::Event* app_start = nullptr;   // the app's start the scale-up made
  std::vector<HeldRequest> held;               // in arrival order
  // From the app's start to the first accepted answer to a held request
  // (SPEC: the cold start); -1 when none was accepted.
  std::int64_t cold_start_us = -1;
};

std::vector<ScaleCycle> scale_cycles(const history::History& h);

// The p-th percentile (0..100) of `values`, sorted in place; -1 when empty.
std::int64_t percentile(std::vector<std::int64_t>& values, double p);

}  // namespace firedrill::checks
