// Suites are read strictly: defaults flow into scenarios, and every mistake
// is reported at its file:line:col with what was expected there.
#include <gtest/gtest.h>

#include "support/paths.hpp"
#include "suite/suite.hpp"
#include "suite/env_refs.hpp"

namespace firedrill::suite {
namespace {

std::string error_of(const std::string& text) {
  try {
    parse_suite(text, "s.yaml");
  } catch (const SuiteError& e) {
    return e.what();
  }
  return "";
}

TEST(SuiteParser, BundledSuiteParses) {
  auto s = load_suite(testing::source_path("suites/graceful-shutdown.yaml"));
  ASSERT_EQ(s.scenarios.size(), 3u);
  EXPECT_EQ(s.name, "graceful-shutdown");
  EXPECT_EQ(s.scenarios[0].name, "sigterm-mid-rush");
  EXPECT_EQ(s.scenarios[0].limits.grace_us, 5'000'000);
  EXPECT_EQ(s.scenarios[0].checks.size(), 9u);
  EXPECT_EQ(s.scenarios[1].checks.size(), 6u) << "a scenario's checks replace the defaults";
  EXPECT_EQ(s.scenarios[2].timeline[0].action, Action::rollout);
  EXPECT_EQ(s.dependencies.payment_delay_us, 150'000);
}

TEST(SuiteParser, ProxyBoundsPerDependency) {
  auto s = parse_suite(R"(target: {command: app}
dependencies:
  payment: {connect-timeout: 2s, write-timeout: 1m}
scenarios: [{name: a, checks: [accepted-orders-durable]}]
)", "b.yaml");
  EXPECT_EQ(s.dependencies.payment_bounds.connect_timeout_us, 2'000'000);
  EXPECT_EQ(s.dependencies.payment_bounds.write_timeout_us, 60'000'000);
  EXPECT_EQ(s.dependencies.courier_bounds.connect_timeout_us, 5'000'000) << "the defaults: 5 s";
  EXPECT_EQ(s.dependencies.courier_bounds.write_timeout_us, 30'000'000) << "and 30 s";
  try {
    parse_suite("target: {command: app}\ndependencies:\n  courier: {write-timeout: 0s}\nscenarios: [{name: a, checks: [ready-within]}]\n",
                "z.yaml");
    ADD_FAILURE() << "a zero bound was accepted";
  } catch (const SuiteError& e) {
    EXPECT_NE(std::string(e.what()).find("z.yaml:3:"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("write-timeout"), std::string::npos) << e.what();
  }
}

TEST(SuiteParser, ScenarioOverridesDefaults) {
  auto s = parse_suite(R"(target: {command: app}
defaults: {grace: 3s, load: {rate: 10/s, duration: 4s}, checks: [ready-within]}
scenarios:
  - name: a
    grace: 1500ms
    load: {rate: 20}
    timeline: [{at: 1s, action: signal, signal: TERM, to: app}]
)",
                       "s.yaml");
  const auto& a = s.scenarios[0];
  EXPECT_EQ(a.limits.grace_us, 1'500'000);
  EXPECT_EQ(a.load.rate, 20);
  EXPECT_EQ(a.load.duration_us, 4'000'000) << "unset load keys keep the defaults";
  EXPECT_EQ(a.timeline[0].signal, 15);
  EXPECT_EQ(a.timeline[0].where.line, 7);
}

TEST(SuiteParser, TargetSettings) {
  auto s = parse_suite(R"(target:
  command: app --x
  sidecars: [{name: proxy, command: envoy}]
  env: {A: b}
  env-names: {port: HTTP_PORT}
  api: {place-path: /v1/orders, read-path: "/v1/orders/{id}", accepted-statuses: [200]}
scenarios: [{name: a, checks: [ready-within], timeline: [{at: 0s, action: signal, signal: SIGSTOP, to: proxy}]}]
)",
                       "s.yaml");
  EXPECT_EQ(s.target.sidecars[0].name, "proxy");
  EXPECT_EQ(s.target.app.env.at("A"), "b");
  EXPECT_EQ(s.target.env_names.port, "HTTP_PORT");
  EXPECT_EQ(s.target.env_names.data_dir, "DATA_DIR");
  EXPECT_EQ(s.target.api.place_path, "/v1/orders");
  EXPECT_EQ(s.target.api.statuses.accepted, std::vector<int>{200});
}

TEST(SuiteParser, RestartPolicyPerContainer) {
  auto s = parse_suite(R"(target:
  command: app
  restart-policy: always
  sidecars: [{name: a, command: x, kind: classic}, {name: b, command: y, kind: classic, restart-policy: always}]
scenarios: [{name: a, checks: [ready-within]}]
)",
                       "s.yaml");
  EXPECT_EQ(s.target.app.restart, RestartPolicy::always);
  EXPECT_EQ(s.target.sidecars[0].restart, RestartPolicy::never) << "never is the default";
  EXPECT_EQ(s.target.sidecars[1].restart, RestartPolicy::always);
  EXPECT_EQ(error_of("target: {command: a, restart-policy: OnFailure}\nscenarios: [{name: a, checks: [ready-within]}]\n"),
            "s.yaml:1:38: unknown restart-policy 'OnFailure'; expected never (the default: a crashed container stays "
            "down) or always (restarted with the kubelet's back-off)");
}

TEST(SuiteParser, SidecarsAreNativeByDefaultWithReadyPathAndTheirOwnEnv) {
  auto s = parse_suite(R"(target:
  command: app
  env: {PAYMENT_URL: "http://127.0.0.1:${PORT_AMBASSADOR}/payment"}
  sidecars:
    - {name: ambassador, command: amb, ready-path: /healthz}
    - {name: log-shipper, command: ship, kind: classic, env: {TO: "${COURIER_URL}", PEER: "${PORT_APP}"}}
scenarios: [{name: a, checks: [ready-within]}]
)",
                       "s.yaml");
  ASSERT_EQ(s.target.sidecars.size(), 2u);
  EXPECT_EQ(s.target.sidecars[0].kind, SidecarKind::native);
  EXPECT_EQ(s.target.sidecars[0].ready_path, "/healthz");
  EXPECT_EQ(s.target.sidecars[1].kind, SidecarKind::classic);
  EXPECT_EQ(s.target.sidecars[1].env.at("TO"), "${COURIER_URL}") << "expanded when the container starts";
  EXPECT_EQ(s.target.app.env.at("PAYMENT_URL"), "http://127.0.0.1:${PORT_AMBASSADOR}/payment");
  EXPECT_EQ(port_variable("log-shipper"), "PORT_LOG_SHIPPER");
  EXPECT_EQ(expand("a ${PORT_APP} $b ${X}", {{"PORT_APP", "8080"}, {"X", "y"}}), "a 8080 $b y");
}

TEST(SuiteParser, SidecarMistakesNameTheirPlace) {
  const std::string head = "target:\n  command: app\n";
  const std::string tail = "scenarios: [{name: a, checks: [ready-within]}]\n";
  EXPECT_EQ(error_of(head + "  sidecars: [{name: s, command: x, kind: init}]\n" + tail),
            "s.yaml:3:42: unknown sidecar kind 'init'; expected native (the default: Kubernetes 1.29+ sidecars, "
            "started first and stopped after the app) or classic (a plain container, started and stopped with the app)");
  EXPECT_NE(error_of(head + "  sidecars: [{name: s, command: x, restart-policy: never}]\n" + tail).find("always restarted"),
            std::string::npos);
  EXPECT_NE(error_of(head + "  sidecars: [{name: s, command: x, ready-path: healthz}]\n" + tail).find("start with '/'"),
            std::string::npos);
  EXPECT_EQ(error_of(head + "  env: {A: \"${PORT_NOPE}\"}\n" + tail),
            "s.yaml:3:12: in env A: ${PORT_NOPE} is not one of PAYMENT_URL, COURIER_URL, OTEL_EXPORTER_OTLP_ENDPOINT, PORT_APP");
  EXPECT_NE(error_of(head + "  env: {A: \"${PORT_APP\"}\n" + tail).find("unclosed"), std::string::npos);
  EXPECT_NE(error_of(head + "  env: {PORT: \"1\"}\n" + tail).find("given by the harness"), std::string::npos);
  EXPECT_NE(error_of(head + "  sidecars: [{name: s, command: x, env: {DATA_DIR: /tmp}}]\n" + tail).find("given by the harness"),
            std::string::npos);
  EXPECT_NE(error_of(head + "  sidecars: [{name: a-b, command: x}, {name: a_b, command: y}]\n" + tail).find("PORT_A_B"),
            std::string::npos);
}

TEST(SuiteParser, ErrorsNameLineColumnAndExpectation) {
  EXPECT_EQ(error_of(""), "s.yaml:1:1: the suite is empty; expected keys: suite, target, dependencies, defaults, scenarios");
  EXPECT_EQ(error_of("target: {command: a}\nscenarios: [{name: a, checks: [ready-within], timout: 1s}]\n"),
            "s.yaml:2:47: unknown key 'timout' in a scenario; valid keys: name, timeline, grace, readiness-flip, "
            "ready-within, cold-start, exit-codes, settle, load, checks, error-budget, scaling");
  EXPECT_NE(error_of("target: {command: a}\nscenarios: [{name: a, checks: [ready-within], grase: 1s}]\n")
                .find("(did you mean 'grace'?)"),
            std::string::npos);
  EXPECT_EQ(error_of("target: {command: a}\nscenarios: [{name: a, checks: [ready-within], exit-codes: [x]}]\n"),
            "s.yaml:2:60: expected exit-codes as a whole number from 0 to 255");
  EXPECT_EQ(error_of("target: {command: a}\nscenarios: [{name: a, checks: []}]\n"),
            "s.yaml:2:13: scenario 'a' has no checks: list them under 'checks' here or in defaults");
  EXPECT_NE(error_of("target: {command: a}\nscenarios: [{name: a, checks: [ready-within], timeline: [{at: 1s}]}]\n")
                .find("s.yaml:2:58: a timeline step needs 'action'"),
            std::string::npos);
  EXPECT_NE(error_of("target: {command: a}\nscenarios: [{name: a, checks: [ready-within], timeline: [{at: 1s, "
                     "action: signal, signal: TERM, to: ghost}]}]\n")
                .find("unknown container 'ghost'"),
            std::string::npos);
  EXPECT_NE(error_of("target: {command: a}\nscenarios: [{name: a, checks: [ready-within], timeline: [{at: 1s, "
                     "action: stop, signal: TERM}]}]\n")
                .find("'signal' only applies to action 'signal'"),
            std::string::npos);
  EXPECT_NE(error_of("target: {command: a, api: {read-path: /orders}}\nscenarios: [{name: a, checks: [ready-within]}]\n")
                .find("expected read-path to contain {id}"),
            std::string::npos);
  EXPECT_NE(error_of("target: {command: a, sidecars: [{name: app, command: b}]}\nscenarios: []\n").find("taken by the app"),
            std::string::npos);
}

TEST(SuiteParser, FaultStepsAndErrorBudget) {
  auto s = parse_suite(R"(target: {command: app}
defaults: {checks: [error-budget], error-budget: {outside: 2%, within: 0.25}, load: {duration: 5s}}
scenarios:
  - name: a
    timeline:
      - {at: 1s, action: fault, on: payment, fault: latency, direction: downstream, probability: 50%,
         params: {latency: 3s}, until: stop}
      - {at: 4s, name: stop, action: stop}
      - {at: 2s, action: fault, on: courier, fault: refuse, for: 1500ms}
)",
                       "s.yaml");
  const auto& a = s.scenarios[0];
  EXPECT_DOUBLE_EQ(a.limits.error_budget.outside, 0.02);
  EXPECT_DOUBLE_EQ(a.limits.error_budget.within, 0.25);
  const auto& f = a.timeline[0].fault;
  EXPECT_EQ(a.timeline[0].action, Action::fault);
  EXPECT_EQ(f.dependency, "payment");
  EXPECT_EQ(f.type, "latency");
  EXPECT_EQ(f.direction, "downstream");
  EXPECT_DOUBLE_EQ(f.probability, 0.5);
  EXPECT_EQ(f.params.at("latency"), "3s");
  EXPECT_EQ(f.ends_at_us, 4'000'000) << "until a named step ends at that step's time";
  EXPECT_EQ(f.type_where.line, 6);
  EXPECT_EQ(a.timeline[2].fault.ends_at_us, 3'500'000);
}

TEST(SuiteParser, FaultStepErrors) {
  const std::string head = "target: {command: a}\nscenarios:\n  - name: a\n    checks: [ready-within]\n    timeline:\n";
  EXPECT_NE(error_of(head + "      - {at: 1s, action: fault, on: db, fault: latency, for: 1s}\n")
                .find("s.yaml:6:37: unknown dependency 'db'; valid: payment, courier"),
            std::string::npos);
  EXPECT_NE(error_of(head + "      - {at: 1s, action: fault, on: payment, fault: latency}\n")
                .find("exactly one of 'for' (a duration) or 'until'"),
            std::string::npos);
  EXPECT_NE(error_of(head + "      - {at: 1s, action: fault, on: payment, fault: latency, until: nope}\n")
                .find("no step is named 'nope'"),
            std::string::npos);
  EXPECT_NE(error_of(head + "      - {at: 1s, action: fault, on: payment, fault: latency, for: 10s}\n")
                .find("this fault window ends at 11s but the load ends at 5s"),
            std::string::npos);
  EXPECT_NE(error_of(head + "      - {at: 1s, action: fault, on: payment, fault: latency, for: 1s, probability: 2}\n")
                .find("expected probability as a share such as 5% or 0.05"),
            std::string::npos);
  EXPECT_NE(error_of(head + "      - {at: 1s, action: stop, for: 1s}\n").find("'for' only applies to action 'fault'"),
            std::string::npos);
  EXPECT_NE(error_of(head + "      - {at: 1s, action: fault, on: payment, fault: x, for: 1s, direction: sideways}\n")
                .find("expected direction as upstream, downstream or both"),
            std::string::npos);
}

// yaml-cpp parses nesting by recursion: hostile input must end as a clear
// error at once, never a stack overflow or seconds of tokenising.
TEST(SuiteParser, HostileSizeAndNestingAreClearErrors) {
  EXPECT_NE(error_of(std::string(1'000'000, '[')).find("s.yaml:1:65: brackets nested more than 64 deep"),
            std::string::npos);
  std::string block;
  for (int i = 0; i < 100'000; ++i) block += "- ";
  EXPECT_NE(error_of(block).find("nested more than"), std::string::npos) << error_of(block);
  EXPECT_NE(error_of(std::string(2 * 1024 * 1024, '#')).find("s.yaml: the suite is 2097152 bytes; expected at most"),
            std::string::npos);
  // Brackets in strings count too (the scan does not parse YAML): 62 of
  // them in a string inside one flow mapping are still within the bound.
  EXPECT_EQ(error_of("target: {command: \"app " + std::string(62, '[') + "\"}\nscenarios: []\n")
                .find("brackets nested"),
            std::string::npos);
}

TEST(SuiteParser, NotANumberIsNotAShare) {
  const std::string head = "target: {command: app}\nscenarios: [{name: a, checks: [error-budget], ";
  EXPECT_NE(error_of(head + "error-budget: {outside: nan}}]\n").find("s.yaml:2:71: expected error-budget outside as a share"),
            std::string::npos);
  EXPECT_NE(error_of(head + "error-budget: {within: NaN%}}]\n").find("expected error-budget within as a share"),
            std::string::npos);
}

TEST(SuiteParser, MissingFileIsASuiteError) {
  EXPECT_THROW(load_suite("/nonexistent/suite.yaml"), SuiteError);
}

}  // namespace
}  // namespace firedrill::suite
