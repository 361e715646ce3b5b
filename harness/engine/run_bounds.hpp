// The harness's own bounds on waiting (SPEC §5 exit 3: "timeout of its
// own"). Every wait of a scenario has one; their sum, per scenario, is the
// longest a scenario may take, and the sum over the run is the run's
// default deadline. All generous: they exist to end hangs, never to judge
// the app (the checks do that against the suite's limits).
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "checks/check.hpp"
#include "suite/suite.hpp"

namespace firedrill::engine {

// Waiting for an app to become ready: long enough to measure a start that
// misses the suite's limit, short enough to never hang CI.
std::int64_t ready_wait_bound_us(const checks::Limits& limits);

// Waiting for a stopped pod to exit: the grace period, then SIGKILL and
// the time a kernel needs to reap it.
std::int64_t stop_bound_us(const checks::Limits& limits);

// Settling waits until the app's work on its dependencies (courier
// dispatches, charges) has been quiet for the settle window: an app that
// came back with a backlog gets to finish it, however loaded the machine.
// This bounds how much longer than the window that may take.
constexpr std::int64_t settle_extension_bound_us = 30'000'000;

// The read-back of every order id (each request is bounded too).
std::int64_t readback_bound_us(std::size_t ids);

// Every phase of one scenario at its bound, plus a margin.
std::int64_t scenario_bound_us(const suite::ScenarioSpec& scenario);

// The default deadline of a run: the sum of its scenarios' bounds.
std::int64_t run_deadline_us(const std::vector<const suite::ScenarioSpec*>& scenarios);

// "1m52s", "850ms": for messages.
std::string describe_duration(std::int64_t us);

}  // namespace firedrill::engine
