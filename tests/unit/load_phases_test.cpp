// Load phases (SPEC §3): constant rates, idle gaps and linear ramps as one
// open-model schedule derived from the seed, and every mistake in them an
// error at its file:line:col.
#include <gtest/gtest.h>

#include "load/order_source.hpp"
#include "suite/suite.hpp"

namespace firedrill::load {
namespace {

using suite::LoadPhase;

std::vector<std::int64_t> times(const std::vector<history::Operation>& ops) {
  std::vector<std::int64_t> out;
  for (const auto& op : ops) out.push_back(op.intended_us());
  return out;
}

std::size_t due_within(const std::vector<history::Operation>& ops, std::int64_t from, std::int64_t to) {
  std::size_t n = 0;
  for (const auto& op : ops) n += op.intended_us() >= from && op.intended_us() < to;
  return n;
}

TEST(LoadPhases, AnIdleGapSendsNothingAndTheNextPhaseStartsOnTime) {
  const auto ops = schedule_orders(1, 0, {LoadPhase{10, 10, 1'000'000}, LoadPhase{0, 0, 2'000'000}, LoadPhase{10, 10, 1'000'000}}, 500);
  ASSERT_EQ(ops.size(), 20u);
  EXPECT_EQ(due_within(ops, 500, 1'000'500), 10u);
  EXPECT_EQ(due_within(ops, 1'000'500, 3'000'500), 0u) << "nothing is due in the idle gap";
  EXPECT_EQ(ops[10].intended_us(), 3'000'500) << "the burst after the gap starts with it";
  EXPECT_EQ(ops[19].intended_us(), 3'000'500 + 900'000);
}

TEST(LoadPhases, ARampPacksOrdersEverCloserAndKeepsItsTotal) {
  // 0 → 100/s over 2 s: 100 orders, a quarter of them in the first second
  // (the area under the rate), and each gap shorter than the one before.
  const auto ops = schedule_orders(1, 0, {LoadPhase{0, 100, 2'000'000}}, 0);
  ASSERT_EQ(ops.size(), 100u);
  EXPECT_EQ(due_within(ops, 0, 1'000'000), 25u);
  for (std::size_t i = 2; i < ops.size(); ++i)
    EXPECT_LE(ops[i].intended_us() - ops[i - 1].intended_us(), ops[i - 1].intended_us() - ops[i - 2].intended_us() + 1)
        << "at order " << i;
  EXPECT_LT(ops.back().intended_us(), 2'000'000);
}

TEST(LoadPhases, ARampDownMirrorsARampUp) {
  const auto ops = schedule_orders(1, 0, {LoadPhase{100, 0, 2'000'000}}, 0);
  ASSERT_EQ(ops.size(), 100u);
  EXPECT_EQ(due_within(ops, 0, 1'000'000), 75u);
  EXPECT_EQ(ops[0].intended_us(), 0);
}

TEST(LoadPhases, AConstantPhaseIsTheOldConstantRate) {
  EXPECT_EQ(times(schedule_orders(3, 0, {LoadPhase{200, 200, 2'000'000}}, 1000)),
            times(schedule_orders(3, 0, 200, 1000, 2'000'000)));
  const auto ops = schedule_orders(3, 0, 200, 1000, 2'000'000);
  ASSERT_EQ(ops.size(), 400u);
  EXPECT_EQ(ops[399].intended_us(), 1000 + 399 * 5000);
}

TEST(LoadPhases, FractionalArrivalsCarryOverPhaseBoundaries) {
  // 2.5 orders in each phase: 5 in all, the third straddling the boundary.
  const auto ops = schedule_orders(1, 0, {LoadPhase{5, 5, 500'000}, LoadPhase{5, 5, 500'000}}, 0);
  EXPECT_EQ(times(ops), (std::vector<std::int64_t>{0, 200'000, 400'000, 600'000, 800'000}));
}

TEST(LoadPhases, TheSameSeedGivesTheSameScheduleAndIds) {
  const std::vector<LoadPhase> phases{{50, 50, 1'000'000}, {0, 0, 1'000'000}, {10, 200, 3'000'000}};
  const auto a = schedule_orders(7, 1, phases, 20'000), b = schedule_orders(7, 1, phases, 20'000),
             c = schedule_orders(8, 1, phases, 20'000);
  ASSERT_EQ(a.size(), b.size());
  ASSERT_EQ(a.size(), c.size());
  for (std::size_t i = 0; i < a.size(); ++i) {
    EXPECT_EQ(a[i].id, b[i].id);
    EXPECT_EQ(a[i].intended_us(), b[i].intended_us());
    EXPECT_EQ(a[i].intended_us(), c[i].intended_us()) << "the seed picks the ids; the phases alone the times";
    EXPECT_NE(a[i].id, c[i].id);
  }
}

std::string error_of(const std::string& load, const std::string& timeline = "") {
  try {
    suite::parse_suite("target: {command: app}\nscenarios:\n  - name: s\n    checks: [ready-within]\n    load: " + load +
                           "\n" + timeline,
                       "s.yaml");
  } catch (const suite::SuiteError& e) {
    return e.what();
  }
  return "";
}

TEST(LoadPhases, SuitePhasesAreReadWithTheirTotalDuration) {
  const auto s = suite::parse_suite(R"(target: {command: app}
scenarios:
  - name: s
    checks: [ready-within]
    load:
      connections: new
      phases:
        - {rate: 200/s, for: 2s}
        - {rate: 0, for: 10s}
        - {from: 0/s, to: 50/s, for: 4s}
    timeline: [{at: 15s, action: signal, signal: SIGTERM}]
)",
                                    "s.yaml");
  const auto& l = s.scenarios[0].load;
  ASSERT_EQ(l.phases.size(), 3u);
  EXPECT_EQ(l.duration_us, 16'000'000);
  EXPECT_EQ(l.phases[1].from_rate, 0);
  EXPECT_EQ(l.phases[2].to_rate, 50);
  EXPECT_EQ(l.phases[2].where.line, 10);
  EXPECT_EQ(l.connections, suite::ConnectionModel::new_per_order);
  EXPECT_DOUBLE_EQ(l.orders(), 400 + 100);
}

TEST(LoadPhases, TheShorthandIsOneConstantPhase) {
  const auto s = suite::parse_suite(
      "target: {command: app}\nscenarios: [{name: s, checks: [ready-within], load: {rate: 20/s, duration: 3s}}]\n", "s.yaml");
  const auto& l = s.scenarios[0].load;
  ASSERT_EQ(l.phases.size(), 1u);
  EXPECT_EQ(l.phases[0].from_rate, 20);
  EXPECT_EQ(l.phases[0].duration_us, 3'000'000);
  EXPECT_EQ(l.connections, suite::ConnectionModel::keep_alive) << "keep-alive is the default";
}

TEST(LoadPhases, BadPhasesNameTheirPlace) {
  auto contains = [](const std::string& error, const std::string& want) { return error.find(want) != std::string::npos; };
  // "    load: " puts the load's text at line 5, column 11.
  EXPECT_PRED2(contains, error_of("{phases: [{rate: -5/s, for: 1s}]}"), "s.yaml:5:28: expected rate as orders per second from 0");
  EXPECT_PRED2(contains, error_of("{phases: [{from: 0/s, for: 2s}]}"), "s.yaml:5:21: a ramp needs 'to'");
  EXPECT_PRED2(contains, error_of("{phases: [{to: 9/s, for: 2s}]}"), "s.yaml:5:21: a ramp needs 'from'");
  EXPECT_PRED2(contains, error_of("{phases: [{rate: 5/s, from: 0, to: 5, for: 2s}]}"), "s.yaml:5:28: a load phase is either {rate, for} or a ramp");
  EXPECT_PRED2(contains, error_of("{phases: [{rate: 5/s, for: 0s}]}"), "s.yaml:5:38: expected 'for' as a duration above 0");
  EXPECT_PRED2(contains, error_of("{phases: [{rate: 5/s}]}"), "s.yaml:5:21: a load phase needs 'for'");
  EXPECT_PRED2(contains, error_of("{duration: 0s}"), "s.yaml:5:22: expected the load duration above 0");
  EXPECT_PRED2(contains, error_of("{phases: []}"), "s.yaml:5:20: expected phases as a list");
  EXPECT_PRED2(contains, error_of("{rate: 5/s, phases: [{rate: 5/s, for: 1s}]}"), "s.yaml:5:18: 'rate' and 'phases' do not go together");
  EXPECT_PRED2(contains, error_of("{phases: [{rate: 0, for: 5s}]}"), "s.yaml:5:11: these load phases schedule no order");
  EXPECT_PRED2(contains, error_of("{connections: pooled}"), "s.yaml:5:25: unknown connection model 'pooled'");
  EXPECT_PRED2(contains, error_of("{phases: [{rate: 10/s, for: 2s}, {rate: 0, for: 1s}]}",
                       "    timeline: [{at: 4s, action: signal, signal: SIGTERM}]"), "s.yaml:6:21: this step is at 4s but the load's last phase ends at 3s");
}

}  // namespace
}  // namespace firedrill::load
