// The timeline on simulated time (engine/timeline.hpp): steps in time
// order at their exact times, fault windows ending by `for` and `until`,
// windows stacked on one path, and a timeline that ends only once its
// stops and windows have. Seconds of scenario time, microseconds of test.
#include <gtest/gtest.h>

#include <algorithm>
#include <csignal>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <fmt/format.h>

#include "engine/timeline.hpp"
#include "support/simulated_clock.hpp"

namespace firedrill::engine {
namespace {
namespace asio = boost::asio;
using testing::SimulatedClock;

// Writes down what each step did, and when.
class RecordingNemesis final : public Nemesis {
 public:
  explicit RecordingNemesis(SimulatedClock& clock) : clock_(clock) {}
  std::vector<std::string> log;
  std::int64_t stop_takes_us = 3'000'000;

  void signal(const std::string& container, int sig) override { note(fmt::format("signal {} {}", sig, container)); }
  asio::awaitable<void> stop_pod(bool then_start) override {
    const char* what = then_start ? "rollout" : "stop";
    note(fmt::format("{} begins", what));
    co_await clock_.sleep_until(clock_.now_us() + stop_takes_us);
    note(fmt::format("{} ends", what));
  }
  std::uint64_t fault_on(const suite::FaultStepSpec& f) override {
    note(fmt::format("on #{} {} {}", ++last_id_, f.dependency, f.type));
    return last_id_;
  }
  void fault_off(const suite::FaultStepSpec& f, std::uint64_t id) override {
    note(fmt::format("off #{} {} {}", id, f.dependency, f.type));
  }

 private:
  void note(std::string what) { log.push_back(fmt::format("{}ms {}", clock_.now_us() / 1000, what)); }
  SimulatedClock& clock_;
  std::uint64_t last_id_ = 0;
};

std::vector<suite::StepSpec> timeline_of(const std::string& steps) {
  const auto s = suite::parse_suite("target: {command: app}\ndefaults: {checks: [ready-within], load: {rate: 10/s, "
                                    "duration: 10s}}\nscenarios:\n  - name: s\n    timeline:\n" + steps,
                                    "t.yaml");
  return s.scenarios.at(0).timeline;
}

// Runs the timeline from load_start_us; returns the scenario time it ended at.
std::int64_t run(const std::vector<suite::StepSpec>& steps, RecordingNemesis& nemesis, SimulatedClock& clock,
                 std::int64_t load_start_us = 0) {
  asio::io_context io;
  std::int64_t ended_at = -1;
  asio::co_spawn(io, [&]() -> asio::awaitable<void> {
    co_await run_timeline(steps, load_start_us, clock, nemesis);
    ended_at = clock.now_us();
  }, asio::detached);
  EXPECT_TRUE(clock.run(io, [&] { return ended_at >= 0; })) << "the timeline never ended";
  return ended_at;
}

TEST(Timeline, StepsRunInTimeOrderAtTheirTimesFromTheStartOfLoad) {
  SimulatedClock clock;
  RecordingNemesis nemesis(clock);
  const auto steps = timeline_of(R"(      - {at: 3s, action: signal, signal: SIGTERM}
      - {at: 1s, action: signal, signal: SIGSTOP}
      - {at: 2s, action: signal, signal: SIGCONT}
      - {at: 2s, action: signal, signal: SIGUSR1}
)");
  EXPECT_EQ(run(steps, nemesis, clock, 20'000), 3'020'000);
  EXPECT_EQ(nemesis.log, (std::vector<std::string>{
                             fmt::format("1020ms signal {} app", SIGSTOP),
                             fmt::format("2020ms signal {} app", SIGCONT),
                             fmt::format("2020ms signal {} app", SIGUSR1),  // same time: in the order written
                             fmt::format("3020ms signal {} app", SIGTERM),
                         }));
}

TEST(Timeline, WindowsEndByForAndByUntilAtTheirOwnTimes) {
  SimulatedClock clock;
  RecordingNemesis nemesis(clock);
  const auto steps = timeline_of(R"(      - {at: 1s, action: fault, on: payment, fault: latency, params: {latency: 1s}, for: 2s}
      - {at: 1500ms, action: fault, on: courier, fault: refuse, until: heal}
      - {at: 4s, name: heal, action: signal, signal: SIGCONT}
)");
  EXPECT_EQ(run(steps, nemesis, clock), 4'000'000);
  // The window that ends `until: heal` ends at heal's time; of two things
  // at one instant neither is promised to come first.
  std::sort(nemesis.log.begin() + 3, nemesis.log.end());
  EXPECT_EQ(nemesis.log, (std::vector<std::string>{
                             "1000ms on #1 payment latency",
                             "1500ms on #2 courier refuse",
                             "3000ms off #1 payment latency",
                             "4000ms off #2 courier refuse",
                             fmt::format("4000ms signal {} app", SIGCONT),
                         }));
}

TEST(Timeline, StackedWindowsOnOnePathComeOffEachAtItsEnd) {
  SimulatedClock clock;
  RecordingNemesis nemesis(clock);
  const auto steps = timeline_of(R"(      - {at: 1s, action: fault, on: payment, fault: latency, params: {latency: 1s}, for: 3s}
      - {at: 2s, action: fault, on: payment, fault: http-status, params: {status: "503"}, for: 1s}
      - {at: 2s, action: fault, on: payment, fault: reset, for: 4s}
)");
  EXPECT_EQ(run(steps, nemesis, clock), 6'000'000);
  EXPECT_EQ(nemesis.log, (std::vector<std::string>{
                             "1000ms on #1 payment latency",
                             "2000ms on #2 payment http-status",
                             "2000ms on #3 payment reset",
                             "3000ms off #2 payment http-status",
                             "4000ms off #1 payment latency",
                             "6000ms off #3 payment reset",
                         }));
}

TEST(Timeline, GoesOnWhileThePodDrainsAndEndsOnlyWhenTheStopHas) {
  SimulatedClock clock;
  RecordingNemesis nemesis(clock);
  nemesis.stop_takes_us = 3'000'000;
  const auto steps = timeline_of(R"(      - {at: 1s, action: rollout}
      - {at: 2s, action: signal, signal: SIGTERM}
      - {at: 2500ms, action: fault, on: courier, fault: blackhole, for: 500ms}
)");
  EXPECT_EQ(run(steps, nemesis, clock), 4'000'000) << "the rollout ends at 4s, after the last step";
  EXPECT_EQ(nemesis.log, (std::vector<std::string>{
                             "1000ms rollout begins",
                             fmt::format("2000ms signal {} app", SIGTERM),
                             "2500ms on #1 courier blackhole",
                             "3000ms off #1 courier blackhole",
                             "4000ms rollout ends",
                         }));
}

TEST(Timeline, AnEmptyTimelineEndsAtOnce) {
  SimulatedClock clock;
  RecordingNemesis nemesis(clock);
  EXPECT_EQ(run({}, nemesis, clock, 20'000), 0);
  EXPECT_TRUE(nemesis.log.empty());
}

}  // namespace
}  // namespace firedrill::engine
