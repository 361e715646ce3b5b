// Things that happened to the pod during a scenario (not orders): starts,
// readiness changes, signals, exits. Checks read these beside the operations.
#pragma once
#include <cstdint>
#include <string>
#include <string_view>

namespace firedrill::history {

// The container the pod is named after: the app itself. Sidecars carry the
// names the suite gives them; "app" is taken.
inline constexpr std::string_view app_container = "app";
// The harness's own phases (load, settle) belong to no container.
inline constexpr std::string_view harness_lane = "harness";
// What the leftover hunt finds belongs to the pod as a whole.
inline constexpr std::string_view pod_lane = "pod";
// The scale-to-zero activator's transitions and holds (SPEC §3).
inline constexpr std::string_view activator_lane = "activator";

// How a container's captured output marks each of its starts, so evidence
// can quote what one start printed before it died.
inline std::string start_header(int generation) { return "--- start #" + std::to_string(generation) + " ---\n"; }

enum class EventKind : std::uint8_t {
  pod_start,        // a container process was spawned (detail: command)
  ready,            // /readyz answered 200 for the first time after a start
  not_ready,        // /readyz stopped answering 200, or failed differently (detail: what the probe got)
  signal,           // the harness sent `signal` to `container`
  exit,             // a container exited (exit_code or signal)
  grace_deadline,   // the grace period of a stop ended at this time
  load_start,
  load_end,
  settle_start,
  leftover,         // a process of the pod outlived it (detail: pid and command)
  fault_on,         // an ambassador fault became active (container: the dependency, detail: the fault)
  fault_off,        // ... and ended
  start_note,       // a fact that explains how a start went (detail), e.g. what held the app's port
  // The activator (container: activator_lane). Its generation numbers the
  // cycles: scale-down #k takes the pod to zero, and the requests held
  // after it are released by scale-up #k.
  scale_down,       // no traffic for to-zero-after: routing stopped, the pod is being stopped
  at_zero,          // the pod is down (detail: how it got there)
  scale_up,         // a request arrived at zero: the pod is being started
  serving,          // the activator's probe got 200: held requests released (detail: how many)
  held,             // a request was held: since_us its arrival, at_us its bytes reached the app; detail: order id
  hold_timeout,     // ... and answered 503 by the activator at at_us, held for hold-timeout
  hold_overflow,    // ... answered 503 at once: max-held requests were already held
};

std::string_view to_string(EventKind);
bool parse_event_kind(std::string_view, EventKind&);

struct Event {
  std::int64_t at_us = 0;
  EventKind kind = EventKind::pod_start;
  std::string container;  // app_container, a sidecar name, a dependency (faults) or a lane above
  int generation = 0;     // which start of this container (1 = first, 2 = after a restart, ...): each counts its own
  int signal = 0;         // for signal, and exit by signal
  int exit_code = -1;     // for exit by code
  bool by_harness = false; // signal sent because a grace period ran out
  bool delivered = true;   // signal: false when the container was not running (it reached no process)
  std::int64_t since_us = -1;  // held and the hold refusals: when the request arrived
  std::string detail;
};

}  // namespace firedrill::history
