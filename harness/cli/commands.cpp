#include "cli/commands.hpp"

#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <random>

#include <fmt/format.h>

#include "checks/registry.hpp"
#include "engine/run_suite.hpp"
#include "pod/command_line.hpp"
#include "pod/guardian.hpp"
#include "reports/console_report.hpp"
#include "reports/junit_report.hpp"
#include "suite/suite.hpp"

namespace firedrill::cli {
namespace {

// Loads every suite or prints every error; nullopt means exit code 2.
std::optional<std::vector<suite::Suite>> load_all(const std::vector<std::string>& paths,
                                                  const std::optional<std::string>& target_override) {
  std::vector<suite::Suite> out;
  bool ok = true;
  for (const auto& p : paths) {
    try {
      auto s = suite::load_suite(p);
      if (target_override) s.target.app = {"app", *target_override, {"--target", 0, 0}};
      // Catch a bad command now (exit 2), not when the first scenario starts.
      pod::split_command(s.target.app.command, pod::default_lookup());
      for (const auto& sc : s.target.sidecars) pod::split_command(sc.command, pod::default_lookup());
      out.push_back(std::move(s));
    } catch (const suite::SuiteError& e) {
      std::fprintf(stderr, "firedrill: %s\n", e.what());
      ok = false;
    } catch (const pod::CommandLineError& e) {
      std::fprintf(stderr, "firedrill: %s: target command: %s\n",
                   target_override ? "--target" : p.c_str(), e.what());
      ok = false;
    }
  }
  if (!ok) return std::nullopt;
  return out;
}

}  // namespace

int validate_command(const std::vector<std::string>& paths) {
  auto suites = load_all(paths, std::nullopt);
  if (!suites) return 2;
  for (const auto& s : *suites) std::printf("%s: valid, %zu scenarios\n", s.path.c_str(), s.scenarios.size());
  return 0;
}

int list_command(const std::vector<std::string>& paths) {
  auto suites = load_all(paths, std::nullopt);
  if (!suites) return 2;
  for (const auto& s : *suites) {
    std::printf("%s (%s)\n", s.name.c_str(), s.path.c_str());
    for (const auto& sc : s.scenarios)
      std::printf("  %-24s %s\n", sc.name.c_str(), fmt::format("{}", fmt::join(sc.checks, ", ")).c_str());
  }
  return 0;
}

int run_command(const RunArgs& args) {
  auto suites = load_all(args.suites, args.target);
  if (!suites) return 2;
  // Before any thread or child exists: the guardian cleans up after us even
  // if we are SIGKILLed.
  pod::Guardian::start();

  engine::RunOptions options;
  options.seed = args.seed ? *args.seed : std::random_device{}() & 0x7fffffff;
  std::filesystem::path work = args.work_dir ? std::filesystem::path(*args.work_dir)
                                             : std::filesystem::temp_directory_path() /
                                                   fmt::format("firedrill-{}", pod::Guardian::marker());
  options.work_dir = work;
  auto style = reports::ConsoleStyle::for_stream(stdout);
  style.verbose = args.verbose;
  if (args.verbose)
    options.on_phase = [](const std::string& scenario, const std::string& phase) {
      std::fprintf(stderr, "firedrill: %s: %s\n", scenario.c_str(), phase.c_str());
    };

  std::vector<std::vector<std::size_t>> selections;
  for (const auto& s : *suites) {
    selections.push_back(engine::select_scenarios(s, args.filter));
    if (selections.back().empty()) {
      std::string names;
      for (const auto& sc : s.scenarios) names += (names.empty() ? "" : ", ") + sc.name;
      std::fprintf(stderr, "firedrill: --filter '%s' matches no scenario of %s; its scenarios: %s\n",
                   args.filter.c_str(), s.path.c_str(), names.c_str());
      return 2;
    }
  }

  std::vector<engine::RunResult> runs;
  for (std::size_t k = 0; k < suites->size(); ++k) {
    const auto& s = (*suites)[k];
    const auto& selected = selections[k];
    if (!args.quiet)
      std::printf("firedrill: suite %s (%s), %zu of %zu scenarios, seed %llu\n", s.name.c_str(), s.path.c_str(),
                  selected.size(), s.scenarios.size(), static_cast<unsigned long long>(options.seed));
    std::fflush(stdout);
    runs.push_back(engine::run_suite(s, selected, options, [&](const engine::ScenarioResult& r) {
      if (!args.quiet) std::fputs(reports::render_scenario_summary(r, style).c_str(), stdout);
      std::fflush(stdout);
    }));
  }
  if (!args.work_dir) {
    std::error_code ec;
    std::filesystem::remove_all(work, ec);
  }
  if (args.junit) {
    if (!reports::write_file(*args.junit, reports::render_junit(runs))) {
      std::fprintf(stderr, "firedrill: cannot write the JUnit report to %s: %s\n", args.junit->c_str(),
                   std::strerror(errno));
      return 3;
    }
  }
  std::fputs(reports::render_totals(runs, style).c_str(), stdout);
  if (args.junit) std::printf("JUnit report: %s\n", args.junit->c_str());
  int code = 0;
  for (const auto& r : runs) code = std::max(code, engine::exit_code_of(r));
  return code;
}

}  // namespace firedrill::cli
