// Draws one scenario's timeline (timeline_model.hpp) as an inline SVG and
// its legend as HTML. Every element a reader or a test looks for has a
// stable class: `g.bar` per time slice with `rect.seg.accepted|refused|
// indeterminate`, `g.marker.<kind>` per pod event, `g.fault-window`,
// `rect.state.<state>` on the lanes. Colours live in the page's CSS, keyed
// by those classes. It must never emit an unescaped byte of the history
// (a fault description, a command) nor reference anything outside the
// document.
#pragma once
#include <string>

#include "reports/timeline_model.hpp"

namespace firedrill::reports {

// `id` prefixes every element id, so several scenarios share one page.
std::string render_timeline_svg(const TimelineModel& m, const std::string& id);

// The key to the picture: the three outcomes, then only the markers, lanes
// and fault windows this scenario actually has.
std::string render_legend(const TimelineModel& m);

}  // namespace firedrill::reports
