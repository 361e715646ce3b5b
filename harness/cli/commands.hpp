// The three commands behind the CLI; each returns the process exit code.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace firedrill::cli {

struct RunArgs {
  std::vector<std::string> suites;
  std::optional<std::string> target;
  std::optional<std::string> junit;
  std::optional<std::uint64_t> seed;
  std::string filter;
  std::optional<std::string> work_dir;
  bool verbose = false;
  bool quiet = false;
};

int run_command(const RunArgs& args);
int validate_command(const std::vector<std::string>& suites);
int list_command(const std::vector<std::string>& suites);

}  // namespace firedrill::cli
