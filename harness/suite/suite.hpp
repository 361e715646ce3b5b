// A suite as the user wrote it, parsed and validated: the target pod, the
// stubbed dependencies and the scenarios (timelines of load and faults).
// Plain data; suite_parser.cpp is the only place that reads YAML.
#pragma once
#include <cstdint>
#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "checks/check.hpp"
#include "history/classify.hpp"
#include "history/event.hpp"

namespace firedrill::suite {

// Where something was written, for error messages: file:line:col.
struct Location {
  std::string file;
  int line = 0;  // 1-based
  int column = 0;
  std::string str() const;
};

// A bad suite: the message already starts with file:line:col.
struct SuiteError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// What happens when a container exits while its pod is not being stopped
// (SPEC §1): `never` leaves it down (the app until the settle phase);
// `always` restarts it with the kubelet's crash-loop back-off.
enum class RestartPolicy { never, always };

// How Kubernetes runs a sidecar (SPEC §1). native (KEP-753, the default):
// started before the app, in the order written, each once the previous one
// is started; stopped after the app has exited, one at a time in reverse
// order; always restarted. classic (a plain container): started and
// stopped together with the app, restarted as its restart-policy says.
enum class SidecarKind { native, classic };

struct ContainerSpec {
  std::string name;     // "app" for the app itself
  std::string command;  // split into words like a shell would, never run by one
  Location where;
  RestartPolicy restart = RestartPolicy::never;  // the app and classic sidecars
  SidecarKind kind = SidecarKind::native;        // sidecars only
  // Sidecars: the HTTP path on its own port that answers 200 once it is
  // started; "" = started once its process runs.
  std::string ready_path;
  // Its own variables: they override the pod's (PAYMENT_URL, ...), and
  // ${PAYMENT_URL}, ${COURIER_URL} and ${PORT_<NAME>} expand in them.
  // The target's `env` is the app's own; a sidecar's is its own.
  std::map<std::string, std::string> env;
};

// The names of the environment variables handed to the app (SPEC §1).
struct EnvNames {
  std::string port = "PORT";
  std::string payment_url = "PAYMENT_URL";
  std::string courier_url = "COURIER_URL";
  std::string data_dir = "DATA_DIR";
  std::string telemetry_url = "OTEL_EXPORTER_OTLP_ENDPOINT";
};

// The HTTP shape of the target's order API (SPEC §2 defaults).
struct OrderApi {
  std::string place_path = "/orders";
  std::string read_path = "/orders/{id}";
  std::string ready_path = "/readyz";
  std::string key_header = "Idempotency-Key";
  history::StatusSets statuses;
};

struct TargetSpec {
  ContainerSpec app;  // its env is the target's `env`
  std::vector<ContainerSpec> sidecars;
  EnvNames env_names;
  OrderApi api;
};

// How long a dependency's fault proxy waits before it gives up on a
// connection (faults::ProxyBounds): the upstream connect, and a write that
// makes no progress (longer than any SIGSTOP window of the suite).
struct ProxyBoundsSpec {
  std::int64_t connect_timeout_us = 5'000'000;
  std::int64_t write_timeout_us = 30'000'000;
};

struct DependencySpec {
  std::int64_t payment_delay_us = 150'000;  // so orders are really in flight when a signal lands
  std::int64_t courier_delay_us = 0;
  ProxyBoundsSpec payment_bounds, courier_bounds, telemetry_bounds;
};

// The dependencies the app reaches through the harness's fault proxy.
inline constexpr std::string_view dependency_names = "payment, courier, telemetry";

enum class Action { signal, stop, rollout, fault };

// An ambassador fault on one dependency's path, for a window of the timeline.
// The fault's own type and parameters are checked by faults::validate (the
// model does not know the fault catalogue); `where` points at them.
struct FaultStepSpec {
  std::string dependency;          // "payment", "courier" or "telemetry"
  std::string type;                // e.g. latency, http-status
  std::string direction = "both";  // upstream, downstream, both
  double probability = 1.0;
  std::map<std::string, std::string> params;
  std::int64_t duration_us = -1;   // 'for'; -1 when it ends at a named step
  std::string until;               // name of the step that ends it
  std::int64_t ends_at_us = 0;     // resolved end, from the start of load
  Location type_where;
  Location params_where;
};

struct StepSpec {
  std::string name;        // optional; a fault window may end 'until' it
  std::int64_t at_us = 0;  // from the start of load
  Action action = Action::signal;
  FaultStepSpec fault;     // for Action::fault
  int signal = 0;          // for Action::signal
  std::string to{history::app_container};  // container name
  Location where;
};

// One stretch of the open-model schedule (SPEC §3): the arrival rate goes
// linearly from `from_rate` to `to_rate` orders per second over
// `duration_us`, as k6's ramping-arrival-rate; equal rates are a constant
// rate, and 0 is an idle gap.
struct LoadPhase {
  double from_rate = 0;
  double to_rate = 0;
  std::int64_t duration_us = 0;
  Location where;
  double orders() const { return (from_rate + to_rate) / 2 * static_cast<double>(duration_us) / 1e6; }
};

// How the load's orders reach the app (SPEC §3): a keep-alive pool as an
// ingress keeps (its idle connections stay open until the app closes them,
// the pod exits or the scenario ends), or a new connection per order, as
// many independent clients.
enum class ConnectionModel { keep_alive, new_per_order };

struct LoadSpec {
  // The shorthand `rate` + `duration`: one constant phase. After parsing,
  // `phases` always holds the schedule and `duration_us` its whole length,
  // whichever form the suite used.
  double rate = 100;                    // orders per second, open model
  std::int64_t duration_us = 5'000'000;
  std::vector<LoadPhase> phases;
  std::int64_t request_timeout_us = 5'000'000;
  int max_connections = 256;            // keep-alive pool bound
  ConnectionModel connections = ConnectionModel::keep_alive;

  // How many orders the phases schedule, about.
  double orders() const {
    double n = 0;
    for (const auto& p : phases) n += p.orders();
    return n;
  }
};

// Scale-to-zero (SPEC §3): the activator sits where the load goes, takes
// the pod to zero after `to_zero_after_us` without traffic and holds the
// requests that come while it is at zero or starting.
struct ScalingSpec {
  std::int64_t to_zero_after_us = 0;
  std::int64_t hold_timeout_us = 10'000'000;  // as Cloud Run's
  int max_held = 1000;
  Location where;
};

struct ScenarioSpec {
  std::string name;
  Location where;
  LoadSpec load;
  std::vector<StepSpec> timeline;
  std::vector<std::string> checks;
  checks::Limits limits;
  std::int64_t settle_us = 1'000'000;
  std::optional<ScalingSpec> scaling;  // absent: the load goes straight to the app
};

struct Suite {
  std::string path;
  std::string name;
  TargetSpec target;
  DependencySpec dependencies;
  std::vector<ScenarioSpec> scenarios;
};

// Throws SuiteError (file:line:col: what was expected) on any bad input.
Suite load_suite(const std::string& path);
Suite parse_suite(const std::string& text, const std::string& path_for_errors);

}  // namespace firedrill::suite
