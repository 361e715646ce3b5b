// The HTML report's one stylesheet, inlined into every report so the file
// stands alone. Light colours, system fonts only (nothing to download);
// the timeline's colours are keyed by the classes svg_timeline.hpp names.
#pragma once
#include <string_view>

namespace firedrill::reports {

std::string_view html_report_css();

}  // namespace firedrill::reports
