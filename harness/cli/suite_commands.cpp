// validate and list, and the suite loading every command shares.
#include <cstdio>
#include <fstream>
#include <sstream>

#include <fmt/format.h>

#include "cli/commands.hpp"
#include "engine/fault_steps.hpp"
#include "pod/command_line.hpp"

namespace firedrill::cli {

std::optional<std::vector<LoadedSuite>> load_suites(const std::vector<std::string>& paths,
                                                    const std::optional<std::string>& target_override) {
  std::vector<LoadedSuite> out;
  bool ok = true;
  for (const auto& p : paths) {
    try {
      std::ifstream in(p, std::ios::binary);
      if (!in) throw suite::SuiteError(fmt::format("{}: cannot read the suite file", p));
      std::stringstream text;
      text << in.rdbuf();
      auto s = suite::parse_suite(text.str(), p);
      engine::validate_faults(s);
      // Only the command: the suite's restart-policy still applies.
      if (target_override) {
        s.target.app.command = *target_override;
        s.target.app.where = {"--target", 0, 0};
      }
      // Catch a bad command now (exit 2), not when the first scenario starts.
      pod::split_command(s.target.app.command, pod::default_lookup());
      for (const auto& sc : s.target.sidecars) pod::split_command(sc.command, pod::default_lookup());
      out.push_back({std::move(s), text.str()});
    } catch (const suite::SuiteError& e) {
      std::fprintf(stderr, "firedrill: %s\n", e.what());
      ok = false;
    } catch (const pod::CommandLineError& e) {
      std::fprintf(stderr, "firedrill: %s: target command: %s\n", target_override ? "--target" : p.c_str(), e.what());
      ok = false;
    }
  }
  if (!ok) return std::nullopt;
  return out;
}

int validate_command(const std::vector<std::string>& paths) {
  auto suites = load_suites(paths, std::nullopt);
  if (!suites) return 2;
  for (const auto& s : *suites)
    std::printf("%s: valid, %zu scenarios\n", s.suite.path.c_str(), s.suite.scenarios.size());
  return 0;
}

int list_command(const std::vector<std::string>& paths) {
  auto suites = load_suites(paths, std::nullopt);
  if (!suites) return 2;
  for (const auto& [s, text] : *suites) {
    std::printf("%s (%s)\n", s.name.c_str(), s.path.c_str());
    for (const auto& sc : s.scenarios)
      std::printf("  %-30s %s\n", sc.name.c_str(), fmt::format("{}", fmt::join(sc.checks, ", ")).c_str());
  }
  return 0;
}

}  // namespace firedrill::cli
