// Bounds a suite's text before yaml-cpp sees it. yaml-cpp parses nesting by
// recursion; its own depth guard (yaml-cpp 0.7, DeepRecursion) keeps the
// stack safe but only after tokenising the whole input, which for a
// megabyte of "[[[[" takes seconds and hundreds of MB. These checks refuse
// hostile input at once, with the place and what a suite looks like.
#pragma once
#include <cstddef>
#include <string>
#include <string_view>

namespace firedrill::suite {

// A real suite is a few KB; the biggest bundled one is under 4 KB.
inline constexpr std::size_t max_suite_bytes = 1024 * 1024;
// A real suite nests flow collections ([...], {...}) two or three deep.
inline constexpr int max_flow_depth = 64;

// Throws SuiteError (file:line:col: what was expected).
void check_input_bounds(std::string_view text, const std::string& path);

}  // namespace firedrill::suite
