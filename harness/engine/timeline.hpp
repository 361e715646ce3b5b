// The nemesis role (Jepsen): a scenario's timeline of signals, pod stops,
// rollouts and ambassador fault windows, run at its times on a clock passed
// in. What a step does to the world is behind the small Nemesis interface,
// so the order and timing of the timeline are tested on simulated time with
// a recording nemesis, and run for real against the pod and fault proxies.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include <boost/asio/awaitable.hpp>

#include "engine/scenario_clock.hpp"
#include "suite/suite.hpp"

namespace firedrill::engine {

class Nemesis {
 public:
  virtual ~Nemesis() = default;
  // A signal to one container (the step's `to`).
  virtual void signal(const std::string& container, int sig) = 0;
  // A pod stop; with then_start a new pod on the same DATA_DIR (rollout).
  // Completes once the pod is down (and, for a rollout, up again or failed).
  virtual boost::asio::awaitable<void> stop_pod(bool then_start) = 0;
  // A fault window's start and end; fault_on returns what fault_off needs.
  virtual std::uint64_t fault_on(const suite::FaultStepSpec& fault) = 0;
  virtual void fault_off(const suite::FaultStepSpec& fault, std::uint64_t id) = 0;
};

// Runs each step at load_start_us + its `at`, in time order (steps at the
// same time in the order written). Stops, rollouts and fault windows go on
// beside the rest of the timeline, each window ending at its own time
// whatever happens to the pod; returns once every one of them has ended.
boost::asio::awaitable<void> run_timeline(std::vector<suite::StepSpec> steps, std::int64_t load_start_us,
                                          ScenarioClock& clock, Nemesis& nemesis);

}  // namespace firedrill::engine
