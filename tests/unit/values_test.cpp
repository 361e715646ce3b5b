// Scalar notations of a suite: durations, rates, signals, and the
// nearest-name hint used in error messages.
#include <gtest/gtest.h>

#include <csignal>

#include "suite/values.hpp"

namespace firedrill::suite {
namespace {

TEST(Durations, Units) {
  EXPECT_EQ(parse_duration_us("150ms"), 150'000);
  EXPECT_EQ(parse_duration_us("2s"), 2'000'000);
  EXPECT_EQ(parse_duration_us("1.5s"), 1'500'000);
  EXPECT_EQ(parse_duration_us("1m"), 60'000'000);
  EXPECT_EQ(parse_duration_us("250us"), 250);
  EXPECT_EQ(parse_duration_us(" 3s "), 3'000'000);
  EXPECT_EQ(parse_duration_us("0s"), 0);
}

TEST(Durations, Rejected) {
  for (const char* bad : {"", "5", "s", "-1s", "1x", "1 s", "1.2.3s", "nans", "1e300s", "ms"})
    EXPECT_FALSE(parse_duration_us(bad).has_value()) << bad;
}

TEST(Rates, Forms) {
  EXPECT_EQ(parse_rate("200/s"), 200.0);
  EXPECT_EQ(parse_rate("200"), 200.0);
  EXPECT_EQ(parse_rate("0.5/s"), 0.5);
  for (const char* bad : {"", "0", "-3/s", "fast", "/s", "1e9/s"}) EXPECT_FALSE(parse_rate(bad).has_value()) << bad;
}

TEST(Signals, Names) {
  EXPECT_EQ(parse_signal("SIGTERM"), SIGTERM);
  EXPECT_EQ(parse_signal("TERM"), SIGTERM);
  EXPECT_EQ(parse_signal("SIGKILL"), SIGKILL);
  EXPECT_EQ(parse_signal("SIGSTOP"), SIGSTOP);
  EXPECT_FALSE(parse_signal("SIGFOO").has_value());
  EXPECT_FALSE(parse_signal("15").has_value()) << "numbers differ between platforms: names only";
}

TEST(Nearest, SuggestsOnlyCloseNames) {
  EXPECT_EQ(nearest("grase", {"grace", "settle"}), "grace");
  EXPECT_EQ(nearest("timelime", {"timeline", "name"}), "timeline");
  EXPECT_EQ(nearest("zzzzzz", {"grace", "settle"}), "");
}

}  // namespace
}  // namespace firedrill::suite
