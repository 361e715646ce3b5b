// SPEC §5: our JUnit XML is valid against the schemas in ../shared/schemas.
// No one document can be (Ant requires hostname, timestamp and suite-level
// output; Surefire 3.0 forbids them), so each schema there must accept at
// least one of our two flavours: the --junit file or every --junit-dir
// file. A schema added to the folder that neither satisfies fails here,
// loudly, rather than being silently unchecked.
#include <gtest/gtest.h>

#include <filesystem>

#include "junit_sample.hpp"
#include "reports/junit_report.hpp"
#include "reports/surefire_report.hpp"
#include "support/paths.hpp"
#include "support/run_firedrill.hpp"

namespace firedrill::reports {
namespace {

namespace fs = std::filesystem;

TEST(JUnitSchemas, EverySharedSchemaAcceptsOneOfOurFlavours) {
  const auto schemas = testing::shared_schemas_dir();
  if (!schemas) GTEST_SKIP() << "../shared/schemas is not here: schema validation skipped";
  // Every outcome and hostile output, in both flavours.
  const auto runs = sample::every_kind();
  const auto dir = testing::scratch_dir("junit-every-schema");
  const std::string single = dir + "/junit.xml";
  ASSERT_TRUE(write_file(single, render_junit(runs)));
  std::vector<std::string> per_scenario;
  for (const auto& f : render_surefire_files(runs)) {
    per_scenario.push_back(dir + "/" + f.name);
    ASSERT_TRUE(write_file(per_scenario.back(), f.content));
  }
  std::size_t checked = 0;
  for (const auto& entry : fs::directory_iterator(*schemas)) {
    if (entry.path().extension() != ".xsd") continue;
    ++checked;
    const std::string xsd = entry.path().string();
    const std::string single_errors = testing::schema_errors(single, xsd);
    std::string dir_errors;
    for (const auto& f : per_scenario) dir_errors += testing::schema_errors(f, xsd);
    EXPECT_TRUE(single_errors.empty() || dir_errors.empty())
        << entry.path().filename() << " accepts neither flavour.\n--junit file:\n"
        << single_errors << "--junit-dir files:\n"
        << dir_errors;
  }
  EXPECT_GE(checked, 4u) << "the schemas of SOURCES.md: jenkins, ant and both surefire ones";
}

}  // namespace
}  // namespace firedrill::reports
