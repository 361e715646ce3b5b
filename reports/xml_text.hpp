// Makes arbitrary bytes (an app's output, a command line) safe inside XML
// 1.0: markup is escaped, invalid UTF-8 and characters XML forbids (NUL,
// ESC of colour codes, other controls) become visible \xNN text, so a
// report always parses and nothing is hidden silently.
#pragma once
#include <string>
#include <string_view>

namespace firedrill::reports {

std::string xml_escape(std::string_view bytes);

// The same bytes made readable but not escaped for any markup: invalid
// UTF-8 and controls become \xNN text as in xml_escape, and line breaks and
// tabs become spaces, for one-line renderings (the Markdown job summary).
std::string one_line_text(std::string_view bytes);

}  // namespace firedrill::reports
