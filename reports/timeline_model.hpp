// What the timeline picture of one scenario shows, worked out from its
// history before anything is drawn: orders bucketed per time slice by
// outcome, the pod events that get a marker, the app's state over time and
// the fault windows. Plain numbers and words, no markup: drawing is
// svg_timeline.cpp's job, so this file must never produce HTML or SVG.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "history/history.hpp"

namespace firedrill::reports {

struct Bucket {
  std::int64_t start_us = 0;
  std::size_t accepted = 0, refused = 0, indeterminate = 0;
  std::size_t total() const { return accepted + refused + indeterminate; }
};

// One vertical line. `kind` is the CSS class and the legend key: start,
// restart, ready, not-ready, sigterm, sigkill, signal, exit, grace-deadline,
// leftover, scale-down, scale-up.
struct Marker {
  std::int64_t at_us = 0;
  std::string kind;
  std::string label;  // short, drawn on the picture
  std::string title;  // longer, shown on hover
};

// A stretch of time on a lane: the app's state (starting, ready, not-ready)
// or the harness phase (load, settle), or a fault on a dependency.
struct Span {
  std::int64_t from_us = 0, to_us = 0;
  std::string kind;
  std::string label;
};

// A sidecar's own lane: running (started, not yet signalled to stop) and
// stopping (SIGTERM sent, not yet exited), one span per start.
struct ContainerLane {
  std::string name;
  std::vector<Span> spans;
};

struct TimelineModel {
  std::int64_t end_us = 0;     // the right edge: a whole number of buckets
  std::int64_t bucket_us = 0;  // one time slice
  std::vector<Bucket> buckets; // only slices that hold at least one order
  std::size_t max_bucket = 0;  // orders in the fullest slice
  std::vector<Marker> markers; // in time order
  std::vector<Span> app_lane, harness_lane, faults;
  // In the order each first started; the activator's (scale-to-zero) last.
  std::vector<ContainerLane> sidecar_lanes;
};

// At most this many slices: the slice grows (100 ms, 200 ms, 500 ms, 1 s,
// ...) for long scenarios so the picture stays small whatever the load.
inline constexpr std::int64_t max_buckets = 200;

// grace_us > 0 also marks where the grace deadline of each SIGTERM to the
// app lay, when the app exited before it (the history only records a
// deadline that was reached).
TimelineModel build_timeline(const history::History& h, std::int64_t grace_us = 0);

}  // namespace firedrill::reports
