// Reads a suite file into suite::Suite. Every rejection names file:line:col
// and what was expected there; unknown keys suggest the nearest valid one.
#include <algorithm>
#include <charconv>
#include <cmath>
#include <fstream>
#include <set>
#include <sstream>

#include <fmt/format.h>
#include <yaml-cpp/yaml.h>
// yaml-cpp parses nesting by recursion; 0.7 added this guard against stack
// overflow. Including it makes an older yaml-cpp a build error instead of a
// crash on a hostile suite.
#include <yaml-cpp/depthguard.h>

#include "checks/registry.hpp"
#include "suite/env_refs.hpp"
#include "suite/input_bounds.hpp"
#include "suite/suite.hpp"
#include "suite/values.hpp"

namespace firedrill::suite {

std::string Location::str() const { return fmt::format("{}:{}:{}", file, line, column); }

namespace {

// 48 bytes of history each, and the ledgers beside them: about 5 GB here.
constexpr double max_orders_per_scenario = 20'000'000;

using Keys = std::vector<std::string_view>;

const Keys top_keys{"suite", "target", "dependencies", "defaults", "scenarios"};
const Keys target_keys{"command", "restart-policy", "sidecars", "env", "env-names", "api"};
const Keys sidecar_keys{"name", "command", "restart-policy", "kind", "ready-path", "env"};
const Keys env_name_keys{"port", "payment-url", "courier-url", "data-dir", "telemetry-url"};
const Keys api_keys{"place-path", "read-path", "ready-path", "key-header", "accepted-statuses", "refused-statuses"};
const Keys dependency_keys{"payment", "courier", "telemetry"};
const Keys telemetry_keys{"connect-timeout", "write-timeout"};
const Keys stub_keys{"delay", "connect-timeout", "write-timeout"};
const Keys settings_keys{"grace", "readiness-flip", "ready-within", "cold-start", "exit-codes", "settle", "load",
                         "checks", "error-budget", "scaling"};
const Keys scenario_keys{"name",   "timeline", "grace",  "readiness-flip", "ready-within", "cold-start", "exit-codes",
                         "settle", "load",     "checks", "error-budget",   "scaling"};
const Keys scaling_keys{"to-zero-after", "hold-timeout", "max-held"};
const Keys load_keys{"rate", "duration", "phases", "request-timeout", "max-connections", "connections"};
const Keys phase_keys{"rate", "from", "to", "for"};
const Keys step_keys{"at", "action", "name", "signal", "to", "on", "fault", "direction", "probability", "for", "until",
                     "params"};
const Keys fault_only_keys{"on", "fault", "direction", "probability", "for", "until", "params"};
const Keys budget_keys{"outside", "within"};

class Reader {
 public:
  explicit Reader(std::string file) : file_(std::move(file)) {}

  Location at(const YAML::Node& n) const { return {file_, n.Mark().line + 1, n.Mark().column + 1}; }

  [[noreturn]] void fail(const YAML::Node& n, const std::string& what) const {
    throw SuiteError(fmt::format("{}: {}", at(n).str(), what));
  }

  void expect_map(const YAML::Node& n, std::string_view what) const {
    if (!n.IsMap()) fail(n, fmt::format("expected {} as a mapping of keys to values", what));
  }

  void expect_keys(const YAML::Node& map, const Keys& allowed, std::string_view what) const {
    expect_map(map, what);
    for (const auto& kv : map) {
      auto key = kv.first.as<std::string>();
      if (std::find(allowed.begin(), allowed.end(), key) != allowed.end()) continue;
      std::string hint = nearest(key, allowed);
      fail(kv.first, fmt::format("unknown key '{}' in {}{}; valid keys: {}", key, what,
                                 hint.empty() ? "" : fmt::format(" (did you mean '{}'?)", hint),
                                 fmt::join(allowed, ", ")));
    }
  }

  std::string text(const YAML::Node& n, std::string_view what) const {
    if (!n.IsScalar()) fail(n, fmt::format("expected {} as a string", what));
    return n.as<std::string>();
  }

  std::int64_t duration(const YAML::Node& n, std::string_view what) const {
    auto v = n.IsScalar() ? parse_duration_us(n.as<std::string>()) : std::nullopt;
    if (!v && n.IsScalar() && n.as<std::string>().starts_with('-'))
      fail(n, fmt::format("expected {} as a duration of 0 or more, such as 500ms, 2s or 1.5m: a negative duration "
                          "has no meaning here", what));
    if (!v) fail(n, fmt::format("expected {} as a duration such as 500ms, 2s or 1.5m", what));
    return *v;
  }

  int integer(const YAML::Node& n, std::string_view what, int lo, int hi) const {
    int v = 0;
    if (!n.IsScalar() || !YAML::convert<int>::decode(n, v) || v < lo || v > hi)
      fail(n, fmt::format("expected {} as a whole number from {} to {}", what, lo, hi));
    return v;
  }

  // "5%" or a fraction such as 0.05.
  double share(const YAML::Node& n, std::string_view what) const {
    std::optional<double> v;
    if (n.IsScalar()) {
      std::string s = n.as<std::string>();
      bool percent = !s.empty() && s.back() == '%';
      if (percent) s.pop_back();
      double d = 0;
      auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), d);
      if (ec == std::errc{} && end == s.data() + s.size()) v = percent ? d / 100 : d;
    }
    // from_chars reads "nan" too, and NaN passes every range test: a NaN
    // budget would never be exceeded.
    if (!v || !std::isfinite(*v) || *v < 0 || *v > 1) fail(n, fmt::format("expected {} as a share such as 5% or 0.05 (0% to 100%)", what));
    return *v;
  }

  std::vector<int> integers(const YAML::Node& n, std::string_view what, int lo, int hi) const {
    if (!n.IsSequence()) fail(n, fmt::format("expected {} as a list such as [0, 143]", what));
    std::vector<int> out;
    for (const auto& item : n) out.push_back(integer(item, what, lo, hi));
    return out;
  }

 private:
  std::string file_;
};

// A rate in a phase: 0 is an idle gap there.
double phase_rate(const Reader& r, const YAML::Node& n, std::string_view what) {
  auto v = n.IsScalar() ? parse_rate(n.as<std::string>(), true) : std::nullopt;
  if (!v) r.fail(n, fmt::format("expected {} as orders per second from 0 to 10000000, such as 200/s (0: an idle gap)", what));
  return *v;
}

// {rate, for} or {from, to, for} (a linear ramp).
LoadPhase read_phase(const Reader& r, const YAML::Node& n) {
  r.expect_keys(n, phase_keys, "a load phase");
  LoadPhase p;
  p.where = r.at(n);
  if (!n["for"]) r.fail(n, "a load phase needs 'for': how long it lasts, such as 30s");
  p.duration_us = r.duration(n["for"], "for");
  if (p.duration_us <= 0) r.fail(n["for"], "expected 'for' as a duration above 0");
  const bool ramp = n["from"] || n["to"];
  if (ramp && n["rate"])
    r.fail(n["rate"], "a load phase is either {rate, for} or a ramp {from, to, for}, not both");
  if (ramp) {
    if (!n["from"]) r.fail(n, "a ramp needs 'from': the rate it starts at, such as 0/s");
    if (!n["to"]) r.fail(n, "a ramp needs 'to': the rate it ends at, such as 500/s");
    p.from_rate = phase_rate(r, n["from"], "from");
    p.to_rate = phase_rate(r, n["to"], "to");
  } else {
    if (!n["rate"]) r.fail(n, "a load phase needs 'rate' (0 for an idle gap), or 'from' and 'to' for a ramp");
    p.from_rate = p.to_rate = phase_rate(r, n["rate"], "rate");
  }
  return p;
}

void read_load(const Reader& r, const YAML::Node& load, LoadSpec& l) {
  r.expect_keys(load, load_keys, "load");
  if (auto phases = load["phases"]) {
    for (const char* key : {"rate", "duration"})
      if (load[key])
        r.fail(load[key], fmt::format("'{}' and 'phases' do not go together: give the rate in each phase", key));
    if (!phases.IsSequence() || phases.size() == 0)
      r.fail(phases, "expected phases as a list such as [{rate: 200/s, for: 10s}, {rate: 0, for: 30s}]");
    l.phases.clear();
    for (const auto& p : phases) l.phases.push_back(read_phase(r, p));
    std::int64_t total = 0;
    for (const auto& p : l.phases) total += p.duration_us;
    l.duration_us = total;
  }
  if (auto n = load["rate"]) {
    auto v = n.IsScalar() ? parse_rate(n.as<std::string>()) : std::nullopt;
    if (!v) r.fail(n, "expected rate as orders per second, such as 200/s");
    l.rate = *v;
    l.phases.clear();  // the shorthand replaces inherited phases
  }
  if (auto n = load["duration"]) {
    l.duration_us = r.duration(n, "load duration");
    if (l.duration_us <= 0) r.fail(n, "expected the load duration above 0");
    l.phases.clear();
  }
  if (auto n = load["request-timeout"]) l.request_timeout_us = r.duration(n, "request-timeout");
  if (auto n = load["max-connections"]) l.max_connections = r.integer(n, "max-connections", 1, 10000);
  if (auto n = load["connections"]) {
    const auto model = r.text(n, "connections");
    if (model == "keep-alive") l.connections = ConnectionModel::keep_alive;
    else if (model == "new") l.connections = ConnectionModel::new_per_order;
    else r.fail(n, fmt::format("unknown connection model '{}'; expected keep-alive (a pool, as an ingress keeps) or new "
                               "(one connection per order)", model));
  }
}

// `scaling` in defaults and again in a scenario: the scenario's keys
// override, the others are kept.
void read_scaling(const Reader& r, const YAML::Node& n, ScenarioSpec& s) {
  r.expect_keys(n, scaling_keys, "scaling");
  ScalingSpec sc = s.scaling.value_or(ScalingSpec{});
  sc.where = r.at(n);
  if (auto v = n["to-zero-after"]) sc.to_zero_after_us = r.duration(v, "to-zero-after");
  if (auto v = n["hold-timeout"]) sc.hold_timeout_us = r.duration(v, "hold-timeout");
  if (auto v = n["max-held"]) sc.max_held = r.integer(v, "max-held", 1, 1'000'000);
  if (!n["to-zero-after"] && !s.scaling)
    r.fail(n, "scaling needs 'to-zero-after': how long without traffic before the pod is scaled to zero, e.g. 2s");
  if (sc.to_zero_after_us <= 0) r.fail(n["to-zero-after"], "expected to-zero-after as a duration above 0, e.g. 2s");
  if (sc.hold_timeout_us <= 0) r.fail(n["hold-timeout"], "expected hold-timeout as a duration above 0, e.g. 10s");
  s.scaling = sc;
}

void read_settings(const Reader& r, const YAML::Node& map, ScenarioSpec& s) {
  if (auto n = map["grace"]) s.limits.grace_us = r.duration(n, "grace");
  if (auto n = map["readiness-flip"]) s.limits.readiness_flip_us = r.duration(n, "readiness-flip");
  if (auto n = map["ready-within"]) s.limits.ready_within_us = r.duration(n, "ready-within");
  if (auto n = map["cold-start"]) s.limits.cold_start_us = r.duration(n, "cold-start");
  if (auto n = map["scaling"]) read_scaling(r, n, s);
  if (auto n = map["exit-codes"]) s.limits.allowed_exit_codes = r.integers(n, "exit-codes", 0, 255);
  if (auto n = map["settle"]) s.settle_us = r.duration(n, "settle");
  if (auto b = map["error-budget"]) {
    r.expect_keys(b, budget_keys, "error-budget");
    if (auto n = b["outside"]) s.limits.error_budget.outside = r.share(n, "error-budget outside");
    if (auto n = b["within"]) s.limits.error_budget.within = r.share(n, "error-budget within");
  }
  if (auto load = map["load"]) read_load(r, load, s.load);
  if (auto n = map["checks"]) {
    if (!n.IsSequence()) r.fail(n, "expected checks as a list of check names");
    s.checks.clear();
    std::vector<std::string_view> names;
    for (const auto& d : checks::all_checks()) names.push_back(d.name);
    for (const auto& item : n) {
      auto name = r.text(item, "a check name");
      if (!checks::find_check(name)) {
        std::string hint = nearest(name, names);
        r.fail(item, fmt::format("unknown check '{}'{}; valid checks: {}", name,
                                 hint.empty() ? "" : fmt::format(" (did you mean '{}'?)", hint), fmt::join(names, ", ")));
      }
      s.checks.push_back(name);
    }
  }
}

void read_fault(const Reader& r, const YAML::Node& n, StepSpec& step) {
  auto& f = step.fault;
  for (const char* key : {"signal", "to"})
    if (n[key]) r.fail(n[key], fmt::format("'{}' does not apply to action 'fault'", key));
  if (!n["on"]) r.fail(n, fmt::format("a fault step needs 'on': the dependency whose path breaks ({})", dependency_names));
  f.dependency = r.text(n["on"], "on");
  if (f.dependency != "payment" && f.dependency != "courier" && f.dependency != "telemetry")
    r.fail(n["on"], fmt::format("unknown dependency '{}'; valid: {}", f.dependency, dependency_names));
  if (!n["fault"]) r.fail(n, "a fault step needs 'fault': the kind of fault, such as latency or http-status");
  f.type = r.text(n["fault"], "fault");
  f.type_where = r.at(n["fault"]);
  if (auto d = n["direction"]) {
    f.direction = r.text(d, "direction");
    if (f.direction != "upstream" && f.direction != "downstream" && f.direction != "both")
      r.fail(d, "expected direction as upstream, downstream or both");
  }
  if (auto p = n["probability"]) {
    f.probability = r.share(p, "probability");
  }
  f.params_where = step.where;
  if (auto params = n["params"]) {
    r.expect_map(params, "params");
    f.params_where = r.at(params);
    for (const auto& kv : params) f.params[r.text(kv.first, "a parameter name")] = r.text(kv.second, "a parameter value");
  }
  const bool has_for = bool(n["for"]), has_until = bool(n["until"]);
  if (has_for == has_until)
    r.fail(n, "a fault step needs exactly one of 'for' (a duration) or 'until' (the name of a later step)");
  if (has_for) f.duration_us = r.duration(n["for"], "for");
  if (has_until) f.until = r.text(n["until"], "until (a step name)");
}

StepSpec read_step(const Reader& r, const YAML::Node& n) {
  r.expect_keys(n, step_keys, "a timeline step");
  StepSpec step;
  step.where = r.at(n);
  if (!n["at"]) r.fail(n, "a timeline step needs 'at' (a time from the start of load, such as 2s)");
  step.at_us = r.duration(n["at"], "at");
  if (!n["action"]) r.fail(n, "a timeline step needs 'action': one of signal, stop, rollout, fault");
  if (auto name = n["name"]) step.name = r.text(name, "step name");
  auto action = r.text(n["action"], "action");
  if (action == "signal") step.action = Action::signal;
  else if (action == "stop") step.action = Action::stop;
  else if (action == "rollout") step.action = Action::rollout;
  else if (action == "fault") step.action = Action::fault;
  else r.fail(n["action"], fmt::format("unknown action '{}'; valid actions: signal, stop, rollout, fault", action));
  if (step.action == Action::fault) {
    read_fault(r, n, step);
    return step;
  }
  for (const auto& kv : n) {
    auto key = kv.first.as<std::string>();
    if (std::find(fault_only_keys.begin(), fault_only_keys.end(), key) != fault_only_keys.end())
      r.fail(kv.first, fmt::format("'{}' only applies to action 'fault'", key));
  }
  if (step.action == Action::signal) {
    if (!n["signal"]) r.fail(n, fmt::format("action 'signal' needs 'signal': one of {}", signal_choices));
    auto sig = parse_signal(r.text(n["signal"], "signal"));
    if (!sig) r.fail(n["signal"], fmt::format("unknown signal; valid signals: {}", signal_choices));
    step.signal = *sig;
  } else if (n["signal"]) {
    r.fail(n["signal"], fmt::format("'signal' only applies to action 'signal' ({} sends SIGTERM, then SIGKILL at the grace deadline)", action));
  }
  if (auto to = n["to"]) step.to = r.text(to, "to (a container name)");
  return step;
}

// `n` is the map holding the container's `command` and `restart-policy`.
ContainerSpec read_container(const Reader& r, const YAML::Node& n, std::string name, bool sidecar) {
  ContainerSpec c{std::move(name), r.text(n["command"], "command (a program and its arguments)"), r.at(n["command"])};
  if (auto p = n["restart-policy"]) {
    const auto policy = r.text(p, "restart-policy");
    if (policy == "always") c.restart = RestartPolicy::always;
    else if (policy != "never")
      r.fail(p, fmt::format("unknown restart-policy '{}'; expected never (the default: a crashed container stays "
                            "down) or always (restarted with the kubelet's back-off)",
                            policy));
  }
  if (auto env = n["env"]) {
    r.expect_map(env, "env");
    for (const auto& kv : env) c.env[r.text(kv.first, "variable name")] = r.text(kv.second, "variable value");
  }
  if (!sidecar) return c;
  if (auto k = n["kind"]) {
    const auto kind = r.text(k, "kind");
    if (kind == "classic") c.kind = SidecarKind::classic;
    else if (kind != "native")
      r.fail(k, fmt::format("unknown sidecar kind '{}'; expected native (the default: Kubernetes 1.29+ sidecars, "
                            "started first and stopped after the app) or classic (a plain container, started and "
                            "stopped with the app)",
                            kind));
    if (c.kind == SidecarKind::native && n["restart-policy"])
      r.fail(n["restart-policy"], "a native sidecar is always restarted, as Kubernetes restarts one: drop "
                                  "restart-policy, or make it kind: classic");
  } else if (n["restart-policy"]) {
    r.fail(n["restart-policy"], "a native sidecar (the default kind) is always restarted, as Kubernetes restarts "
                                "one: drop restart-policy, or make it kind: classic");
  }
  if (auto p = n["ready-path"]) {
    c.ready_path = r.text(p, "ready-path");
    if (!c.ready_path.starts_with('/')) r.fail(p, "expected ready-path to start with '/', such as /healthz");
  }
  return c;
}

// A container's own env may override the pod's variables but not what is
// each container's own (its port, every PORT_<NAME>, its DATA_DIR), and
// may name in ${...} only what SPEC §1 lists.
void check_own_env(const Reader& r, const YAML::Node& env, const TargetSpec& t, const std::vector<std::string>& known) {
  if (!env) return;
  for (const auto& kv : env) {
    const auto name = kv.first.as<std::string>();
    if (name == t.env_names.port || name == t.env_names.data_dir ||
        (name.starts_with("PORT_") && std::find(known.begin(), known.end(), name) != known.end()))
      r.fail(kv.first, fmt::format("'{}' is given by the harness (each container's port and DATA_DIR are its own) and "
                                   "cannot be set in env",
                                   name));
    if (auto why = check_references(kv.second.as<std::string>(), known)) r.fail(kv.second, "in env " + name + ": " + *why);
  }
}

TargetSpec read_target(const Reader& r, const YAML::Node& n) {
  r.expect_keys(n, target_keys, "target");
  TargetSpec t;
  if (!n["command"]) r.fail(n, "target needs 'command': the program that runs the app, and its arguments");
  t.app = read_container(r, n, std::string(history::app_container), false);
  if (auto sc = n["sidecars"]) {
    if (!sc.IsSequence()) r.fail(sc, "expected sidecars as a list of {name, command}");
    for (const auto& item : sc) {
      r.expect_keys(item, sidecar_keys, "a sidecar");
      if (!item["name"] || !item["command"]) r.fail(item, "a sidecar needs 'name' and 'command'");
      auto name = r.text(item["name"], "sidecar name");
      if (name == history::app_container) r.fail(item["name"], "the name 'app' is taken by the app itself");
      for (const auto& other : t.sidecars)
        if (other.name == name) r.fail(item["name"], fmt::format("sidecar name '{}' is used twice", name));
      t.sidecars.push_back(read_container(r, item, name, true));
    }
  }
  if (auto names = n["env-names"]) {
    r.expect_keys(names, env_name_keys, "env-names");
    if (auto v = names["port"]) t.env_names.port = r.text(v, "a variable name");
    if (auto v = names["payment-url"]) t.env_names.payment_url = r.text(v, "a variable name");
    if (auto v = names["courier-url"]) t.env_names.courier_url = r.text(v, "a variable name");
    if (auto v = names["data-dir"]) t.env_names.data_dir = r.text(v, "a variable name");
    if (auto v = names["telemetry-url"]) t.env_names.telemetry_url = r.text(v, "a variable name");
  }
  std::vector<std::string> known{"PAYMENT_URL", "COURIER_URL", "OTEL_EXPORTER_OTLP_ENDPOINT", port_variable(t.app.name)};
  for (const auto& sc : t.sidecars) {
    if (std::find(known.begin(), known.end(), port_variable(sc.name)) != known.end())
      r.fail(n["sidecars"], fmt::format("sidecar '{}' would share its {} with another container: rename one",
                                        sc.name, port_variable(sc.name)));
    known.push_back(port_variable(sc.name));
  }
  check_own_env(r, n["env"], t, known);
  if (auto sc = n["sidecars"])
    for (const auto& item : sc) check_own_env(r, item["env"], t, known);
  if (auto api = n["api"]) {
    r.expect_keys(api, api_keys, "api");
    auto path = [&](const char* key, std::string& out) {
      if (auto v = api[key]) {
        out = r.text(v, key);
        if (!out.starts_with("/")) r.fail(v, fmt::format("expected {} to start with /", key));
      }
    };
    path("place-path", t.api.place_path);
    path("read-path", t.api.read_path);
    path("ready-path", t.api.ready_path);
    if (t.api.read_path.find("{id}") == std::string::npos)
      r.fail(api["read-path"], "expected read-path to contain {id}, where the order id goes");
    if (auto v = api["key-header"]) t.api.key_header = r.text(v, "key-header");
    if (auto v = api["accepted-statuses"]) t.api.statuses.accepted = r.integers(v, "accepted-statuses", 100, 599);
    if (auto v = api["refused-statuses"]) t.api.statuses.refused = r.integers(v, "refused-statuses", 100, 599);
  }
  return t;
}

DependencySpec read_dependencies(const Reader& r, const YAML::Node& n) {
  r.expect_keys(n, dependency_keys, "dependencies");
  DependencySpec d;
  auto bounds = [&](const YAML::Node& stub, const std::string& name, ProxyBoundsSpec& b) {
    for (auto [key, into] : {std::pair{"connect-timeout", &b.connect_timeout_us}, std::pair{"write-timeout", &b.write_timeout_us}})
      if (auto v = stub[key]) {
        *into = r.duration(v, name + " " + key);
        if (*into <= 0) r.fail(v, fmt::format("{} {}: expected a duration above zero, such as 5s", name, key));
      }
  };
  if (auto p = n["payment"]) {
    r.expect_keys(p, stub_keys, "dependencies.payment");
    if (auto v = p["delay"]) d.payment_delay_us = r.duration(v, "payment delay");
    bounds(p, "payment", d.payment_bounds);
  }
  if (auto c = n["courier"]) {
    r.expect_keys(c, stub_keys, "dependencies.courier");
    if (auto v = c["delay"]) d.courier_delay_us = r.duration(v, "courier delay");
    bounds(c, "courier", d.courier_bounds);
  }
  if (auto t = n["telemetry"]) {  // the receiver answers at once: no delay
    r.expect_keys(t, telemetry_keys, "dependencies.telemetry");
    bounds(t, "telemetry", d.telemetry_bounds);
  }
  return d;
}

void validate_scenario(const Reader& r, const YAML::Node& n, ScenarioSpec& s, const TargetSpec& t) {
  if (s.load.phases.empty()) s.load.phases = {LoadPhase{s.load.rate, s.load.rate, s.load.duration_us, r.at(n)}};
  if (s.load.orders() < 1)
    r.fail(n["load"] ? n["load"] : n,
           "these load phases schedule no order at all: give at least one phase a rate above 0");
  if (s.load.orders() > max_orders_per_scenario)
    r.fail(n["load"] ? n["load"] : n,
           fmt::format("this load schedules {:.0f} orders; a scenario holds at most {} (every order is kept in the "
                       "history)", s.load.orders(), max_orders_per_scenario));
  if (s.scaling) {
    const YAML::Node at = n["scaling"] ? n["scaling"] : n;
    if (s.scaling->to_zero_after_us >= s.load.duration_us)
      r.fail(at["to-zero-after"] ? at["to-zero-after"] : at,
             fmt::format("to-zero-after is {}s but the load lasts {}s: the pod could never scale to zero; give an "
                         "idle gap longer than to-zero-after", s.scaling->to_zero_after_us / 1e6,
                         s.load.duration_us / 1e6));
    for (std::size_t i = 0; i < s.timeline.size(); ++i)
      if (s.timeline[i].action == Action::rollout)
        r.fail(n["timeline"][i]["action"],
               "a rollout cannot be combined with scaling: the activator starts and stops the pod itself (every "
               "scale-down is a stop); leave out the rollout or the scaling");
  }
  std::set<std::string> step_names;
  for (std::size_t i = 0; i < s.timeline.size(); ++i)
    if (!s.timeline[i].name.empty() && !step_names.insert(s.timeline[i].name).second)
      r.fail(n["timeline"][i]["name"], fmt::format("step name '{}' is used twice", s.timeline[i].name));
  if (s.checks.empty()) r.fail(n, fmt::format("scenario '{}' has no checks: list them under 'checks' here or in defaults", s.name));
  for (std::size_t i = 0; i < s.timeline.size(); ++i) {
    const auto& step = s.timeline[i];
    const auto& node = n["timeline"][i];
    if (step.at_us > s.load.duration_us)
      r.fail(node["at"], fmt::format("this step is at {}s but the load's last phase ends at {}s: steps happen while load runs",
                                     step.at_us / 1e6, s.load.duration_us / 1e6));
    if (step.action == Action::fault) {
      auto& f = s.timeline[i].fault;
      if (!f.until.empty()) {
        const StepSpec* end = nullptr;
        for (const auto& other : s.timeline)
          if (other.name == f.until) end = &other;
        if (!end) r.fail(node["until"], fmt::format("no step is named '{}': name the step that ends this fault", f.until));
        if (end->at_us < step.at_us) r.fail(node["until"], fmt::format("step '{}' comes before this fault starts", f.until));
        f.ends_at_us = end->at_us;
      } else {
        f.ends_at_us = step.at_us + f.duration_us;
      }
      if (f.ends_at_us > s.load.duration_us)
        r.fail(node["for"] ? node["for"] : node["until"],
               fmt::format("this fault window ends at {}s but the load ends at {}s: windows end while load runs",
                           f.ends_at_us / 1e6, s.load.duration_us / 1e6));
      continue;
    }
    bool known = step.to == history::app_container;
    for (const auto& sc : t.sidecars) known |= sc.name == step.to;
    if (!known) r.fail(node["to"] ? node["to"] : node, fmt::format("unknown container '{}': expected app or a sidecar name", step.to));
    if (step.action != Action::signal && step.to != history::app_container)
      r.fail(node["to"], "stop and rollout act on the whole pod: leave out 'to'");
  }
}

Suite read_suite(const Reader& r, const YAML::Node& root, const std::string& path);

}  // namespace

Suite parse_suite(const std::string& text, const std::string& path) {
  check_input_bounds(text, path);
  Reader r(path);
  YAML::Node loaded;
  try {
    loaded = YAML::Load(text);
  } catch (const YAML::DeepRecursion& e) {
    throw SuiteError(fmt::format("{}:{}:{}: nested more than {} levels deep; a suite nests a handful", path,
                                 e.mark.line + 1, e.mark.column + 1, e.depth()));
  } catch (const YAML::Exception& e) {
    throw SuiteError(fmt::format("{}:{}:{}: not valid YAML: {}", path, e.mark.line + 1, e.mark.column + 1, e.msg));
  }
  // const: operator[] on a mutable yaml-cpp node inserts the key it looks up.
  const YAML::Node root = loaded;
  try {
    return read_suite(r, root, path);
  } catch (const YAML::Exception& e) {
    throw SuiteError(fmt::format("{}:{}:{}: {}", path, e.mark.line + 1, e.mark.column + 1, e.msg));
  }
}

namespace {
Suite read_suite(const Reader& r, const YAML::Node& root, const std::string& path) {
  if (!root || root.IsNull()) throw SuiteError(fmt::format("{}:1:1: the suite is empty; expected keys: {}", path, fmt::join(top_keys, ", ")));
  r.expect_keys(root, top_keys, "the suite");

  Suite suite;
  suite.path = path;
  suite.name = root["suite"] ? r.text(root["suite"], "suite (its name)") : path;
  if (!root["target"]) r.fail(root, "the suite needs 'target' with the command that runs the app");
  suite.target = read_target(r, root["target"]);
  if (auto d = root["dependencies"]) suite.dependencies = read_dependencies(r, d);

  ScenarioSpec defaults;
  if (auto d = root["defaults"]) {
    r.expect_keys(d, settings_keys, "defaults");
    read_settings(r, d, defaults);
  }
  auto list = root["scenarios"];
  if (!list || !list.IsSequence() || list.size() == 0)
    r.fail(list ? list : root, "the suite needs 'scenarios': a list of at least one scenario");
  std::set<std::string> names;
  for (const auto& n : list) {
    r.expect_keys(n, scenario_keys, "a scenario");
    ScenarioSpec s = defaults;
    s.where = r.at(n);
    if (!n["name"]) r.fail(n, "a scenario needs 'name'");
    s.name = r.text(n["name"], "scenario name");
    if (!names.insert(s.name).second) r.fail(n["name"], fmt::format("scenario name '{}' is used twice", s.name));
    read_settings(r, n, s);
    if (auto tl = n["timeline"]) {
      if (!tl.IsSequence()) r.fail(tl, "expected timeline as a list of steps");
      for (const auto& step : tl) s.timeline.push_back(read_step(r, step));
    }
    validate_scenario(r, n, s, suite.target);
    suite.scenarios.push_back(std::move(s));
  }
  return suite;
}
}  // namespace

Suite load_suite(const std::string& path) {
  std::ifstream in(path);
  if (!in) throw SuiteError(fmt::format("{}: cannot read the suite file", path));
  std::stringstream ss;
  ss << in.rdbuf();
  return parse_suite(ss.str(), path);
}

}  // namespace firedrill::suite
