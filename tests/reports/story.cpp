#include "reports/story.hpp"

#include <csignal>

#include "checks/evidence.hpp"

namespace firedrill::testing {
namespace {

using checks::CheckResult;
using checks::Verdict;
using history::Event;
using history::EventKind;
using history::Outcome;
using history::Reason;

Event event(std::int64_t at, EventKind kind, int generation, std::string container = "app") {
  Event e;
  e.at_us = at;
  e.kind = kind;
  e.container = std::move(container);
  e.generation = generation;
  return e;
}

Event signal(std::int64_t at, int sig, int generation, bool by_harness = false) {
  Event e = event(at, EventKind::signal, generation);
  e.signal = sig;
  e.by_harness = by_harness;
  return e;
}

engine::ScenarioResult clean_drain() {
  engine::ScenarioResult s;
  s.name = "sigterm-idle";
  s.target = "/opt/shop/order-service";
  s.seed = 42;
  s.seconds = 3.1;
  s.achieved_rate = 50;
  for (int n = 0; n < 100; ++n)
    s.history.operations.push_back(order(n, 300 * ms + n * 20 * ms, Outcome::ok, Reason::accepted, 201, 15 * ms));
  Event exit_clean = event(2700 * ms, EventKind::exit, 1);
  exit_clean.exit_code = 0;
  s.history.events = {event(0, EventKind::pod_start, 1), event(250 * ms, EventKind::ready, 1),
                      event(300 * ms, EventKind::load_start, 1), event(2300 * ms, EventKind::load_end, 1),
                      signal(2500 * ms, SIGTERM, 1), event(2510 * ms, EventKind::not_ready, 1), exit_clean};
  s.picked_checks = {"accepted-orders-durable", "drain-within-grace"};
  s.results = {CheckResult{"accepted-orders-durable", Verdict::pass, "all 100 accepted orders read back", {}},
               CheckResult{"drain-within-grace", Verdict::pass, "the app exited with code 0 0.2 s after SIGTERM", {}}};
  return s;
}

}  // namespace

history::Operation order(int n, std::int64_t sent, history::Outcome outcome, history::Reason reason, int status,
                         std::int64_t took) {
  history::Operation op;
  op.id = "ord-" + std::to_string(n);
  op.set_intended_us(sent);
  op.set_sent_us(sent);
  op.set_written_us(sent + 100);
  op.set_completed_us(sent + took);
  op.connection = static_cast<std::uint32_t>(n % 16);
  op.outcome = outcome;
  op.reason = reason;
  op.status = status;
  return op;
}

// The story of sigterm-mid-rush with an app that does not drain: 200
// orders/s from 0.4 s to 5.4 s; SIGTERM at 2.4 s, the app flips readiness
// but hangs, is SIGKILLed at the 1.5 s grace deadline, and is restarted.
engine::ScenarioResult mid_rush_story() {
  engine::ScenarioResult s;
  s.name = "sigterm-mid-rush";
  s.target = "/opt/shop/order-service --port ${PORT} <&>";
  s.seed = 42;
  s.seconds = 7.3;
  s.achieved_rate = 200;
  auto& h = s.history;
  int n = 0;
  for (std::int64_t t = 400 * ms; t < 5400 * ms; t += 5 * ms, ++n) {
    auto add = [&](Outcome o, Reason r, int status, std::int64_t took) {
      h.operations.push_back(order(n, t, o, r, status, took));
    };
    if (t < 2000 * ms || (t < 2300 * ms && n % 7)) add(Outcome::ok, Reason::accepted, 201, 20 * ms);
    else if (t < 2300 * ms) add(Outcome::info, Reason::timeout, 0, 5000 * ms);    // stuck behind the payment fault
    else if (t < 2400 * ms) add(Outcome::info, Reason::reset, 0, 3910 * ms - t);  // in flight at SIGTERM, cut by SIGKILL
    else if (t < 3910 * ms) add(Outcome::fail, Reason::refused_status, 503, 2 * ms);  // draining
    else if (t < 4900 * ms) add(Outcome::fail, Reason::connect_refused, 0, 1 * ms);   // down until the restart is ready
    else add(Outcome::ok, Reason::accepted, 201, 20 * ms);
  }
  Event start = event(0, EventKind::pod_start, 1);
  start.detail = s.target;
  Event fault_on = event(1200 * ms, EventKind::fault_on, 1, "payment");
  fault_on.detail = "delay 2s";
  Event exit_killed = event(3910 * ms, EventKind::exit, 1);
  exit_killed.signal = SIGKILL;
  Event restart = event(4500 * ms, EventKind::pod_start, 2);
  Event exit_clean = event(6800 * ms, EventKind::exit, 2);
  exit_clean.exit_code = 0;
  h.events = {start, event(350 * ms, EventKind::ready, 1), event(400 * ms, EventKind::load_start, 1), fault_on,
              signal(2400 * ms, SIGTERM, 1), event(2420 * ms, EventKind::not_ready, 1),
              event(2600 * ms, EventKind::fault_off, 1, "payment"), event(3900 * ms, EventKind::grace_deadline, 1),
              signal(3900 * ms, SIGKILL, 1, true), restart, event(4900 * ms, EventKind::ready, 2),
              exit_killed,  // recorded late, as exit callbacks are
              event(5420 * ms, EventKind::load_end, 2), event(5500 * ms, EventKind::settle_start, 2),
              signal(6500 * ms, SIGTERM, 2), event(6520 * ms, EventKind::not_ready, 2), exit_clean};

  const auto& ops = h.operations;
  s.picked_checks = {"accepted-orders-durable", "refused-orders-absent", "drain-within-grace", "in-flight-completed",
                     "readiness-flips", "ready-within"};
  s.results = {
      CheckResult{"accepted-orders-durable", Verdict::fail, "3 of 420 accepted orders were lost",
                  {history::describe(ops[40]), history::describe(ops[41]), history::describe(ops[330]),
                   checks::pod_timeline(h)}},
      CheckResult{"refused-orders-absent", Verdict::pass, "none of 498 refused orders read back", {}},
      CheckResult{"drain-within-grace", Verdict::fail, "1 of 2 stops did not drain: the app was SIGKILLed <grace over>",
                  {"SIGTERM t=2.400s, grace deadline t=3.900s, SIGKILL t=3.900s, exit by SIGKILL t=3.910s"}},
      CheckResult{"in-flight-completed", Verdict::fail, "20 requests in flight at SIGTERM were cut",
                  {history::describe(ops[380]), history::describe(ops[381]), "... and 18 more"}},
      CheckResult{"readiness-flips", Verdict::pass, "/readyz flipped 20 ms after SIGTERM (limit 500 ms)", {}},
      CheckResult{"ready-within", Verdict::pass, "both starts were ready within 10 s", {}}};
  for (int i = 0; i < 40; ++i) s.app_output += "INFO POST /orders 201 id=ord-" + std::to_string(i) + "\n";
  s.app_output += std::string("WARN <b>bold?</b> </script><script>alert(1)</script> <img src=x onerror=alert(2)>\n"
                              "\x1b[31mred\x1b[0m bad utf8:\xff & done\n");
  s.app_output_dropped = 4096;
  return s;
}

engine::RunResult report_story() {
  engine::RunResult run{"graceful-shutdown", "suites/graceful-shutdown.yaml", 42};
  run.scenarios = {mid_rush_story(), clean_drain()};
  return run;
}


}  // namespace firedrill::testing
