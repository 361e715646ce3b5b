#include "node_tools.hpp"

#include <filesystem>

#include "support/paths.hpp"
#include "support/run_firedrill.hpp"

namespace firedrill::testing {

std::string node_path() { return find_on_path({"node", "nodejs"}); }

std::string missing_ci_tool(const std::string& package) {
  if (node_path().empty()) return "no node on PATH (Node.js 20 or newer; .ci/install-deps installs one)";
  if (!std::filesystem::exists(source_path("tests/ci/node_modules/" + package + "/package.json")))
    return package + " is not installed: run `npm ci` in tests/ci (.ci/install-deps does)";
  return "";
}

}  // namespace firedrill::testing
