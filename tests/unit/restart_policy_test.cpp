// restart-policy (SPEC §1, issue 19): `always` restarts a container that
// exits while its pod is not being stopped, with the kubelet's back-off
// (at once, then 10 s doubling to 5 min); `never` leaves it down; a pod stop
// restarts nothing. The schedule is checked as numbers; the pod is checked
// with real processes that exit at once and a back-off shortened to
// milliseconds, judging only lower bounds (a loaded machine is late, never
// early).
#include <gtest/gtest.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "history/recorder.hpp"
#include "pod/pod.hpp"

namespace firedrill::pod {
namespace {
namespace asio = boost::asio;
using history::EventKind;

TEST(RestartBackoff, IsTheKubeletsAtOnceThenTenSecondsDoublingToFiveMinutes) {
  const RestartBackoff b;
  const std::vector<std::int64_t> seconds{0, 10, 20, 40, 80, 160, 300, 300, 300};
  for (std::size_t n = 0; n < seconds.size(); ++n)
    EXPECT_EQ(b.delay_us(static_cast<int>(n)), seconds[n] * 1'000'000) << "before restart #" << n + 1;
  EXPECT_EQ(b.delay_us(1000), 300'000'000) << "the doubling must stop at the cap, not overflow";
  EXPECT_EQ(b.reset_after_us, 600'000'000);
}

struct PodRun {
  history::History h;
  std::vector<const history::Event*> starts, exits, notes;
  std::size_t starts_after_stop = 0;
};

// Runs an app that exits with status 3 at once, until it has been started
// `until_starts` times (or `max_wait_ms` passed), then stops the pod and watches a
// while longer for starts that should not come.
constexpr RestartBackoff short_backoff{100'000, 400'000, 600'000'000};  // 0, 100 ms, 200 ms, 400 ms, 400 ms, ...

PodRun run_crashing_app(suite::RestartPolicy policy, std::size_t until_starts, int max_wait_ms,
                        RestartBackoff backoff = short_backoff) {
  PodRun run;
  history::Epoch epoch;
  history::Recorder rec(run.h, epoch);
  suite::TargetSpec target;
  target.app = {"app", "/bin/sh -c 'exit 3'", {}, policy};
  asio::io_context io;
  Pod pod(io.get_executor(), target, PodEnvironment{20000, "", "", "/tmp"}, rec);
  pod.set_restart_backoff(backoff);
  asio::co_spawn(
      io,
      [&]() -> asio::awaitable<void> {
        asio::steady_timer t(io);
        co_await pod.start(5'000'000);
        for (int i = 0; i < max_wait_ms / 10 && run.h.events_of(EventKind::pod_start).size() < until_starts; ++i) {
          t.expires_after(std::chrono::milliseconds(10));
          co_await t.async_wait(asio::use_awaitable);
        }
        const std::size_t before = run.h.events_of(EventKind::pod_start).size();
        co_await pod.stop(1'000'000);
        t.expires_after(std::chrono::milliseconds(600));  // longer than the longest back-off
        co_await t.async_wait(asio::use_awaitable);
        run.starts_after_stop = run.h.events_of(EventKind::pod_start).size() - before;
        co_await pod.kill_and_reap(2'000'000);
      },
      asio::detached);
  io.run();
  run.starts = run.h.events_of(EventKind::pod_start);
  run.exits = run.h.events_of(EventKind::exit);
  run.notes = run.h.events_of(EventKind::start_note);
  return run;
}

TEST(RestartPolicy, AlwaysRestartsACrashedAppWithTheBackOffAndRecordsEachRestart) {
  auto run = run_crashing_app(suite::RestartPolicy::always, 5, 20'000);
  ASSERT_GE(run.starts.size(), 5u) << "restarts did not keep coming";
  const std::vector<std::int64_t> backoff_us{0, 100'000, 200'000, 400'000};
  for (std::size_t i = 1; i < run.starts.size(); ++i) {
    const auto& start = *run.starts[i];
    EXPECT_EQ(start.generation, static_cast<int>(i + 1)) << "each restart is the next start of the app";
    // The exit this restart answers: the previous start's.
    const history::Event* exit = nullptr;
    for (const auto* e : run.exits)
      if (e->generation == start.generation - 1) exit = e;
    ASSERT_NE(exit, nullptr) << "start #" << start.generation << " came before start #" << start.generation - 1
                             << " had exited";
    EXPECT_EQ(exit->exit_code, 3);
    const auto wait = backoff_us[std::min(i - 1, backoff_us.size() - 1)];
    EXPECT_GE(start.at_us - exit->at_us, wait) << "restart #" << i << " came before its back-off ended";
    const history::Event* note = nullptr;
    for (const auto* n : run.notes)
      if (n->generation == start.generation) note = n;
    ASSERT_NE(note, nullptr) << "restart #" << i << " has no record of why it happened";
    EXPECT_NE(note->detail.find("restarted by restart-policy always"), std::string::npos) << note->detail;
    EXPECT_NE(note->detail.find(i == 1 ? "at once" : "after a back-off of"), std::string::npos) << note->detail;
    EXPECT_NE(note->detail.find("exited with code 3"), std::string::npos) << note->detail;
  }
  EXPECT_EQ(run.starts_after_stop, 0u) << "a stopped pod was restarted";
}

TEST(RestartPolicy, ABackOffIsForgottenOnceTheContainerRanLongEnough) {
  // The kubelet forgets the back-off of a container that ran 10 minutes;
  // with that bound at 0 every start ran long enough, so every restart
  // comes at once.
  auto run = run_crashing_app(suite::RestartPolicy::always, 4, 20'000, {100'000, 400'000, 0});
  ASSERT_GE(run.notes.size(), 3u);
  for (const auto* note : run.notes) EXPECT_NE(note->detail.find("at once (restart #1)"), std::string::npos) << note->detail;
}

TEST(RestartPolicy, NeverLeavesACrashedAppDown) {
  // A second start never comes: wait a second (ten back-offs) for it.
  auto run = run_crashing_app(suite::RestartPolicy::never, 2, 1'000);
  EXPECT_EQ(run.starts.size(), 1u) << "restart-policy never restarted the app";
  EXPECT_TRUE(run.notes.empty());
}

}  // namespace
}  // namespace firedrill::pod
