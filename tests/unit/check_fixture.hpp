// Hand-built histories for the checks' tests: orders, pod events and a
// conforming story (start, ready, three orders, SIGTERM, flip, clean exit)
// to break one piece at a time.
#pragma once
#include <csignal>
#include <string>

#include "checks/registry.hpp"

namespace firedrill::checks::fixture {

using history::Event;
using history::EventKind;
using history::Operation;
using history::Outcome;
using history::Reason;

inline constexpr std::int64_t ms = 1000;

inline Operation op(std::string id, Outcome o, Reason r, std::int64_t written, std::int64_t completed) {
  Operation x;
  x.id = std::move(id);
  x.set_intended_us(written - 1 * ms);
  x.set_sent_us(written - 1 * ms);
  x.set_written_us(written);
  x.set_completed_us(completed);
  x.outcome = o;
  x.reason = r;
  return x;
}

inline Event event(std::int64_t at, EventKind k, int gen = 1) {
  Event e;
  e.at_us = at;
  e.kind = k;
  e.container = "app";
  e.generation = gen;
  return e;
}

inline Event sig(std::int64_t at, int s, bool by_harness = false, int gen = 1) {
  Event e = event(at, EventKind::signal, gen);
  e.signal = s;
  e.by_harness = by_harness;
  return e;
}

inline Event exited(std::int64_t at, int code, int by_signal = 0, int gen = 1) {
  Event e = event(at, EventKind::exit, gen);
  e.exit_code = code;
  e.signal = by_signal;
  return e;
}

struct Fixture {
  std::string app_output, sidecar_output;
  history::History h;
  Readback readback{true};
  CourierLedger courier{true};
  Limits limits;
  PaymentLedger payments = [] {
    PaymentLedger p;
    p.available = true;
    return p;
  }();
  TelemetryLedger telemetry;
  CheckResult run(Evaluate f) const {
    return f(CheckInput{h, readback, courier, limits, payments, app_output, sidecar_output, &telemetry});
  }
};

// A conforming story: start, ready, three orders, SIGTERM, flip, clean exit.
inline Fixture conforming() {
  Fixture f;
  f.h.events = {event(0, EventKind::pod_start), event(50 * ms, EventKind::ready), sig(1000 * ms, SIGTERM),
                event(1010 * ms, EventKind::not_ready), exited(1500 * ms, 0)};
  f.h.operations = {op("a", Outcome::ok, Reason::accepted, 900 * ms, 1100 * ms),
                    op("b", Outcome::fail, Reason::refused_status, 1200 * ms, 1210 * ms),
                    op("c", Outcome::info, Reason::reset, 1600 * ms, 1601 * ms)};
  f.readback.by_id = {{"a", Stored::yes}, {"b", Stored::no}, {"c", Stored::yes}};
  f.courier.dispatched = {"a"};
  f.telemetry.available = true;
  f.telemetry.first_arrival.emplace(history::OrderId("a"), 1100 * ms);
  f.telemetry.last_arrival_us = 1100 * ms;
  f.telemetry.records = 1;
  f.payments.add(ChargeAttempt{"a", "a", 950 * ms, true});
  f.payments.add(ChargeAttempt{"a", "a", 990 * ms, false});
  return f;
}

}  // namespace firedrill::checks::fixture
