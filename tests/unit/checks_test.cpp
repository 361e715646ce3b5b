// Every check on hand-built histories: it passes on a conforming story,
// fails with counts and evidence on a broken one, and says unknown when it
// cannot be evaluated (never a silent pass).
#include <gtest/gtest.h>

#include <csignal>

#include "checks/registry.hpp"
#include "check_fixture.hpp"

namespace firedrill::checks {
namespace {

using namespace fixture;

TEST(Checks, ConformingStoryPassesEveryCheck) {
  for (const auto& def : all_checks()) {
    // The story has no scale-to-zero: its conforming cycle is in scaling_test.cpp.
    if (def.name == "cold-start-within") continue;
    auto f = conforming();
    auto r = run_check(def, CheckInput{f.h, f.readback, f.courier, f.limits, f.payments, {}, {}, &f.telemetry});
    EXPECT_EQ(r.verdict, Verdict::pass) << def.name << ": " << r.message;
    EXPECT_EQ(r.check, def.name);
  }
}

TEST(AcceptedOrdersDurable, LostOrderFailsWithIdAndTimeline) {
  auto f = conforming();
  f.readback.by_id["a"] = Stored::no;
  auto r = f.run(accepted_orders_durable);
  EXPECT_EQ(r.verdict, Verdict::fail);
  EXPECT_EQ(r.message, "1 of 1 accepted orders were lost (did not read back)");
  ASSERT_GE(r.evidence.size(), 2u);
  EXPECT_NE(r.evidence[0].find("a intended t=0.899s"), std::string::npos) << r.evidence[0];
  EXPECT_NE(r.evidence.back().find("SIGTERM t=1.000s"), std::string::npos) << r.evidence.back();
}

TEST(AcceptedOrdersDurable, UnknownWhenTheAppNeverCameBack) {
  auto f = conforming();
  f.readback = Readback{false, "the app never became ready"};
  auto r = f.run(accepted_orders_durable);
  EXPECT_EQ(r.verdict, Verdict::unknown);
  EXPECT_NE(r.message.find("never became ready"), std::string::npos);
}

TEST(AcceptedOrdersDurable, UnreadableIdIsUnknownNotPass) {
  auto f = conforming();
  f.readback.by_id.erase("a");
  EXPECT_EQ(f.run(accepted_orders_durable).verdict, Verdict::unknown);
}

TEST(AcceptedOrdersDurable, RecoveredIndeterminateOrdersAreReportedNotFailed) {
  auto f = conforming();
  auto r = f.run(accepted_orders_durable);
  EXPECT_EQ(r.verdict, Verdict::pass);
  EXPECT_NE(r.message.find("1 indeterminate orders recovered"), std::string::npos) << r.message;
}

TEST(AcceptedOrdersDurable, EvidenceIsCappedButTheCountIsNot) {
  auto f = conforming();
  for (int i = 0; i < 20; ++i) {
    auto id = "x" + std::to_string(i);
    f.h.operations.push_back(op(id, Outcome::ok, Reason::accepted, 10 * ms, 20 * ms));
    f.readback.by_id[id] = Stored::no;
  }
  auto r = f.run(accepted_orders_durable);
  EXPECT_EQ(r.message, "20 of 21 accepted orders were lost (did not read back)");
  EXPECT_NE(r.evidence[evidence_limit].find("and 15 more"), std::string::npos);
}

TEST(RefusedOrdersAbsent, PhantomFails) {
  auto f = conforming();
  f.readback.by_id["b"] = Stored::yes;
  auto r = f.run(refused_orders_absent);
  EXPECT_EQ(r.verdict, Verdict::fail);
  EXPECT_NE(r.evidence[0].find("b "), std::string::npos);
}

TEST(RefusedOrdersAbsent, UnknownWithoutReadback) {
  auto f = conforming();
  f.readback.ran = false;
  EXPECT_EQ(f.run(refused_orders_absent).verdict, Verdict::unknown);
}

TEST(AcceptedOrdersDispatched, MissingAssignmentFails) {
  auto f = conforming();
  f.courier.dispatched.clear();
  auto r = f.run(accepted_orders_dispatched);
  EXPECT_EQ(r.verdict, Verdict::fail);
  EXPECT_EQ(r.message, "1 of 1 accepted orders never reached the courier service");
}

TEST(AcceptedOrdersDispatched, UnknownWhenLedgerUnavailable) {
  auto f = conforming();
  f.courier = CourierLedger{false, "unreachable"};
  EXPECT_EQ(f.run(accepted_orders_dispatched).verdict, Verdict::unknown);
}

TEST(DrainWithinGrace, SigkilledAtTheDeadlineFails) {
  auto f = conforming();
  f.h.events.pop_back();
  f.h.events.push_back(event(6000 * ms, EventKind::grace_deadline));
  f.h.events.push_back(sig(6000 * ms, SIGKILL, true));
  f.h.events.push_back(exited(6001 * ms, -1, SIGKILL));
  auto r = f.run(drain_within_grace);
  EXPECT_EQ(r.verdict, Verdict::fail);
  EXPECT_NE(r.evidence[0].find("SIGKILLed at t=6.000s"), std::string::npos) << r.evidence[0];
}

TEST(DrainWithinGrace, DeathBySignalFails) {
  auto f = conforming();
  f.h.events.back() = exited(1001 * ms, -1, SIGTERM);
  auto r = f.run(drain_within_grace);
  EXPECT_EQ(r.verdict, Verdict::fail);
  EXPECT_NE(r.evidence[0].find("died by SIGTERM"), std::string::npos) << r.evidence[0];
}

TEST(DrainWithinGrace, ExitCodeOutsideTheAllowedSetFails) {
  auto f = conforming();
  f.h.events.back() = exited(1500 * ms, 1);
  EXPECT_EQ(f.run(drain_within_grace).verdict, Verdict::fail);
  f.limits.allowed_exit_codes = {0, 1};
  EXPECT_EQ(f.run(drain_within_grace).verdict, Verdict::pass);
}

TEST(DrainWithinGrace, UnknownWithoutSigtermOrExit) {
  auto f = conforming();
  f.h.events = {event(0, EventKind::pod_start)};
  EXPECT_EQ(f.run(drain_within_grace).verdict, Verdict::unknown);
  f.h.events.push_back(sig(10 * ms, SIGTERM));
  EXPECT_EQ(f.run(drain_within_grace).verdict, Verdict::unknown);
}

TEST(InFlightCompleted, RequestCutAfterSigtermFails) {
  auto f = conforming();
  f.h.operations.push_back(op("cut", Outcome::info, Reason::eof, 950 * ms, 1001 * ms));
  auto r = f.run(in_flight_completed);
  EXPECT_EQ(r.verdict, Verdict::fail);
  EXPECT_EQ(r.message, "1 of 2 requests in flight at SIGTERM were cut instead of answered");
}

TEST(InFlightCompleted, RequestsSentAfterTheSignalMayBeCut) {
  auto f = conforming();
  f.h.operations.push_back(op("late", Outcome::info, Reason::reset, 1300 * ms, 1301 * ms));
  auto r = f.run(in_flight_completed);
  EXPECT_EQ(r.verdict, Verdict::pass);
  EXPECT_NE(r.evidence.back().find("2 requests sent after SIGTERM were cut"), std::string::npos) << r.evidence.back();
}

TEST(InFlightCompleted, AnsweredWithRefusalCountsAsAnswered) {
  auto f = conforming();
  f.h.operations.push_back(op("r", Outcome::fail, Reason::refused_status, 950 * ms, 1200 * ms));
  EXPECT_EQ(f.run(in_flight_completed).verdict, Verdict::pass);
}

TEST(ReadinessFlips, StaleReadinessFails) {
  auto f = conforming();
  f.h.events[3].at_us = 1800 * ms;  // not_ready only 800 ms after SIGTERM, but the exit came first
  f.h.events[4].at_us = 1700 * ms;
  auto r = f.run(readiness_flips);
  EXPECT_EQ(r.verdict, Verdict::fail);
  EXPECT_NE(r.evidence[0].find("until the process exited"), std::string::npos) << r.evidence[0];
}

TEST(ReadinessFlips, ExitCountsAsNotReady) {
  auto f = conforming();
  f.h.events.erase(f.h.events.begin() + 3);
  f.h.events.back().at_us = 1200 * ms;
  EXPECT_EQ(f.run(readiness_flips).verdict, Verdict::pass);
}

TEST(ReadinessFlips, UnknownWhenNeitherFlipNorExitWasSeen) {
  auto f = conforming();
  f.h.events.resize(3);
  EXPECT_EQ(f.run(readiness_flips).verdict, Verdict::unknown);
}

TEST(TelemetryDelivered, EveryAcceptedOrderNeedsARecordAtTheReceiver) {
  auto f = conforming();
  EXPECT_EQ(f.run(telemetry_delivered).verdict, Verdict::pass);
  f.telemetry.first_arrival.clear();
  f.telemetry.first_arrival.emplace(history::OrderId("b"), 1200 * ms);  // a refused order's span is no help
  f.telemetry.last_arrival_us = 900 * ms;
  auto r = f.run(telemetry_delivered);
  EXPECT_EQ(r.verdict, Verdict::fail);
  EXPECT_EQ(r.message, "1 of 1 accepted orders have no span or log record at the telemetry receiver (1 records came)");
  bool relative = false;
  for (const auto& line : r.evidence) relative |= line.find("-0.100s from the SIGTERM at t=1.000s") != std::string::npos;
  EXPECT_TRUE(relative) << "the last record relative to the SIGTERM";
}

TEST(TelemetryDelivered, UnknownWhenTheReceiverWasNotReadOrTheAppNeverRan) {
  auto f = conforming();
  f.telemetry.available = false;
  f.telemetry.why_not = "the app never became ready";
  EXPECT_EQ(f.run(telemetry_delivered).verdict, Verdict::unknown);
  Fixture never_ran;
  never_ran.telemetry.available = true;
  EXPECT_EQ(never_ran.run(telemetry_delivered).verdict, Verdict::unknown);
}

TEST(ReadyWithin, SlowOrMissingStartFails) {
  auto f = conforming();
  f.limits.ready_within_us = 10 * ms;
  EXPECT_EQ(f.run(ready_within).verdict, Verdict::fail);
  f.limits.ready_within_us = 1000 * ms;
  f.h.events.push_back(event(2000 * ms, EventKind::pod_start, 2));
  auto r = f.run(ready_within);
  EXPECT_EQ(r.verdict, Verdict::fail);
  EXPECT_NE(r.evidence.back().find("start #2 at t=2.000s: never became ready"), std::string::npos);
}

TEST(ReadyWithin, AppNeverStartedBecauseANativeSidecarWasNotFailsElseIsUnknown) {
  Fixture f;
  EXPECT_EQ(f.run(ready_within).verdict, Verdict::unknown) << "no start, no reason: cannot be judged";
  auto sidecar = event(0, EventKind::pod_start);
  sidecar.container = "shipper";
  auto note = event(10'000 * ms, EventKind::start_note);
  note.container = "shipper";
  note.detail = "native sidecar not started within 10.000s (its ready-path /healthz on port 20002 never answered 200)";
  f.h.events = {sidecar, note};
  auto r = f.run(ready_within);
  EXPECT_EQ(r.verdict, Verdict::fail);
  ASSERT_FALSE(r.evidence.empty());
  EXPECT_NE(r.evidence[0].find("shipper start #1"), std::string::npos) << r.evidence[0];
}

TEST(ReadyWithin, AStartThatFailedQuotesWhatExplainsIt) {
  // The app's own previous start left TIME_WAIT sockets on its port, and
  // the app binds without SO_REUSEADDR: the app's failure, with the reason.
  auto f = conforming();
  f.h.events.push_back(event(2000 * ms, EventKind::pod_start, 2));
  auto note = event(4000 * ms, EventKind::start_note, 2);
  note.detail = "port 20001 was held only by TIME_WAIT sockets";
  f.h.events.push_back(note);
  f.h.events.push_back(exited(2100 * ms, 1, 0, 2));
  auto r = f.run(ready_within);
  EXPECT_EQ(r.verdict, Verdict::fail);
  EXPECT_NE(r.evidence.back().find("never became ready"), std::string::npos) << r.evidence.back();
  EXPECT_NE(r.evidence.back().find("port 20001 was held only by TIME_WAIT sockets"), std::string::npos)
      << r.evidence.back();
}

TEST(AcceptedOrdersChargedOnce, ReplaysUnderTheSameKeyAreNotCharges) {
  auto f = conforming();
  EXPECT_EQ(f.run(accepted_orders_charged_once).verdict, Verdict::pass);
}

TEST(AcceptedOrdersChargedOnce, SecondChargeUnderANewKeyFailsWithTheAttempts) {
  auto f = conforming();
  f.payments.add(ChargeAttempt{"a", "a-retry1", 2950 * ms, true});
  auto r = f.run(accepted_orders_charged_once);
  EXPECT_EQ(r.verdict, Verdict::fail);
  EXPECT_EQ(r.message, "1 of 1 accepted orders were not charged exactly once (0 never, 1 more than once)");
  EXPECT_NE(r.evidence[0].find("a charged 2 times: t=0.950s key 'a' charged; t=0.990s key 'a' replayed; "
                               "t=2.950s key 'a-retry1' charged"),
            std::string::npos)
      << r.evidence[0];
}

TEST(AcceptedOrdersChargedOnce, NeverChargedFails) {
  auto f = conforming();
  f.payments.clear();
  auto r = f.run(accepted_orders_charged_once);
  EXPECT_EQ(r.verdict, Verdict::fail);
  EXPECT_NE(r.evidence[0].find("a charged 0 times: no charge attempt"), std::string::npos) << r.evidence[0];
}

TEST(AcceptedOrdersChargedOnce, UnknownWithoutLedger) {
  auto f = conforming();
  f.payments = PaymentLedger{};
  f.payments.why_not = "the suite points payment at its own gateway";
  EXPECT_EQ(f.run(accepted_orders_charged_once).verdict, Verdict::unknown);
}

// 100 orders, one every 10 ms; `refused` of them (evenly spread over
// [from, to)) were refused.
Fixture budget_story(std::int64_t from, std::int64_t to, int refused) {
  Fixture f;
  f.h.events = {event(0, EventKind::pod_start), event(5 * ms, EventKind::ready)};
  for (int i = 0; i < 100; ++i) {
    std::int64_t t = (10 + 10 * i) * ms;
    f.h.operations.push_back(op("o" + std::to_string(i), Outcome::ok, Reason::accepted, t, t + 5 * ms));
  }
  int left = refused;
  for (auto& o : f.h.operations)
    if (left > 0 && o.intended_us() >= from && o.intended_us() < to) {
      o.outcome = Outcome::fail;
      o.reason = Reason::refused_status;
      --left;
    }
  return f;
}

TEST(ErrorBudget, RefusalsOutsideAnyWindowSpendTheStrictBudget) {
  auto f = budget_story(0, 2000 * ms, 2);
  f.limits.error_budget = {0.05, 1.0};
  EXPECT_EQ(f.run(error_budget).verdict, Verdict::pass);
  f = budget_story(0, 2000 * ms, 10);
  f.limits.error_budget = {0.05, 1.0};
  auto r = f.run(error_budget);
  EXPECT_EQ(r.verdict, Verdict::fail);
  EXPECT_NE(r.message.find("10 of 100 orders not accepted outside disruption windows (10.00%, budget 5.00%)"),
            std::string::npos)
      << r.message;
}

TEST(ErrorBudget, RefusalsWithinAFaultWindowSpendTheLooseBudget) {
  auto f = budget_story(300 * ms, 500 * ms, 15);
  Event on = event(300 * ms, EventKind::fault_on), off = event(500 * ms, EventKind::fault_off);
  on.container = off.container = "payment";
  on.detail = off.detail = "http-status";
  f.h.events.push_back(on);
  f.h.events.push_back(off);
  f.limits.error_budget = {0.01, 0.8};
  EXPECT_EQ(f.run(error_budget).verdict, Verdict::pass) << f.run(error_budget).message;
  f.limits.error_budget.within = 0.2;
  auto r = f.run(error_budget);
  EXPECT_EQ(r.verdict, Verdict::fail);
  EXPECT_NE(r.message.find("15 of 20 within"), std::string::npos) << r.message;
}

TEST(ErrorBudget, ASignalOpensAWindowUntilTheAppIsReadyAgain) {
  auto f = budget_story(600 * ms, 800 * ms, 20);
  f.h.events.push_back(sig(600 * ms, SIGKILL));
  f.h.events.push_back(event(800 * ms, EventKind::ready, 2));
  EXPECT_EQ(f.run(error_budget).verdict, Verdict::pass) << f.run(error_budget).message;
}

TEST(ErrorBudget, ASignalThatFoundNoAppOpensNoWindow) {
  // The app crashed at 590 ms; the SIGTERM at 600 ms reached no process.
  // The refusals after the crash are an outage, not a drain.
  auto f = budget_story(600 * ms, 800 * ms, 20);
  auto lost = sig(600 * ms, SIGTERM);
  lost.delivered = false;
  f.h.events.push_back(lost);
  f.h.events.push_back(event(800 * ms, EventKind::ready, 2));
  EXPECT_EQ(f.run(error_budget).verdict, Verdict::fail) << f.run(error_budget).message;
}

TEST(NoLeftoverProcesses, AProcessThatOutlivedThePodFailsWithPidAndCommand) {
  auto f = conforming();
  EXPECT_EQ(f.run(no_leftover_processes).verdict, Verdict::pass);
  Event left = event(1600 * ms, EventKind::leftover);
  left.detail = "pid 4242: /usr/bin/sleep infinity";
  f.h.events.push_back(left);
  auto r = f.run(no_leftover_processes);
  EXPECT_EQ(r.verdict, Verdict::fail);
  EXPECT_EQ(r.evidence[0], "pid 4242: /usr/bin/sleep infinity at t=1.600s");
}

TEST(NoLeftoverProcesses, UnknownWhileTheAppNeverExited) {
  auto f = conforming();
  f.h.events.pop_back();
  EXPECT_EQ(f.run(no_leftover_processes).verdict, Verdict::unknown);
}

TEST(Registry, ACheckThatThrowsIsUnknownNotACrash) {
  CheckDef boom{"boom", "never", [](const CheckInput&) -> CheckResult { throw std::runtime_error("bad data"); }};
  auto f = conforming();
  auto r = run_check(boom, CheckInput{f.h, f.readback, f.courier, f.limits, f.payments});
  EXPECT_EQ(r.verdict, Verdict::unknown);
  EXPECT_NE(r.message.find("bad data"), std::string::npos);
}

TEST(Registry, EveryCheckOfTheSpecIsRegistered) {
  for (const char* n : {"accepted-orders-durable", "refused-orders-absent", "accepted-orders-dispatched",
                        "drain-within-grace", "in-flight-completed", "readiness-flips", "ready-within",
                        "accepted-orders-charged-once", "error-budget", "no-leftover-processes"})
    EXPECT_NE(find_check(n), nullptr) << n;
  EXPECT_EQ(find_check("nope"), nullptr);
}

}  // namespace
}  // namespace firedrill::checks
