// The kubelet's crash-loop back-off for `restart-policy: always` (SPEC §1):
// the first restart at once, then 10 s, doubling each time, at most 5 min;
// a container that ran 10 minutes (twice the cap) before it exited starts
// over at once, as the kubelet forgets its back-off after that long.
#pragma once
#include <algorithm>
#include <cstdint>

namespace firedrill::pod {

struct RestartBackoff {
  std::int64_t base_us = 10'000'000;
  std::int64_t cap_us = 300'000'000;
  std::int64_t reset_after_us = 600'000'000;

  // The wait before a restart, when `restarts_so_far` restarts came before
  // it since the back-off was last reset.
  std::int64_t delay_us(int restarts_so_far) const {
    if (restarts_so_far <= 0) return 0;
    std::int64_t d = base_us;
    for (int i = 1; i < restarts_so_far && d < cap_us; ++i) d *= 2;
    return std::min(d, cap_us);
  }
};

}  // namespace firedrill::pod
