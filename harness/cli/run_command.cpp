// firedrill run: runs suites against their target, saves the run folder,
// prints the summary and writes the reports.
#include <sys/resource.h>
#include <unistd.h>

#include <condition_variable>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <mutex>
#include <optional>
#include <random>
#include <thread>

#include <fmt/format.h>

#include "cli/commands.hpp"
#include "engine/run_bounds.hpp"
#include "engine/run_folder.hpp"
#include "engine/run_suite.hpp"
#include "engine/shard.hpp"
#include "pod/guardian.hpp"
#include "reports/console_report.hpp"
#include "suite/values.hpp"

namespace firedrill::cli {

namespace {

// The run's deadline: --deadline, or the sum of the selected scenarios'
// own bounds (engine/run_bounds.hpp). nullopt (with a message) if the flag
// is not a duration.
std::optional<std::int64_t> deadline_us(const RunArgs& args, const std::vector<LoadedSuite>& suites,
                                        const std::vector<std::vector<std::size_t>>& selections, std::string& origin) {
  if (args.deadline) {
    auto us = suite::parse_duration_us(*args.deadline);
    if (!us || *us <= 0) {
      std::fprintf(stderr, "firedrill: --deadline '%s': expected a duration such as 90s or 10m\n", args.deadline->c_str());
      return std::nullopt;
    }
    origin = engine::describe_duration(*us) + " (--deadline)";
    return us;
  }
  std::vector<const suite::ScenarioSpec*> picked;
  for (std::size_t k = 0; k < suites.size(); ++k)
    for (std::size_t i : selections[k]) picked.push_back(&suites[k].suite.scenarios[i]);
  const auto us = engine::run_deadline_us(picked);
  origin = engine::describe_duration(us) + " (the sum of the scenarios' own bounds; --deadline sets another)";
  return us;
}

// The ports the pods may use: this machine's policy, narrowed by --ports.
// nullopt (with a message) if the band is malformed or unusable.
std::optional<pod::PortPolicy> port_policy(const RunArgs& args) {
  auto policy = pod::PortPolicy::from_system();
  if (!args.ports) return policy;
  int lo = 0, hi = 0;
  char end = 0;
  std::string why = "expected LO-HI, such as 20000-20999";
  if (std::sscanf(args.ports->c_str(), "%d-%d%c", &lo, &hi, &end) == 2) why = policy.check_band(lo, hi);
  if (!why.empty()) {
    std::fprintf(stderr, "firedrill: --ports '%s': %s\n", args.ports->c_str(), why.c_str());
    return std::nullopt;
  }
  policy.band = {lo, hi};
  return policy;
}

// The backstop behind the engine's own deadline timer: should the event loop
// itself ever be stuck, this thread still ends the run a little later.
class Backstop {
 public:
  Backstop(std::chrono::steady_clock::time_point at, std::string origin) : thread_([this, at, origin] {
      std::unique_lock lock(mutex_);
      if (cv_.wait_until(lock, at, [this] { return done_; })) return;
      std::fprintf(stderr, "\nfiredrill: gave up: the run did not finish within its deadline of %s, and the harness "
                   "could not end it in an orderly way within 30s after that\n", origin.c_str());
      pod::kill_marked_processes(pod::Guardian::marker());
      std::_Exit(3);
    }) {}
  ~Backstop() {
    {
      std::lock_guard lock(mutex_);
      done_ = true;
    }
    cv_.notify_all();
    thread_.join();
  }

 private:
  std::mutex mutex_;
  std::condition_variable cv_;
  bool done_ = false;
  std::thread thread_;
};

}  // namespace

int run_command(const RunArgs& args) {
  auto suites = load_suites(args.suites, args.target);
  if (!suites) return 2;
  std::vector<std::vector<std::size_t>> selections;
  engine::RunPlan plan;
  if (!pick_scenarios(*suites, args.filter, args.shard, selections, plan)) return 2;
  const engine::Shard shard = plan.shard;
  std::string deadline_origin;
  const auto deadline = deadline_us(args, *suites, selections, deadline_origin);
  if (!deadline) return 2;
  auto ports = port_policy(args);
  if (!ports) return 2;
  // Before any thread or child exists: the guardian cleans up after us even
  // if we are SIGKILLed.
  pod::Guardian::start();

  engine::RunOptions options;
  options.seed = args.seed ? *args.seed : std::random_device{}() & 0x7fffffff;
  const std::filesystem::path work = args.work_dir ? std::filesystem::path(*args.work_dir)
                                                   : std::filesystem::temp_directory_path() /
                                                         fmt::format("firedrill-{}", pod::Guardian::marker());
  options.work_dir = work;
  options.ports = std::move(*ports);
  options.deadline = std::chrono::steady_clock::now() + std::chrono::microseconds(*deadline);
  options.deadline_origin = deadline_origin;
  auto style = reports::ConsoleStyle::for_stream(stdout);
  style.verbose = args.verbose;
  if (args.verbose)
    options.on_phase = [](const std::string& scenario, const std::string& phase) {
      std::fprintf(stderr, "firedrill: %s: %s\n", scenario.c_str(), phase.c_str());
    };
  // A live line on a terminal; CI logs (not a TTY) get plain lines only.
  std::size_t scenario_number = 0, scenario_total = 0;
  for (const auto& sel : selections) scenario_total += sel.size();
  const bool live = !args.quiet && !args.verbose && ::isatty(fileno(stderr));
  if (live)
    options.on_progress = [&](const engine::Progress& p) {
      std::fprintf(stderr, "\r\x1b[2K%s", reports::render_progress(p, scenario_number + 1, scenario_total, style).c_str());
      std::fflush(stderr);
    };

  // The run folder exists before the first scenario starts and takes each
  // scenario as it ends (SPEC §5): a harness killed mid-suite leaves every
  // finished scenario re-checkable.
  std::vector<engine::PlannedSuite> planned;
  for (std::size_t k = 0; k < suites->size(); ++k) {
    const auto& [s, text] = (*suites)[k];
    engine::PlannedSuite p{s.name, s.path, text, {}};
    for (std::size_t i : selections[k]) p.scenarios.push_back(engine::planned_result(s, i, options.seed));
    planned.push_back(std::move(p));
  }
  const auto run_dir = engine::new_run_dir(args.runs_dir, planned.front().name, options.seed, shard);
  std::optional<engine::RunFolderWriter> folder;
  bool folder_failed = false;
  auto keep = [&](auto&& write) {
    if (!folder || folder_failed) return;
    try {
      write(*folder);
    } catch (const engine::RunFolderError& e) {
      std::fprintf(stderr, "firedrill: %s; the run goes on without its run folder\n", e.what());
      folder_failed = true;
    }
  };
  try {
    folder.emplace(run_dir, std::move(planned), options.seed, plan);
  } catch (const engine::RunFolderError& e) {
    std::fprintf(stderr, "firedrill: %s; the run goes on without its run folder\n", e.what());
    folder_failed = true;
  }

  if (scenario_total == 0) {
    // More shards than scenarios: this one has nothing to run, which is no
    // failure; its folder still records the shard for `firedrill merge`.
    std::printf("firedrill: shard %s has no scenario: the %zu scenarios of these suites fall to the other shards\n",
                shard.describe().c_str(), plan.scenario_count());
    if (!folder_failed) std::printf("run folder: %s\n", run_dir.c_str());
    const bool reports_ok = write_reports({}, args.reports);
    append_job_summary({}, {"firedrill run", "shard " + shard.describe() + " (no scenario)", {}, 0});
    return folder_failed || !reports_ok ? 3 : 0;
  }

  std::vector<engine::RunResult> runs;
  std::string cut_short;
  std::optional<Backstop> backstop;
  backstop.emplace(*options.deadline + std::chrono::seconds(30), deadline_origin);
  if (args.verbose)
    std::fprintf(stderr, "firedrill: the run's deadline is %s\n", deadline_origin.c_str());
  for (std::size_t k = 0; k < suites->size(); ++k) {
    const auto& [s, text] = (*suites)[k];
    // A later suite is not started once the run was cut short; its
    // scenarios are reported as not run.
    engine::RunOptions suite_options = options;
    suite_options.not_run_because = cut_short;
    if (selections[k].empty()) continue;  // all of it fell to other shards
    if (!args.quiet && cut_short.empty())
      std::printf("firedrill: suite %s (%s), %zu of %zu scenarios%s, seed %llu\n", s.name.c_str(), s.path.c_str(),
                  selections[k].size(), s.scenarios.size(),
                  shard.whole() ? "" : (" (shard " + shard.describe() + ")").c_str(),
                  static_cast<unsigned long long>(options.seed));
    std::fflush(stdout);
    engine::ScenarioObserver observer;
    observer.started = [&](std::size_t i, const engine::ScenarioResult& r) { keep([&](auto& f) { f.started(k, i, r); }); };
    observer.recorded = [&](std::size_t i, const engine::ScenarioResult& r) { keep([&](auto& f) { f.recorded(k, i, r); }); };
    observer.done = [&](std::size_t i, const engine::ScenarioResult& r) {
      keep([&](auto& f) { f.checked(k, i, r); });
      if (!cut_short.empty()) return;
      ++scenario_number;
      if (live) std::fputs("\r\x1b[2K", stderr);
      if (!args.quiet) std::fputs(reports::render_scenario_summary(r, style).c_str(), stdout);
      std::fflush(stdout);
    };
    auto run = engine::run_suite(s, selections[k], suite_options, observer);
    if (cut_short.empty() && !run.cut_short.empty()) {
      cut_short = run.cut_short;
      if (live) std::fputs("\r\x1b[2K", stderr);
      std::fprintf(stderr, "firedrill: gave up: %s; the pod was taken down, writing what was recorded\n",
                   cut_short.c_str());
    }
    runs.push_back(std::move(run));
  }
  backstop.reset();
  if (!args.work_dir) {
    std::error_code ec;
    std::filesystem::remove_all(work, ec);
  }

  int code = folder_failed ? 3 : 0;
  for (const auto& run : runs) code = std::max(code, engine::exit_code_of(run));
  if (!write_reports(runs, args.reports)) code = 3;
  append_job_summary(runs, {"firedrill run", shard.whole() ? "" : "shard " + shard.describe(),
                            cut_short.empty() ? std::vector<std::string>{} : std::vector<std::string>{"gave up: " + cut_short},
                            code});
  std::fputs(reports::render_totals(runs, style).c_str(), stdout);
  if (!folder_failed) std::printf("run folder: %s (re-check: firedrill check %s)\n", run_dir.c_str(), run_dir.c_str());
  if (args.reports.junit) std::printf("JUnit report: %s\n", args.reports.junit->c_str());
  if (args.reports.junit_dir) std::printf("JUnit reports, one per scenario: %s\n", args.reports.junit_dir->c_str());
  if (args.reports.json) std::printf("JSON report: %s\n", args.reports.json->c_str());
  if (args.reports.html) std::printf("HTML report: %s\n", args.reports.html->c_str());
  std::fflush(stdout);
  if (!cut_short.empty()) std::fprintf(stderr, "firedrill: exit 3: %s\n", cut_short.c_str());
  if (args.verbose) {
    // The harness alone (its stubs and proxies are threads of it), not the
    // pod: bench/run-memory reads this line.
    rusage self{};
    ::getrusage(RUSAGE_SELF, &self);
    std::fprintf(stderr, "firedrill: peak RSS of the harness: %ld KiB\n", self.ru_maxrss);
  }
  return code;
}

}  // namespace firedrill::cli
