// The scenario's time origin. Every time in the history is "microseconds
// since this epoch", taken from the monotonic clock so wall-clock jumps
// cannot reorder events.
#pragma once
#include <chrono>
#include <cstdint>

namespace firedrill::history {

using Clock = std::chrono::steady_clock;

struct Epoch {
  Clock::time_point origin = Clock::now();
  std::int64_t now_us() const { return to_us(Clock::now()); }
  std::int64_t to_us(Clock::time_point t) const {
    return std::chrono::duration_cast<std::chrono::microseconds>(t - origin).count();
  }
  Clock::time_point at(std::int64_t us) const { return origin + std::chrono::microseconds(us); }
};

}  // namespace firedrill::history
