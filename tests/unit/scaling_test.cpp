// Scale-to-zero on hand-built data: the `scaling` settings as a suite
// writes them (and every way to write them wrong), and cold-start-within
// judging the activator's holds, with a conforming cycle broken one piece
// at a time.
#include <gtest/gtest.h>

#include <sstream>

#include "check_fixture.hpp"
#include "checks/cold_starts.hpp"
#include "history/history_json.hpp"
#include "suite/suite.hpp"

namespace firedrill::checks {
namespace {
using namespace fixture;

std::string error_of(const std::string& text) {
  try {
    suite::parse_suite(text, "s.yaml");
  } catch (const suite::SuiteError& e) {
    return e.what();
  }
  return "";
}

const std::string head = "target: {command: app}\n";

TEST(ScalingSettings, DefaultsFlowIntoScenariosAndScenariosOverrideKeyByKey) {
  auto s = suite::parse_suite(head + R"(defaults:
  cold-start: 3s
  scaling: {to-zero-after: 1s, max-held: 5}
  load: {rate: 10/s, duration: 5s}
  checks: [cold-start-within]
scenarios:
  - {name: a}
  - {name: b, scaling: {hold-timeout: 2s}, cold-start: 500ms}
  - {name: c, scaling: {to-zero-after: 2s}}
)", "s.yaml");
  ASSERT_TRUE(s.scenarios[0].scaling);
  EXPECT_EQ(s.scenarios[0].scaling->to_zero_after_us, 1'000'000);
  EXPECT_EQ(s.scenarios[0].scaling->hold_timeout_us, 10'000'000) << "Cloud Run's default";
  EXPECT_EQ(s.scenarios[0].scaling->max_held, 5);
  EXPECT_EQ(s.scenarios[0].limits.cold_start_us, 3'000'000);
  EXPECT_EQ(s.scenarios[1].scaling->hold_timeout_us, 2'000'000);
  EXPECT_EQ(s.scenarios[1].scaling->to_zero_after_us, 1'000'000) << "kept from defaults";
  EXPECT_EQ(s.scenarios[1].limits.cold_start_us, 500'000);
  EXPECT_EQ(s.scenarios[2].scaling->to_zero_after_us, 2'000'000);
  EXPECT_EQ(s.scenarios[2].scaling->max_held, 5);
}

TEST(ScalingSettings, WithoutScalingTheLoadGoesToTheApp) {
  auto s = suite::parse_suite(head + "scenarios: [{name: a, checks: [ready-within]}]\n", "s.yaml");
  EXPECT_FALSE(s.scenarios[0].scaling);
  EXPECT_EQ(s.scenarios[0].limits.cold_start_us, 10'000'000);
}

TEST(ScalingSettings, BadSettingsNameFileLineAndColumn) {
  const std::string checks = "    checks: [cold-start-within]\n    load: {rate: 10/s, duration: 5s}\n";
  EXPECT_EQ(error_of(head + "scenarios:\n  - name: a\n    scaling: {to-zero-after: -1s}\n" + checks),
            "s.yaml:4:30: expected to-zero-after as a duration of 0 or more, such as 500ms, 2s or 1.5m: a negative "
            "duration has no meaning here");
  EXPECT_NE(error_of(head + "scenarios:\n  - name: a\n    scaling: {to-zero-after: 1s, hold-timeout: -2s}\n" + checks)
                .find("s.yaml:4:48: expected hold-timeout as a duration of 0 or more"),
            std::string::npos);
  EXPECT_EQ(error_of(head + "scenarios:\n  - name: a\n    scaling: {to-zero-after: 0s}\n" + checks),
            "s.yaml:4:30: expected to-zero-after as a duration above 0, e.g. 2s");
  EXPECT_NE(error_of(head + "scenarios:\n  - name: a\n    scaling: {hold-timeout: 2s}\n" + checks)
                .find("s.yaml:4:14: scaling needs 'to-zero-after'"),
            std::string::npos);
  EXPECT_NE(error_of(head + "scenarios:\n  - name: a\n    scaling: {to-zero-after: 6s}\n" + checks)
                .find("s.yaml:4:30: to-zero-after is 6s but the load lasts 5s"),
            std::string::npos);
  EXPECT_NE(error_of(head + "scenarios:\n  - name: a\n    scaling: {to-zero-after: 1s, max-held: 0}\n" + checks)
                .find("s.yaml:4:44: expected max-held as a whole number from 1"),
            std::string::npos);
  EXPECT_NE(error_of(head + "scenarios:\n  - name: a\n    scaling: {to-zero-after: 1s, hold: 1s}\n" + checks)
                .find("unknown key 'hold' in scaling"),
            std::string::npos);
  const std::string rollout = error_of(head + "scenarios:\n  - name: a\n    scaling: {to-zero-after: 1s}\n" + checks +
                                       "    timeline: [{at: 1s, action: rollout}]\n");
  EXPECT_NE(rollout.find("s.yaml:7:33: a rollout cannot be combined with scaling"), std::string::npos) << rollout;
  EXPECT_NE(error_of(head + "scenarios:\n  - name: a\n    cold-start: -1s\n" + checks).find("s.yaml:4:17"),
            std::string::npos);
}

// A warm pod, a scale-down at 2 s, a request at 4 s held through a cold
// start (pod start 4.001 s, ready 4.100 s) and accepted at 4.150 s.
Fixture one_cycle() {
  Fixture f;
  auto act = [](std::int64_t at, EventKind k, int cycle, std::string detail = {}, std::int64_t since = -1) {
    Event e = event(at, k, cycle);
    e.container = history::activator_lane;
    e.detail = std::move(detail);
    e.since_us = since;
    return e;
  };
  f.h.events = {event(0, EventKind::pod_start),
                event(50 * ms, EventKind::ready),
                act(2000 * ms, EventKind::scale_down, 1),
                sig(2000 * ms, SIGTERM),
                exited(2500 * ms, 0),
                act(2500 * ms, EventKind::at_zero, 1),
                act(4000 * ms, EventKind::scale_up, 1),
                event(4001 * ms, EventKind::pod_start, 2),
                event(4090 * ms, EventKind::ready, 2),
                act(4100 * ms, EventKind::serving, 1),
                act(4101 * ms, EventKind::held, 1, "h1", 4000 * ms)};
  f.h.operations = {op("a", Outcome::ok, Reason::accepted, 900 * ms, 1000 * ms),
                    op("h1", Outcome::ok, Reason::accepted, 4000 * ms, 4150 * ms)};
  f.limits.cold_start_us = 1'000'000;
  return f;
}

TEST(ColdStartWithin, AHeldRequestAcceptedInTimePasses) {
  auto f = one_cycle();
  auto r = f.run(cold_start_within);
  EXPECT_EQ(r.verdict, Verdict::pass) << r.message;
  EXPECT_NE(r.message.find("all 1 requests held in 1 cold starts"), std::string::npos) << r.message;
  EXPECT_NE(r.message.find("hold p50 101ms"), std::string::npos) << r.message;
  ASSERT_EQ(r.evidence.size(), 1u);
  EXPECT_NE(r.evidence[0].find("cold start 149ms"), std::string::npos) << r.evidence[0];
}

TEST(ColdStartWithin, AcceptedTooLateFails) {
  auto f = one_cycle();
  f.limits.cold_start_us = 100'000;
  auto r = f.run(cold_start_within);
  EXPECT_EQ(r.verdict, Verdict::fail);
  ASSERT_EQ(r.evidence.size(), 1u);
  EXPECT_NE(r.evidence[0].find("order h1 arrived t=4.000s: held 101ms, released to the app at t=4.101s, answered at "
                               "t=4.150s (accepted, 150ms after arrival); cycle 1: pod start t=4.001s, activator saw "
                               "ready t=4.100s"),
            std::string::npos)
      << r.evidence[0];
}

TEST(ColdStartWithin, RefusedByAnAppThatSaidItWasReadyFails) {
  auto f = one_cycle();
  f.h.operations[1] = op("h1", Outcome::fail, Reason::refused_status, 4000 * ms, 4110 * ms);
  f.h.operations[1].status = 503;
  auto r = f.run(cold_start_within);
  EXPECT_EQ(r.verdict, Verdict::fail);
  EXPECT_NE(r.evidence[0].find("(refused 503)"), std::string::npos) << r.evidence[0];
}

TEST(ColdStartWithin, CutAfterReleaseFails) {
  auto f = one_cycle();
  f.h.operations[1] = op("h1", Outcome::info, Reason::reset, 4000 * ms, 4110 * ms);
  EXPECT_EQ(f.run(cold_start_within).verdict, Verdict::fail);
}

TEST(ColdStartWithin, AnswersOfTheActivatorItselfFail) {
  for (auto kind : {EventKind::hold_timeout, EventKind::hold_overflow}) {
    auto f = one_cycle();
    f.h.events.back().kind = kind;
    f.h.operations[1] = op("h1", Outcome::fail, Reason::refused_status, 4000 * ms, 4101 * ms);
    auto r = f.run(cold_start_within);
    EXPECT_EQ(r.verdict, Verdict::fail) << history::to_string(kind);
    EXPECT_NE(r.evidence[0].find("answered 503 by the activator"), std::string::npos) << r.evidence[0];
  }
}

TEST(ColdStartWithin, NothingHeldIsUnknownNeverAPass) {
  auto f = conforming();
  auto r = f.run(cold_start_within);
  EXPECT_EQ(r.verdict, Verdict::unknown);
  EXPECT_NE(r.message.find("never scaled to zero"), std::string::npos);
}

TEST(ColdStartWithin, CyclesPairTheScaleUpWithTheAppStartItMade) {
  auto f = one_cycle();
  const auto cycles = scale_cycles(f.h);
  ASSERT_EQ(cycles.size(), 1u);
  ASSERT_NE(cycles[0].app_start, nullptr);
  EXPECT_EQ(cycles[0].app_start->generation, 2);
  EXPECT_EQ(cycles[0].cold_start_us, 149'000);
  ASSERT_EQ(cycles[0].held.size(), 1u);
  EXPECT_EQ(cycles[0].held[0].hold_us(), 101'000);
}

TEST(ColdStartWithin, HoldsRoundTripThroughTheSavedHistory) {
  auto f = one_cycle();
  std::stringstream out;
  history::write_events(out, f.h.events);
  std::stringstream in(out.str());
  auto back = history::read_events(in, "events.jsonl");
  ASSERT_EQ(back.size(), f.h.events.size());
  EXPECT_EQ(back.back().since_us, 4000 * ms);
  EXPECT_EQ(back.back().kind, EventKind::held);
  EXPECT_EQ(back.front().since_us, -1);
  std::stringstream bad(R"({"at_us":5,"kind":"held","container":"activator","generation":1,"signal":0,"exit_code":-1,"by_harness":false,"detail":"x","since_us":9})");
  EXPECT_THROW(history::read_events(bad, "events.jsonl"), history::HistoryFormatError);
}

}  // namespace
}  // namespace firedrill::checks
