// What the timeline picture shows, decided before drawing
// (reports/timeline_model.hpp): slices grow with the scenario, a pod stop's
// signal to every container is one marker, a fault never switched off
// lasts to the end, the app's lane follows start / ready / not ready / exit.
#include <gtest/gtest.h>

#include <csignal>

#include "reports/story.hpp"
#include "reports/svg_timeline.hpp"
#include "reports/timeline_model.hpp"

namespace firedrill::reports {
namespace {

using history::Event;
using history::EventKind;
using testing::ms;

Event at(std::int64_t t, EventKind kind, std::string container = "app", int sig = 0) {
  Event e;
  e.at_us = t;
  e.kind = kind;
  e.container = std::move(container);
  e.signal = sig;
  return e;
}

std::vector<std::string> kinds(const TimelineModel& m) {
  std::vector<std::string> out;
  for (const auto& mk : m.markers) out.push_back(mk.kind);
  return out;
}

TEST(TimelineModel, StoryMarkersInTimeOrderWhateverOrderTheyWereRecorded) {
  const auto m = build_timeline(testing::mid_rush_story().history);
  EXPECT_EQ(m.bucket_us, 100 * ms);
  EXPECT_EQ(kinds(m), (std::vector<std::string>{"start", "ready", "sigterm", "not-ready", "grace-deadline", "sigkill",
                                                "exit", "restart", "ready", "sigterm", "not-ready", "exit"}));
  ASSERT_EQ(m.faults.size(), 1u);
  EXPECT_EQ(m.faults[0].label, "payment: delay 2s");
  EXPECT_EQ(m.faults[0].to_us, 2600 * ms);
  std::vector<std::string> lane;
  for (const auto& s : m.app_lane) lane.push_back(s.kind);
  EXPECT_EQ(lane, (std::vector<std::string>{"starting", "ready", "not-ready", "starting", "ready", "not-ready"}))
      << "down between the SIGKILL's exit and the restart";
}

TEST(TimelineModel, APodStopIsOneMarkerWithEveryContainerInItsTitle) {
  history::History h;
  h.events = {at(0, EventKind::pod_start), at(1000 * ms, EventKind::signal, "app", SIGTERM),
              at(1000 * ms + 50, EventKind::signal, "envoy", SIGTERM), at(3000 * ms, EventKind::signal, "envoy", SIGHUP)};
  const auto m = build_timeline(h);
  ASSERT_EQ(kinds(m), (std::vector<std::string>{"start", "sigterm", "signal"}));
  EXPECT_EQ(m.markers[1].label, "SIGTERM");
  EXPECT_NE(m.markers[1].title.find("(envoy)"), std::string::npos) << m.markers[1].title;
  EXPECT_EQ(m.markers[2].label, "SIGHUP → envoy") << "a sidecar's own signal names it";
}

TEST(TimelineModel, EachSidecarHasALaneRunningThenStoppingInTheOrderItStarted) {
  history::History h;
  // A native stop: the app first, then the sidecars in reverse.
  h.events = {at(0, EventKind::pod_start, "shipper"),         at(10 * ms, EventKind::pod_start, "ambassador"),
              at(20 * ms, EventKind::pod_start),              at(1000 * ms, EventKind::signal, "app", SIGTERM),
              at(1400 * ms, EventKind::exit),                 at(1400 * ms, EventKind::signal, "ambassador", SIGTERM),
              at(1600 * ms, EventKind::exit, "ambassador"),   at(1600 * ms, EventKind::signal, "shipper", SIGTERM),
              at(1700 * ms, EventKind::exit, "shipper")};
  auto m = build_timeline(h);
  ASSERT_EQ(m.sidecar_lanes.size(), 2u);
  EXPECT_EQ(m.sidecar_lanes[0].name, "shipper");
  const auto& amb = m.sidecar_lanes[1].spans;
  ASSERT_EQ(amb.size(), 2u);
  EXPECT_EQ(amb[0].kind, "running");
  EXPECT_EQ(amb[0].to_us, 1400 * ms);
  EXPECT_EQ(amb[1].kind, "stopping");
  EXPECT_EQ(amb[1].from_us, 1400 * ms);
  EXPECT_EQ(amb[1].to_us, 1600 * ms);
  const std::string svg = render_timeline_svg(m, "s");
  EXPECT_NE(svg.find("</title>ambassador</text>"), std::string::npos);
  EXPECT_NE(svg.find("state stopping"), std::string::npos);
}

// A lane's name must fit the margin left of the plot: "ambassador" is
// squeezed into it, a name longer than 14 characters is cut with an
// ellipsis, and each keeps its whole name as its tooltip.
TEST(TimelineModel, LaneNamesFitTheMarginWithTheWholeNameAsTooltip) {
  history::History h;
  h.events = {at(0, EventKind::pod_start, "shipper"), at(0, EventKind::pod_start, "ambassador"),
              at(0, EventKind::pod_start, "otel-collector-contrib"), at(10 * ms, EventKind::pod_start),
              at(1000 * ms, EventKind::exit)};
  const std::string svg = render_timeline_svg(build_timeline(h), "s");
  EXPECT_NE(svg.find("text-anchor=\"end\"><title>shipper</title>shipper</text>"), std::string::npos) << svg;
  EXPECT_NE(svg.find("lengthAdjust=\"spacingAndGlyphs\"><title>ambassador</title>ambassador</text>"), std::string::npos);
  EXPECT_NE(svg.find("<title>otel-collector-contrib</title>otel-collecto\u2026</text>"), std::string::npos);
}

TEST(TimelineModel, TheActivatorHasALaneAndEachCycleItsScaleDownAndColdStartMarkers) {
  history::History h;
  h.events = {at(0, EventKind::pod_start),
              at(10 * ms, EventKind::load_start, "harness"),
              at(1000 * ms, EventKind::scale_down, "activator"),
              at(1000 * ms, EventKind::signal, "app", SIGTERM),
              at(1500 * ms, EventKind::exit),
              at(1500 * ms, EventKind::at_zero, "activator"),
              at(2000 * ms, EventKind::scale_up, "activator"),
              at(2001 * ms, EventKind::pod_start),
              at(2100 * ms, EventKind::serving, "activator")};
  const auto m = build_timeline(h);
  EXPECT_EQ(kinds(m), (std::vector<std::string>{"start", "scale-down", "sigterm", "exit", "scale-up", "restart"}));
  ASSERT_EQ(m.sidecar_lanes.size(), 1u);
  EXPECT_EQ(m.sidecar_lanes[0].name, "activator");
  std::vector<std::string> lane;
  for (const auto& s : m.sidecar_lanes[0].spans) lane.push_back(s.kind);
  EXPECT_EQ(lane, (std::vector<std::string>{"serving", "scaling-down", "at-zero", "starting", "serving"}));
  EXPECT_EQ(m.sidecar_lanes[0].spans[2].from_us, 1500 * ms);
  EXPECT_EQ(m.sidecar_lanes[0].spans.back().to_us, m.end_us);
}

TEST(TimelineModel, AnExitNoSignalExplainsIsACrashAndTheRestartSaysWhy) {
  history::History h;
  auto gen = [](Event e, int g) {
    e.generation = g;
    return e;
  };
  Event crash = gen(at(1000 * ms, EventKind::exit), 1);
  crash.exit_code = 3;
  Event note = gen(at(1010 * ms, EventKind::start_note), 2);
  note.detail = "restarted by restart-policy always at once (restart #1)";
  Event killed = gen(at(2500 * ms, EventKind::exit), 2);
  killed.signal = SIGKILL;
  h.events = {gen(at(0, EventKind::pod_start), 1), crash, gen(at(1010 * ms, EventKind::pod_start), 2), note,
              gen(at(2000 * ms, EventKind::signal, "app", SIGKILL), 2), killed};
  const auto m = build_timeline(h);
  ASSERT_EQ(kinds(m), (std::vector<std::string>{"start", "crash", "restart", "sigkill", "exit"}));
  EXPECT_EQ(m.markers[1].label, "crash: exit 3");
  EXPECT_NE(m.markers[2].title.find("restarted by restart-policy always at once"), std::string::npos)
      << m.markers[2].title;
}

TEST(TimelineModel, AFaultNeverSwitchedOffLastsToTheEnd) {
  history::History h;
  auto on = at(500 * ms, EventKind::fault_on, "courier");
  on.detail = "reset peer";
  h.events = {on, at(4000 * ms, EventKind::load_end)};
  const auto m = build_timeline(h);
  ASSERT_EQ(m.faults.size(), 1u);
  EXPECT_EQ(m.faults[0].to_us, m.end_us);
  EXPECT_EQ(m.faults[0].label, "courier: reset peer");
}

TEST(TimelineModel, SlicesGrowSoThePictureHoldsAtMostMaxBuckets) {
  history::History h;
  for (int n = 0; n < 20'000; ++n)
    h.operations.push_back(testing::order(n, n * 30 * ms, history::Outcome::ok, history::Reason::accepted, 201, ms));
  const auto m = build_timeline(h);  // 600 s of load
  EXPECT_EQ(m.bucket_us, 5000 * ms);
  EXPECT_LE(m.end_us / m.bucket_us, max_buckets);
  EXPECT_LE(m.buckets.size(), static_cast<std::size_t>(max_buckets));
}

}  // namespace
}  // namespace firedrill::reports
