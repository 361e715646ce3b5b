#include "support/paths.hpp"

#include <filesystem>

namespace firedrill::testing {
namespace fs = std::filesystem;

std::string source_path(const std::string& relative) { return (fs::path(FIREDRILL_SOURCE_DIR) / relative).string(); }
std::string bin_path(const std::string& name) { return (fs::path(FIREDRILL_BIN_DIR) / name).string(); }

std::optional<std::string> shared_schemas_dir() {
  auto dir = fs::path(FIREDRILL_SOURCE_DIR).parent_path() / "shared" / "schemas";
  if (fs::exists(dir / "ant-junit.xsd") && fs::exists(dir / "jenkins-junit-10.xsd")) return dir.string();
  return std::nullopt;
}

std::string scratch_dir(const std::string& name) {
  auto dir = fs::path(FIREDRILL_BIN_DIR).parent_path() / "test-scratch" / name;
  fs::remove_all(dir);
  fs::create_directories(dir);
  return dir.string();
}

}  // namespace firedrill::testing
