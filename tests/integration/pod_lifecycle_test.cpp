// The pod's lifecycle with sidecars, as Kubernetes runs it (SPEC §1,
// KEP-753), on real processes: the order of starts, SIGTERMs and exits for
// native and classic sidecars, what happens at the grace deadline (the
// kubelet's 2 s more for sidecars), start gating on a sidecar's ready-path,
// the restart of a native sidecar, and each container's environment. Times
// are judged as lower bounds or orders only: a loaded machine is late,
// never early.
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <csignal>
#include <sstream>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <gtest/gtest.h>

#include "history/recorder.hpp"
#include "pod/pod.hpp"
#include "support/paths.hpp"

namespace firedrill::pod {
namespace {
namespace asio = boost::asio;
using history::EventKind;
using testing::bin_path;
using testing::scratch_dir;

// A container that exits `delay` seconds after SIGTERM (`ignore`: never).
std::string term_after(double delay) {
  return fmt::format("/bin/sh -c 'trap \"sleep {}; exit 0\" TERM; while :; do sleep 0.05 & wait $!; done'", delay);
}
const std::string ignores_term = "/bin/sh -c 'trap \"\" TERM; while :; do sleep 0.05; done'";

int free_port() {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ::bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a);
  socklen_t n = sizeof a;
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&a), &n);
  ::close(fd);
  return ntohs(a.sin_port);
}

suite::ContainerSpec sidecar(std::string name, std::string command, suite::SidecarKind kind = suite::SidecarKind::native) {
  suite::ContainerSpec c{std::move(name), std::move(command), {}};
  c.kind = kind;
  return c;
}

struct Run {
  history::History h;
  bool started = false;
  std::int64_t stop_at_us = 0;
  std::map<std::string, std::string> output;
  // Each event as "SIGTERM app", "exit s1", "start app", in the order recorded.
  std::vector<std::string> order;
  std::map<std::string, std::int64_t> at;  // the first time of each of those
};

// Starts the pod, lets it run `run_ms`, stops it with `grace_us`.
Run run_pod(const suite::TargetSpec& target, std::int64_t grace_us, int run_ms = 300, std::int64_t start_bound_us = 10'000'000) {
  Run run;
  history::Epoch epoch;
  history::Recorder rec(run.h, epoch);
  asio::io_context io;
  // ctest runs these tests in parallel processes: a folder per test.
  const std::string test = ::testing::UnitTest::GetInstance()->current_test_info()->name();
  PodEnvironment env{free_port(), "http://127.0.0.1:9/pay", "http://127.0.0.1:9/courier", scratch_dir(test + "-app"), {}, {}};
  for (const auto& sc : target.sidecars) {
    env.sidecar_ports[sc.name] = free_port();
    env.sidecar_data_dirs[sc.name] = scratch_dir(test + "-" + sc.name);
  }
  Pod pod(io.get_executor(), target, env, rec);
  asio::co_spawn(
      io,
      [&]() -> asio::awaitable<void> {
        run.started = co_await pod.start(start_bound_us);
        asio::steady_timer t(io, std::chrono::milliseconds(run_ms));
        co_await t.async_wait(asio::use_awaitable);
        run.stop_at_us = rec.now_us();
        co_await pod.stop(grace_us);
        co_await pod.kill_and_reap(5'000'000);
      },
      asio::detached);
  io.run();
  for (const auto& e : run.h.events) {
    std::string what;
    if (e.kind == EventKind::pod_start) what = "start " + e.container;
    else if (e.kind == EventKind::exit) what = "exit " + e.container;
    else if (e.kind == EventKind::signal && e.delivered) what = std::string(e.signal == SIGKILL ? "SIGKILL " : "SIGTERM ") + e.container;
    if (what.empty()) continue;
    run.order.push_back(what);
    run.at.emplace(what, e.at_us);
  }
  run.output["app"] = pod.output_of("app");
  for (const auto& sc : target.sidecars) run.output[sc.name] = pod.output_of(sc.name);
  return run;
}

std::ptrdiff_t index_of(const Run& r, const std::string& what) {
  auto it = std::find(r.order.begin(), r.order.end(), what);
  return it == r.order.end() ? -1 : it - r.order.begin();
}

std::string joined(const Run& r) { return fmt::format("{}", fmt::join(r.order, ", ")); }

TEST(PodLifecycle, NativeSidecarsStartFirstInOrderAndStopAfterTheAppInReverse) {
  suite::TargetSpec t;
  t.app = {"app", term_after(0.3), {}};
  t.sidecars = {sidecar("s1", term_after(0.1)), sidecar("s2", term_after(0.1))};
  auto r = run_pod(t, 10'000'000);
  ASSERT_TRUE(r.started);
  const std::vector<std::string> expected{"start s1", "start s2", "start app", "SIGTERM app", "exit app",
                                          "SIGTERM s2", "exit s2", "SIGTERM s1", "exit s1"};
  EXPECT_EQ(r.order, expected) << joined(r);
  EXPECT_GE(r.at["SIGTERM s2"] - r.at["SIGTERM app"], 250'000) << "the app's 0.3 s drain came first";
}

TEST(PodLifecycle, ClassicSidecarsStartAndStopWithTheAppAllAtOnce) {
  suite::TargetSpec t;
  t.app = {"app", term_after(0.3), {}};
  t.sidecars = {sidecar("s1", term_after(0.3), suite::SidecarKind::classic),
                sidecar("s2", term_after(0.3), suite::SidecarKind::classic)};
  auto r = run_pod(t, 10'000'000);
  ASSERT_TRUE(r.started);
  EXPECT_EQ(index_of(r, "start app"), 0) << joined(r);
  for (const char* c : {"SIGTERM app", "SIGTERM s1", "SIGTERM s2"})
    for (const char* e : {"exit app", "exit s1", "exit s2"})
      EXPECT_LT(index_of(r, c), index_of(r, e)) << c << " before " << e << ": " << joined(r);
}

TEST(PodLifecycle, AtTheDeadlineTheAppIsKilledAndSidecarsGetSigtermAndTwoSecondsMore) {
  suite::TargetSpec t;
  t.app = {"app", ignores_term, {}};
  t.sidecars = {sidecar("s1", ignores_term), sidecar("s2", term_after(0.2))};
  auto r = run_pod(t, 1'000'000);
  ASSERT_TRUE(r.started);
  const std::int64_t deadline = r.stop_at_us + 1'000'000;
  EXPECT_GE(r.at["SIGKILL app"], deadline - 20'000) << joined(r);
  EXPECT_LT(index_of(r, "SIGKILL app"), index_of(r, "SIGTERM s2")) << "sidecars are stopped after the app: " << joined(r);
  // Past the deadline both sidecars get SIGTERM at once; s2 exits in its
  // 0.2 s, s1 (ignoring it) is killed the kubelet's 2 s later.
  EXPECT_GE(r.at["SIGTERM s1"], deadline - 20'000);
  EXPECT_GE(index_of(r, "exit s2"), 0) << joined(r);
  EXPECT_EQ(index_of(r, "SIGKILL s2"), -1) << joined(r);
  EXPECT_GE(r.at["SIGKILL s1"] - r.at["SIGTERM s1"], sidecar_minimum_grace_us - 20'000) << joined(r);
}

TEST(PodLifecycle, ANativeSidecarStillStoppingAtTheDeadlineGetsTwoSecondsMore) {
  suite::TargetSpec t;
  t.app = {"app", term_after(0), {}};
  t.sidecars = {sidecar("s1", ignores_term)};
  auto r = run_pod(t, 500'000);
  ASSERT_TRUE(r.started);
  EXPECT_LT(index_of(r, "exit app"), index_of(r, "SIGTERM s1")) << joined(r);
  EXPECT_GE(r.at["SIGKILL s1"] - r.stop_at_us, 500'000 + sidecar_minimum_grace_us - 20'000) << joined(r);
}

TEST(PodLifecycle, TheAppWaitsForANativeSidecarsReadyPath) {
  suite::TargetSpec t;
  t.app = {"app", term_after(0), {}};
  auto s = sidecar("slow", bin_path("order-service") + " --flaw slow-start");  // /readyz 200 after ~3 s
  s.ready_path = "/readyz";
  t.sidecars = {s};
  auto r = run_pod(t, 5'000'000);
  ASSERT_TRUE(r.started) << r.output["slow"];
  EXPECT_GE(r.at["start app"] - r.at["start slow"], 2'500'000) << joined(r);
}

TEST(PodLifecycle, ANativeSidecarNeverStartedKeepsTheAppFromStarting) {
  suite::TargetSpec t;
  t.app = {"app", term_after(0), {}};
  auto s = sidecar("stuck", bin_path("hostile-target") + " never-ready");
  s.ready_path = "/readyz";
  t.sidecars = {s};
  auto r = run_pod(t, 2'000'000, 100, 1'000'000);
  EXPECT_FALSE(r.started);
  EXPECT_EQ(index_of(r, "start app"), -1) << joined(r);
  bool noted = false;
  for (const auto* e : r.h.events_of(EventKind::start_note, "stuck"))
    noted |= e->detail.starts_with("native sidecar not started within 1.000s");
  EXPECT_TRUE(noted);
}

TEST(PodLifecycle, ANativeSidecarThatExitsIsRestartedAtOnce) {
  suite::TargetSpec t;
  t.app = {"app", term_after(0), {}};
  t.sidecars = {sidecar("flaky", "/bin/sh -c 'sleep 0.2; exit 1'")};
  auto r = run_pod(t, 2'000'000, 1000);
  ASSERT_TRUE(r.started);
  EXPECT_GE(r.h.events_of(EventKind::pod_start, "flaky").size(), 2u) << joined(r);
}

// An app and one sidecar "s1" in a pod of their own, for the tests that
// drive it through more than one start and stop: run(steps) runs the
// coroutine `steps()` to its end.
struct OnePod {
  explicit OnePod(const suite::TargetSpec& t) : rec(h, epoch), pod(io.get_executor(), t, environment(), rec) {}
  static PodEnvironment environment() {
    const std::string test = ::testing::UnitTest::GetInstance()->current_test_info()->name();
    return {free_port(), "", "", scratch_dir(test), {{"s1", free_port()}}, {{"s1", scratch_dir(test + "-s1")}}};
  }
  template <typename Steps>
  void run(Steps steps) {
    asio::co_spawn(io, steps(), asio::detached);
    io.run();
  }
  history::History h;
  history::Epoch epoch;
  history::Recorder rec;
  asio::io_context io;
  Pod pod;
};

TEST(PodLifecycle, ASidecarStillRunningIsKeptWhenOnlyTheAppStartsAgain) {
  // The app alone exited (a timeline SIGTERM); the next start keeps the
  // sidecar that never stopped, as the kubelet keeps a pod's other
  // containers, instead of starting a second one on its port.
  suite::TargetSpec t;
  t.app = {"app", term_after(0), {}};
  t.sidecars = {sidecar("s1", term_after(0))};
  OnePod p(t);
  auto& pod = p.pod;
  p.run([&]() -> asio::awaitable<void> {
    co_await pod.start(5'000'000);
    pod.signal("app", SIGTERM, 2'000'000);
    co_await pod.wait_app_exit(5'000'000);
    co_await pod.start(5'000'000);
    co_await pod.stop(2'000'000);
    co_await pod.kill_and_reap(5'000'000);
  });
  EXPECT_EQ(p.h.events_of(EventKind::pod_start, "s1").size(), 1u);
  EXPECT_EQ(p.h.events_of(EventKind::pod_start, "app").size(), 2u);
  EXPECT_EQ(p.h.events_of(EventKind::exit, "s1").size(), 1u) << "stopped once, by the final stop";
}

TEST(PodLifecycle, EachContainerGetsItsOwnPortAndDataDirAndItsOwnEnvExpanded) {
  suite::TargetSpec t;
  t.app = {"app", "/bin/sh -c 'echo \"app $PORT $PORT_AMB $PAYMENT_URL $DATA_DIR\"; sleep 5'", {}};
  t.app.env["PAYMENT_URL"] = "http://127.0.0.1:${PORT_AMB}/payment";
  t.sidecars = {sidecar("amb", "/bin/sh -c 'echo \"amb $PORT $PORT_APP $PAYMENT_URL $DATA_DIR\"; sleep 5'")};
  auto r = run_pod(t, 1'000'000, 300);
  ASSERT_TRUE(r.started);
  // "app PORT PORT_AMB PAYMENT_URL DATA_DIR" and "amb PORT PORT_APP PAYMENT_URL DATA_DIR".
  std::istringstream app(r.output["app"].substr(r.output["app"].find("app "))), amb(r.output["amb"].substr(r.output["amb"].find("amb ")));
  std::string w, app_port, app_sees_amb, app_payment, app_dir, amb_port, amb_sees_app, amb_payment, amb_dir;
  app >> w >> app_port >> app_sees_amb >> app_payment >> app_dir;
  amb >> w >> amb_port >> amb_sees_app >> amb_payment >> amb_dir;
  EXPECT_EQ(app_sees_amb, amb_port) << r.output["app"] << r.output["amb"];
  EXPECT_EQ(amb_sees_app, app_port);
  EXPECT_NE(app_port, amb_port);
  EXPECT_EQ(app_payment, "http://127.0.0.1:" + amb_port + "/payment");
  EXPECT_EQ(amb_payment, "http://127.0.0.1:9/pay") << "the ambassador keeps the harness's";
  EXPECT_NE(app_dir, amb_dir);
}

// A sidecar's DATA_DIR is an emptyDir: kept when the sidecar alone
// restarts, gone when a pod stop ends the pod; the app's DATA_DIR (its
// volume) is kept across both. Each container writes a file on its first
// start and says at every start whether it found it.
TEST(PodLifecycle, ASidecarsDataDirIsKeptAcrossItsRestartsAndEmptiedByAPodStop) {
  const std::string marks =
      "/bin/sh -c 'if [ -e \"$DATA_DIR/mark\" ]; then echo found; else echo empty; fi; touch \"$DATA_DIR/mark\"; "
      "trap \"exit 0\" TERM; while :; do sleep 0.05 & wait $!; done'";
  suite::TargetSpec t;
  t.app = {"app", marks, {}};
  t.sidecars = {sidecar("s1", marks)};
  OnePod p(t);
  auto& pod = p.pod;
  auto& io = p.io;
  p.run([&]() -> asio::awaitable<void> {
    co_await pod.start(5'000'000);
    // The native sidecar alone is killed: restarted at once, same pod.
    asio::steady_timer t(io, std::chrono::milliseconds(300));
    co_await t.async_wait(asio::use_awaitable);
    pod.signal("s1", SIGKILL, 0);
    t.expires_after(std::chrono::milliseconds(500));
    co_await t.async_wait(asio::use_awaitable);
    co_await pod.stop(2'000'000);
    co_await pod.start(5'000'000);  // a new pod
    t.expires_after(std::chrono::milliseconds(300));
    co_await t.async_wait(asio::use_awaitable);
    co_await pod.stop(2'000'000);
    co_await pod.kill_and_reap(5'000'000);
  });
  auto said = [](const std::string& out) {
    std::vector<std::string> v;
    std::istringstream in(out);
    for (std::string line; std::getline(in, line);)
      if (line == "found" || line == "empty") v.push_back(line);
    return v;
  };
  EXPECT_EQ(said(pod.output_of("s1")), (std::vector<std::string>{"empty", "found", "empty"})) << pod.output_of("s1");
  EXPECT_EQ(said(pod.output_of("app")), (std::vector<std::string>{"empty", "found"})) << pod.output_of("app");
}

}  // namespace
}  // namespace firedrill::pod
