// firedrill's command line: run, validate and list suites. Exit codes per
// SPEC §5: 0 all checks passed, 1 a check failed or was unknown, 2 the suite
// or the command line is invalid, 3 the harness could not run a scenario.
#include <unistd.h>

#include <cstdio>
#include <iostream>
#include <random>

#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include "cli/commands.hpp"

int main(int argc, char** argv) {
  using namespace firedrill::cli;
  CLI::App app{"firedrill: proves from the outside that a service survives being stopped"};
  app.require_subcommand(1);
  app.set_help_all_flag("--help-all");

  RunArgs run;
  auto* run_cmd = app.add_subcommand("run", "run suites against their target and report");
  run_cmd->add_option("suites", run.suites, "suite files (YAML)")->required()->check(CLI::ExistingFile);
  run_cmd->add_option("--target", run.target, "command that runs the app, overriding the suite's");
  run_cmd->add_option("--junit", run.junit, "write a JUnit XML report to this path");
  run_cmd->add_option("--seed", run.seed, "seed for every random choice (default: random, printed)");
  run_cmd->add_option("--filter", run.filter, "run only scenarios whose name matches this glob");
  run_cmd->add_option("--work-dir", run.work_dir, "where scenario data directories go (default: a new temp dir)");
  run_cmd->add_flag("--verbose", run.verbose, "print each phase and the evidence of passing checks");
  run_cmd->add_flag("--quiet", run.quiet, "print only the final line");

  std::vector<std::string> validate_suites, list_suites;
  auto* validate_cmd = app.add_subcommand("validate", "check suite files without running anything");
  validate_cmd->add_option("suites", validate_suites, "suite files")->required();
  auto* list_cmd = app.add_subcommand("list", "list the scenarios and checks of suites");
  list_cmd->add_option("suites", list_suites, "suite files")->required();

  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    std::cerr << "firedrill: " << e.what() << "\n(see firedrill --help)\n";
    return 2;
  }
  if (*run_cmd) return run_command(run);
  if (*validate_cmd) return validate_command(validate_suites);
  if (*list_cmd) return list_command(list_suites);
  return 2;
}
