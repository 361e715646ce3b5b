#include "suite/input_bounds.hpp"

#include <fmt/format.h>

#include "suite/suite.hpp"

namespace firedrill::suite {

void check_input_bounds(std::string_view text, const std::string& path) {
  if (text.size() > max_suite_bytes)
    throw SuiteError(fmt::format("{}: the suite is {} bytes; expected at most {} (a suite is a few KB of YAML)", path,
                                 text.size(), max_suite_bytes));
  // Brackets inside quotes and comments count too, so this over-estimates:
  // a suite would need 64 unclosed brackets in a string to be refused. It
  // may also under-estimate (a ']' in a string), which is fine: it is the
  // fast path, yaml-cpp's depth guard stays the safety net.
  int depth = 0, line = 1, column = 0;
  for (char c : text) {
    ++column;
    if (c == '\n') {
      ++line;
      column = 0;
    } else if (c == '[' || c == '{') {
      if (++depth > max_flow_depth)
        throw SuiteError(fmt::format("{}:{}:{}: brackets nested more than {} deep; a suite nests two or three", path,
                                     line, column, max_flow_depth));
    } else if ((c == ']' || c == '}') && depth > 0) {
      --depth;
    }
  }
}

}  // namespace firedrill::suite
