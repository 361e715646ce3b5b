// firedrill's command line. Exit codes per SPEC §5: 0 all checks passed,
// 1 a check failed or was unknown, 2 the suite or the command line is
// invalid, 3 the harness could not run a scenario.
#include <iostream>

#include <CLI/CLI.hpp>

#include "cli/commands.hpp"
#include "cli/proxy_options.hpp"

namespace {

void add_report_options(CLI::App* cmd, firedrill::cli::ReportPaths& paths) {
  cmd->add_option("--junit", paths.junit, "write a JUnit XML report to this path");
  cmd->add_option("--junit-dir", paths.junit_dir,
                  "write one Surefire-style JUnit XML file per scenario (TEST-SUITE.SCENARIO.xml) into this folder");
  cmd->add_option("--json", paths.json, "write a JSON report to this path");
  cmd->add_option("--html", paths.html, "write a self-contained HTML report to this path");
}

}  // namespace

int main(int argc, char** argv) {
  using namespace firedrill::cli;
  CLI::App app{"firedrill: proves from the outside that a service survives being stopped"};
  app.require_subcommand(1);

  RunArgs run;
  auto* run_cmd = app.add_subcommand("run", "run suites against their target and report");
  run_cmd->add_option("suites", run.suites, "suite files (YAML)")->required()->check(CLI::ExistingFile);
  run_cmd->add_option("--target", run.target.app_command, "command that runs the app, overriding the suite's");
  run_cmd->add_option("--sidecar", run.target.sidecars,
                      "NAME=COMMAND runs that sidecar with COMMAND instead of the suite's; NAME+=ARGS appends ARGS "
                      "to the suite's (repeatable)")
      ->allow_extra_args(false);
  run_cmd->add_option("--sidecar-kind", run.target.sidecar_kinds,
                      "NAME=native|classic: run that sidecar as that kind instead of the suite's (repeatable)")
      ->allow_extra_args(false);
  add_report_options(run_cmd, run.reports);
  run_cmd->add_option("--seed", run.seed, "seed for every random choice (default: random, printed)");
  run_cmd->add_option("--filter", run.filter, "run only scenarios whose name matches this glob");
  run_cmd->add_option("--runs-dir", run.runs_dir, "where run folders are saved")->capture_default_str();
  run_cmd->add_option("--work-dir", run.work_dir, "keep the scenarios' data directories here");
  run_cmd->add_option("--deadline", run.deadline,
                      "give up (exit 3) if the whole run takes longer, e.g. 10m (default: from the suites' limits)");
  run_cmd->add_option("--ports", run.ports,
                      "take the pod's ports from LO-HI only (outside the kernel's ephemeral range, or reserved)");
  run_cmd->add_option("--shard", run.shard,
                      "run only the i-th of n disjoint shares of the scenarios, e.g. 2/3 (1-based; after --filter)");
  run_cmd->add_flag("--verbose", run.verbose, "print each phase and the evidence of passing checks");
  run_cmd->add_flag("--quiet", run.quiet, "print only the final lines");

  std::vector<std::string> validate_suites;
  auto* validate_cmd = app.add_subcommand("validate", "check suite files without running anything");
  validate_cmd->add_option("suites", validate_suites, "suite files")->required();
  ListArgs list;
  auto* list_cmd = app.add_subcommand("list", "list the scenarios and checks of suites (those a run would run)");
  list_cmd->add_option("suites", list.suites, "suite files")->required();
  list_cmd->add_option("--filter", list.filter, "only scenarios whose name matches this glob");
  list_cmd->add_option("--shard", list.shard, "only the i-th of n shares, as run --shard would run them");

  SavedRunArgs check, report;
  auto* check_cmd = app.add_subcommand("check", "re-evaluate the checks of a saved run, without running anything");
  check_cmd->add_option("run_dir", check.run_dir, "a run folder")->required()->check(CLI::ExistingDirectory);
  add_report_options(check_cmd, check.reports);
  check_cmd->add_flag("--verbose", check.verbose, "also show the evidence of passing checks");
  auto* report_cmd = app.add_subcommand("report", "render the reports of a saved run again");
  report_cmd->add_option("run_dir", report.run_dir, "a run folder")->required()->check(CLI::ExistingDirectory);
  add_report_options(report_cmd, report.reports);

  MergeArgs merge;
  auto* merge_cmd = app.add_subcommand("merge", "join run folders (shards, or separate runs) into one report set");
  merge_cmd->add_option("run_dirs", merge.run_dirs, "run folders")->required()->check(CLI::ExistingDirectory);
  add_report_options(merge_cmd, merge.reports);
  merge_cmd->add_flag("--verbose", merge.verbose, "also show the evidence of passing checks");

  ProxyArgs proxy;
  auto* proxy_cmd = app.add_subcommand("proxy", "run the seeded fault proxy on its own");
  add_proxy_options(*proxy_cmd, proxy);

  LoadArgs load;
  auto* load_cmd = app.add_subcommand("load", "drive order load at a URL on its own (no pod, no checks) and measure it");
  load_cmd->add_option("--url", load.url, "http://HOST:PORT/PATH that places orders")->required();
  load_cmd->add_flag("--closed-loop", load.closed_loop, "each connection sends its next order as soon as one completes");
  load_cmd->add_option("--rate", load.rate, "open model: orders per second, whatever the answers")->check(CLI::PositiveNumber);
  load_cmd->add_option("--connections", load.connections, "connections in all")->capture_default_str()->check(CLI::Range(1, 100000));
  load_cmd->add_option("--threads", load.threads, "threads, each with its own share of the connections")
      ->capture_default_str()->check(CLI::Range(1, 256));
  load_cmd->add_option("--duration", load.duration_s, "seconds of load")->capture_default_str()->check(CLI::PositiveNumber);
  load_cmd->add_option("--orders", load.orders, "closed loop: stop after this many orders");
  load_cmd->add_option("--timeout", load.timeout_s, "request timeout in seconds")->capture_default_str()->check(CLI::PositiveNumber);
  load_cmd->add_option("--seed", load.seed, "seed of the order ids")->capture_default_str();
  load_cmd->add_option("--history", load.history, "write every order as JSON Lines (the run folder's format) here");

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
  if (*list_cmd) return list_command(list);
  if (*check_cmd) return check_command(check);
  if (*report_cmd) return report_command(report);
  if (*merge_cmd) return merge_command(merge);
  if (*proxy_cmd) return proxy_command(proxy);
  if (*load_cmd) return load_command(load);
  return 2;
}
