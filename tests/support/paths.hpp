// Where the tests find the project's files and binaries, and the third-party
// schemas in ../shared (present here and in CI, absent in a user's clone).
#pragma once
#include <optional>
#include <string>

namespace firedrill::testing {

std::string source_path(const std::string& relative);  // under the project root
std::string bin_path(const std::string& name);         // built executables
// The JUnit schema folder, or nullopt when ../shared is not there.
std::optional<std::string> shared_schemas_dir();
// A fresh empty directory under the build tree for one test.
std::string scratch_dir(const std::string& name);

}  // namespace firedrill::testing
