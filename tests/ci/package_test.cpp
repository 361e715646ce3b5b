// An installable firedrill: `cmake --install` and the .deb put the harness
// in bin/, the reference service in libexec/firedrill/, the suites in
// share/firedrill/suites/ and the man page in share/man/man1; the .deb
// depends on Debian's runtime libraries (dpkg-shlibdeps). The .deb is
// unpacked into a scratch folder with dpkg-deb -x (never installed into
// the machine) and runs the bundled suite from there, its suite finding
// the reference service through ${FIREDRILL_FIXTURES}.
#include <gtest/gtest.h>

#include <filesystem>

#include "support/paths.hpp"
#include "support/run_firedrill.hpp"

namespace firedrill::testing {
namespace {
namespace fs = std::filesystem;

const fs::path build_dir = fs::path(FIREDRILL_BIN_DIR).parent_path();

const std::string dpkg_deb = find_on_path({"dpkg-deb"});

std::string missing_packaging_tools() {
  for (const char* tool : {"dpkg-deb", "dpkg-shlibdeps", "file"})
    if (find_on_path({tool}).empty())
      return std::string(tool) + " is not on PATH (.ci/install-deps installs dpkg-dev and file)";
  return "";
}

#define REQUIRE_PACKAGING_TOOLS()                              \
  do {                                                         \
    if (auto why = missing_packaging_tools(); !why.empty()) {  \
      if (std::getenv("CI")) FAIL() << why;                    \
      GTEST_SKIP() << why;                                     \
    }                                                          \
  } while (0)

// Runs the bundled suite's quickest scenario with the firedrill under
// `root`. Its suite names ${FIREDRILL_FIXTURES}/order-service: it can only
// pass if that is root/libexec/firedrill, as the same run without that
// folder shows (root/bin holds no order-service).
void runs_the_bundled_suite_from(const fs::path& root, const std::string& scratch) {
  auto run = [&] {
    return run_command({(root / "bin/firedrill").string(), "run",
                        (root / "share/firedrill/suites/graceful-shutdown.yaml").string(), "--filter", "sigterm-mid-rush",
                        "--runs-dir", scratch + "/runs", "--junit", scratch + "/report.xml"},
                       240);
  };
  auto passed = run();
  ASSERT_EQ(passed.exit_code, 0) << passed.output;
  EXPECT_NE(read_file(scratch + "/report.xml").find("<testcase name=\"drain-within-grace\""), std::string::npos);
  fs::rename(root / "libexec/firedrill", root / "libexec/elsewhere");
  auto without = run();
  EXPECT_EQ(without.exit_code, 3) << without.output;
  EXPECT_NE(without.output.find((root / "bin/order-service").string()), std::string::npos) << without.output;
  fs::rename(root / "libexec/elsewhere", root / "libexec/firedrill");
}

TEST(Package, CmakeInstallPutsEachPartInItsFhsPlace) {
  const auto scratch = scratch_dir("cmake-install");
  const fs::path prefix = scratch + "/prefix";
  auto install = run_command({FIREDRILL_CMAKE, "--install", build_dir.string(), "--prefix", prefix.string()}, 120);
  ASSERT_EQ(install.exit_code, 0) << install.output;
  for (const char* part : {"bin/firedrill", "libexec/firedrill/order-service", "share/firedrill/suites/graceful-shutdown.yaml",
                           "share/firedrill/suites/ambassador-faults.yaml", "share/man/man1/firedrill.1"})
    EXPECT_TRUE(fs::exists(prefix / part)) << part;
  EXPECT_FALSE(fs::exists(prefix / "bin/unit_tests")) << "nothing of the tests is installed";
  auto list = run_command({(prefix / "bin/firedrill").string(), "validate",
                           (prefix / "share/firedrill/suites/graceful-shutdown.yaml").string()},
                          60);
  EXPECT_EQ(list.exit_code, 0) << list.output;
}

TEST(Package, TheDebUnpackedRunsTheBundledSuite) {
  REQUIRE_PACKAGING_TOOLS();
  const auto scratch = scratch_dir("deb");
  auto pack = run_command({FIREDRILL_CPACK, "-G", "DEB", "--config", (build_dir / "CPackConfig.cmake").string(), "-B",
                           scratch + "/pkg"},
                          240);
  ASSERT_EQ(pack.exit_code, 0) << pack.output;
  fs::path deb;
  for (const auto& e : fs::directory_iterator(scratch + "/pkg"))
    if (e.path().extension() == ".deb") deb = e.path();
  ASSERT_FALSE(deb.empty()) << pack.output;

  auto info = run_command({dpkg_deb, "-I", deb.string()}, 60);
  ASSERT_EQ(info.exit_code, 0) << info.output;
  std::cout << info.output;
  for (const char* dep : {"libc6", "libstdc++6", "libboost-json1.81.0", "libfmt9", "libyaml-cpp0.7"})
    EXPECT_NE(info.output.find(dep), std::string::npos) << "Depends names " << dep << ":\n" << info.output;
  auto contents = run_command({dpkg_deb, "-c", deb.string()}, 60);
  for (const char* part : {"./usr/bin/firedrill", "./usr/libexec/firedrill/order-service",
                           "./usr/share/firedrill/suites/graceful-shutdown.yaml", "./usr/share/man/man1/firedrill.1"})
    EXPECT_NE(contents.output.find(part), std::string::npos) << part << ":\n" << contents.output;

  const fs::path root = scratch + "/root";
  auto unpack = run_command({dpkg_deb, "-x", deb.string(), root.string()}, 60);
  ASSERT_EQ(unpack.exit_code, 0) << unpack.output;
  runs_the_bundled_suite_from(root / "usr", scratch);
}

}  // namespace
}  // namespace firedrill::testing
