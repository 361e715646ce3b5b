// no-unexpected-exits on hand-built histories (SPEC §4): a crash under load
// fails with its container, start, status, time, the orders it cut and its
// last words; an exit that a harness action explains passes, whichever the
// action; an exit before the first ready is ready-within's; a sidecar's
// crash counts too. And a SIGTERM that found no app makes the drain checks
// unknown, never a pass.
#include <gtest/gtest.h>

#include <csignal>

#include "check_fixture.hpp"
#include "checks/registry.hpp"

namespace firedrill::checks {
namespace {
using namespace fixture;

// Start, ready, load, and then what the test adds.
Fixture running() {
  Fixture f;
  f.h.events = {event(0, EventKind::pod_start), event(50 * ms, EventKind::ready)};
  f.h.operations = {op("a", Outcome::ok, Reason::accepted, 900 * ms, 1100 * ms),
                    op("b", Outcome::info, Reason::eof, 1900 * ms, 2000 * ms),
                    op("c", Outcome::info, Reason::reset, 1950 * ms, 2000 * ms)};
  f.app_output = history::start_header(1) + "listening\nworking\npanic: out of cheese\n" + history::start_header(2) +
                 "listening again\n";
  return f;
}

TEST(NoUnexpectedExits, ACrashUnderLoadFailsWithEverythingAPlatformWouldShow) {
  auto f = running();
  f.h.events.push_back(exited(2000 * ms, 3));
  const auto r = f.run(no_unexpected_exits);
  EXPECT_EQ(r.verdict, Verdict::fail);
  EXPECT_EQ(r.message, "1 of 1 container exits were not the harness's doing (a crash under load)");
  ASSERT_FALSE(r.evidence.empty());
  EXPECT_EQ(r.evidence[0],
            "app start #1 exited with code 3 at t=2.000s with no signal, stop, rollout or scale-down of the harness "
            "before it; it cut 2 requests in flight (b, c); its output ends: listening | working | panic: out of "
            "cheese");
}

TEST(NoUnexpectedExits, ADeathBySignalNobodySentIsACrashToo) {
  auto f = running();
  f.h.events.push_back(exited(2000 * ms, -1, SIGSEGV));
  const auto r = f.run(no_unexpected_exits);
  EXPECT_EQ(r.verdict, Verdict::fail);
  EXPECT_NE(r.evidence[0].find("died by SIGSEGV at t=2.000s"), std::string::npos) << r.evidence[0];
}

TEST(NoUnexpectedExits, AnExitAHarnessActionExplainsPasses) {
  // A timeline signal, a pod stop or rollout (SIGTERM), a grace deadline's
  // SIGKILL, the final reaping's SIGKILL.
  for (const auto& why : {sig(1000 * ms, SIGTERM), sig(1000 * ms, SIGKILL), sig(1000 * ms, SIGINT),
                          sig(1000 * ms, SIGUSR1), sig(1000 * ms, SIGKILL, true)}) {
    auto f = running();
    f.h.events.push_back(why);
    f.h.events.push_back(exited(2000 * ms, 0, why.signal == SIGTERM ? 0 : why.signal));
    const auto r = f.run(no_unexpected_exits);
    EXPECT_EQ(r.verdict, Verdict::pass) << why.signal << ": " << r.message;
  }
}

TEST(NoUnexpectedExits, WhatDoesNotEndAProcessExplainsNothing) {
  // SIGSTOP / SIGCONT, a signal that found the app gone, a signal to an
  // earlier start or to another container, a signal after the exit.
  Event missed = sig(1000 * ms, SIGTERM);
  missed.delivered = false;
  Event other = sig(1000 * ms, SIGTERM);
  other.container = "shipper";
  for (const auto& not_why : {sig(1000 * ms, SIGSTOP), sig(1100 * ms, SIGCONT), missed, sig(1000 * ms, SIGTERM, false, 0),
                              other, sig(2500 * ms, SIGTERM)}) {
    auto f = running();
    f.h.events.push_back(not_why);
    f.h.events.push_back(exited(2000 * ms, 0));
    EXPECT_EQ(f.run(no_unexpected_exits).verdict, Verdict::fail) << not_why.signal << " " << not_why.container;
  }
}

TEST(NoUnexpectedExits, ASignalThatAsksForNoExitExplainsOnlyADeathByItself) {
  // A SIGHUP reload at 1 s does not explain a segfault or an exit at 10 s;
  // a SIGINT explains an exit within the grace period, not one long after.
  struct Case {
    Event why, exit;
    Verdict verdict;
  };
  for (const auto& c : {Case{sig(1000 * ms, SIGHUP), exited(10'000 * ms, -1, SIGSEGV), Verdict::fail},
                        Case{sig(1000 * ms, SIGHUP), exited(10'000 * ms, 0), Verdict::fail},
                        Case{sig(1000 * ms, SIGHUP), exited(1'001 * ms, -1, SIGHUP), Verdict::pass},
                        Case{sig(1000 * ms, SIGINT), exited(2'000 * ms, 130), Verdict::pass},
                        Case{sig(1000 * ms, SIGINT), exited(60'000 * ms, 1), Verdict::fail}}) {
    auto f = running();
    f.h.events.push_back(c.why);
    f.h.events.push_back(c.exit);
    EXPECT_EQ(f.run(no_unexpected_exits).verdict, c.verdict)
        << "signal " << c.why.signal << ", exit " << c.exit.exit_code << "/" << c.exit.signal << " at " << c.exit.at_us;
  }
}

TEST(NoUnexpectedExits, ACrashBeforeTheFirstReadyIsReadyWithinsBusiness) {
  Fixture f;
  f.h.events = {event(0, EventKind::pod_start), exited(100 * ms, 1)};
  EXPECT_EQ(f.run(no_unexpected_exits).verdict, Verdict::pass);
  EXPECT_EQ(f.run(ready_within).verdict, Verdict::fail);
}

TEST(NoUnexpectedExits, ASidecarsCrashCountsWithItsOwnOutput) {
  auto f = running();
  Event start = event(0, EventKind::pod_start);
  start.container = "shipper";
  Event crash = exited(1500 * ms, 2);
  crash.container = "shipper";
  f.h.events.push_back(start);
  f.h.events.push_back(crash);
  f.sidecar_output = "--- shipper ---\n" + history::start_header(1) + "spooling\nfatal: disk full\n";
  const auto r = f.run(no_unexpected_exits);
  EXPECT_EQ(r.verdict, Verdict::fail);
  EXPECT_EQ(r.evidence[0],
            "shipper start #1 exited with code 2 at t=1.500s with no signal, stop, rollout or scale-down of the "
            "harness before it; it cut 0 requests in flight; its output ends: spooling | fatal: disk full");
}

TEST(NoUnexpectedExits, UnknownWhenNothingStarted) {
  Fixture f;
  EXPECT_EQ(f.run(no_unexpected_exits).verdict, Verdict::unknown);
}

TEST(DrainChecks, ASigtermThatFoundNoAppIsUnknownNeverAPass) {
  auto f = running();
  f.h.events.push_back(exited(1500 * ms, 3));
  Event missed = sig(2000 * ms, SIGTERM);
  missed.delivered = false;
  f.h.events.push_back(missed);
  for (auto check : {drain_within_grace, in_flight_completed, readiness_flips}) {
    const auto r = f.run(check);
    EXPECT_EQ(r.verdict, Verdict::unknown) << r.message;
    bool says_why = false;
    for (const auto& e : r.evidence) says_why |= e.find("the app was not running") != std::string::npos;
    EXPECT_TRUE(says_why) << r.message;
  }
}

}  // namespace
}  // namespace firedrill::checks
