// The npm tools the CI tests drive (tests/ci/package-lock.json; `npm ci`
// in .ci/install-deps): where they are, and "" or what is missing.
#pragma once
#include <string>

namespace firedrill::testing {

std::string node_path();
// "" when node and `package` (under tests/ci/node_modules) are there.
std::string missing_ci_tool(const std::string& package);

}  // namespace firedrill::testing

// Skips the test when a tool is missing, except on CI (CI is set), where a
// missing tool is a broken setup and fails it.
#define FIREDRILL_REQUIRE_CI_TOOL(package)                         \
  do {                                                             \
    const auto why_missing = ::firedrill::testing::missing_ci_tool(package); \
    if (!why_missing.empty()) {                                    \
      if (std::getenv("CI")) FAIL() << why_missing;                \
      GTEST_SKIP() << why_missing;                                 \
    }                                                              \
  } while (0)
