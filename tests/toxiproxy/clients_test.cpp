// Toxiproxy's own clients against the real `firedrill proxy --api`: the npm
// toxiproxy-node-client, unmodified, and the request sequence of
// testcontainers' Toxiproxy module. Without node or the pinned package the
// tests skip, except on CI (CI is set), where that is a broken setup.
#include <cstdlib>
#include <filesystem>

#include <gtest/gtest.h>

#include "support/paths.hpp"
#include "support/run_firedrill.hpp"

namespace firedrill::testing {
namespace {

std::string missing_node_client() {
  if (find_on_path({"node", "nodejs"}).empty()) return "no node on PATH (.ci/install-deps installs one)";
  if (!std::filesystem::exists(source_path("tests/toxiproxy/node_modules/toxiproxy-node-client/package.json")))
    return "toxiproxy-node-client is not installed: run `npm ci` in tests/toxiproxy (.ci/install-deps does)";
  return "";
}

#define REQUIRE_NODE_CLIENT()                          \
  do {                                                 \
    const auto why = missing_node_client();            \
    if (!why.empty()) {                                \
      if (std::getenv("CI")) FAIL() << why;            \
      GTEST_SKIP() << why;                             \
    }                                                  \
  } while (0)

CommandResult run_script(const std::string& script) {
  return run_command({find_on_path({"node", "nodejs"}), source_path("tests/toxiproxy/" + script), bin_path("firedrill")},
                     90);
}

TEST(ToxiproxyClients, TheUnmodifiedNodeClientDrivesEveryStep) {
  REQUIRE_NODE_CLIENT();
  auto r = run_script("node_client.mjs");
  EXPECT_EQ(r.exit_code, 0) << r.output;
  EXPECT_NE(r.output.find("all steps passed"), std::string::npos) << r.output;
}

TEST(ToxiproxyClients, TestcontainersSequenceWaitsListsAndTogglesEnabled) {
  REQUIRE_NODE_CLIENT();
  auto r = run_script("testcontainers_sequence.mjs");
  EXPECT_EQ(r.exit_code, 0) << r.output;
  EXPECT_NE(r.output.find("all steps passed"), std::string::npos) << r.output;
}

}  // namespace
}  // namespace firedrill::testing
