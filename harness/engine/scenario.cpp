#include "engine/scenario.hpp"

#include <algorithm>
#include <csignal>

#include <boost/asio/experimental/awaitable_operators.hpp>
#include <boost/asio/this_coro.hpp>
#include <fmt/format.h>

#include "activator/activator.hpp"
#include "checks/evidence.hpp"
#include "engine/dependencies.hpp"
#include "engine/fault_steps.hpp"
#include "engine/run_bounds.hpp"
#include "engine/scenario_clock.hpp"
#include "engine/shard.hpp"
#include "engine/timeline.hpp"
#include "history/recorder.hpp"
#include "load/order_source.hpp"
#include "net/waiters.hpp"
#include "pod/pod.hpp"
#include "pod/socket_owner.hpp"
#include "probes/readback.hpp"
#include "probes/readiness_watch.hpp"

namespace firedrill::engine {
namespace asio = boost::asio;
using namespace boost::asio::experimental::awaitable_operators;

namespace {

// The load generator of one scenario: the connection pool, the order client
// and the open model. It lives until the scenario ends, not the load: the
// pool's idle keep-alive connections stay open through every drain, as an
// ingress keeps them (SPEC §3), and close only when the scenario is over.
struct Load {
  Load(asio::any_io_executor ex, const suite::LoadSpec& spec, asio::ip::tcp::endpoint app, const suite::OrderApi& api,
       const history::Epoch& epoch)
      : pool(std::move(ex), spec.max_connections),
        client(pool, app, api, spec.request_timeout_us, epoch, spec.connections),
        model(client, epoch) {}
  load::ConnectionPool pool;
  load::OrderClient client;
  load::OpenModel model;
};

// "load 200/s for 5.0s", or "load in 3 phases over 25.0s".
std::string describe_load(const suite::LoadSpec& l) {
  const auto& p = l.phases.front();
  if (l.phases.size() == 1 && p.from_rate == p.to_rate)
    return fmt::format("load {:.0f}/s for {:.1f}s", p.from_rate, static_cast<double>(p.duration_us) / 1e6);
  return fmt::format("load in {} phases over {:.1f}s", l.phases.size(), static_cast<double>(l.duration_us) / 1e6);
}

// One scenario's moving parts, alive for the duration of run(). It is also
// the nemesis its timeline acts through.
class Scenario final : private Nemesis, private activator::PodControl {
 public:
  Scenario(asio::any_io_executor ex, const suite::Suite& suite, std::size_t index, const RunOptions& opts,
           ScenarioResult& r)
      : ex_(ex), suite_(suite), spec_(suite.scenarios[index]), index_(index), opts_(opts), r_(r),
        rec_(r.history, epoch_), clock_(epoch_), observers_(ex), progress_pause_(ex) {}

  // A scenario cut short (deadline, Ctrl-C) is destroyed mid-run: keep the
  // app's last words for the report.
  ~Scenario() override {
    if (pod_ && !finished_) collect_output();
  }

  asio::awaitable<void> run() {
    if (prepare()) {
      try {
        if (co_await start_and_wait_ready()) {
          co_await drive();
          co_await settle();
        } else {
          r_.readback.why_not = "the app never became ready";
          r_.courier.why_not = "the app never became ready";
        }
      } catch (const pod::SpawnError& e) {
        r_.harness_error = e.what();
      }
      co_await teardown();
    }
    save();
    check();
  }

 private:
  // The phases, in the order run() takes them.
  bool prepare();
  asio::awaitable<bool> start_and_wait_ready();
  asio::awaitable<bool> wait_ready(int gen);
  void explain_failed_start(int gen);
  asio::awaitable<void> drive();
  asio::awaitable<void> settle();
  asio::awaitable<void> teardown();
  void save() {
    r_.seconds = std::chrono::duration<double>(history::Clock::now() - began_).count();
    if (opts_.on_recorded) opts_.on_recorded(r_);
  }
  void check() {
    if (!r_.harness_error) r_.results = evaluate_checks(r_);
  }

  // Parts of them.
  asio::awaitable<void> run_load(std::int64_t load_start_us);
  asio::awaitable<void> settle_until_quiet(std::size_t settle_event);
  bool sigterm_pending() const;
  void read_ledgers();
  void collect_output();
  asio::awaitable<void> report_progress();
  void phase(const std::string& what) {
    phase_ = what;
    if (opts_.on_phase) opts_.on_phase(spec_.name, what);
  }

  // What the timeline's steps do to this pod and these dependencies.
  void signal(const std::string& container, int sig) override;
  asio::awaitable<void> stop_pod(bool then_start) override;
  std::uint64_t fault_on(const suite::FaultStepSpec& fault) override;
  void fault_off(const suite::FaultStepSpec& fault, std::uint64_t id) override;

  // What the activator does to this pod (scale-to-zero).
  asio::awaitable<void> scale_down() override;
  asio::awaitable<bool> cold_start() override;
  bool app_running() const override { return pod_->app_running(); }

  const history::Clock::time_point began_ = history::Clock::now();
  asio::any_io_executor ex_;
  const suite::Suite& suite_;
  const suite::ScenarioSpec& spec_;
  std::size_t index_;
  const RunOptions& opts_;
  ScenarioResult& r_;
  history::Epoch epoch_;
  history::Recorder rec_;
  SteadyScenarioClock clock_;
  net::Waiters pod_changed_;  // a readiness change or a container exit
  std::optional<pod::PortLease> port_;  // the app's port, held until the scenario ends
  std::vector<pod::PortLease> sidecar_ports_;  // each sidecar's, in the suite's order
  asio::ip::tcp::endpoint app_;
  std::unique_ptr<Dependencies> deps_;
  std::unique_ptr<pod::Pod> pod_;
  std::unique_ptr<probes::ReadinessWatch> watch_;
  std::unique_ptr<activator::Activator> activator_;  // with `scaling`: where the load goes
  std::unique_ptr<Load> load_;
  net::TaskGroup observers_;  // the readiness watch and the progress line, until teardown
  asio::steady_timer progress_pause_;
  std::string phase_;
  bool finished_ = false;
};

// A fresh DATA_DIR, the hosted dependencies, the app's port, the pod and
// the readiness watch; false (a harness error) if one cannot be had.
bool Scenario::prepare() {
  const auto data_dir = opts_.work_dir / fmt::format("{:02}-{}", index_ + 1, spec_.name) / "data";
  std::error_code fs_ec;
  std::filesystem::remove_all(data_dir, fs_ec);
  std::filesystem::create_directories(data_dir, fs_ec);
  if (fs_ec) {
    r_.harness_error = fmt::format("cannot create DATA_DIR {}: {}", data_dir.string(), fs_ec.message());
    return false;
  }
  // The harness's own listeners first, then the container port (which lies
  // where no listener on port 0 can land anyway).
  deps_ = std::make_unique<Dependencies>(suite_.dependencies, scenario_seed(opts_.seed, spec_.name),
                                         [this] { return epoch_.now_us(); },
                                         static_cast<std::size_t>(spec_.load.orders()) + 1);
  pod::PodEnvironment env{0, deps_->payment_url(), deps_->courier_url(), data_dir.string(), {}, {}, deps_->telemetry_url()};
  try {
    port_.emplace(pod::PortLease::acquire(opts_.ports));
    for (const auto& sc : suite_.target.sidecars) {
      sidecar_ports_.push_back(pod::PortLease::acquire(opts_.ports));
      env.sidecar_ports[sc.name] = sidecar_ports_.back().port();
      // Each sidecar's own DATA_DIR, kept across its restarts in the scenario
      // and emptied when a pod stop ends the pod (Pod::start).
      const auto dir = data_dir.parent_path() / "sidecars" / sc.name;
      std::filesystem::remove_all(dir, fs_ec);
      std::filesystem::create_directories(dir, fs_ec);
      if (fs_ec) {
        r_.harness_error = fmt::format("cannot create the DATA_DIR of sidecar {}, {}: {}", sc.name, dir.string(),
                                       fs_ec.message());
        return false;
      }
      env.sidecar_data_dirs[sc.name] = dir.string();
    }
  } catch (const pod::PortError& e) {
    r_.harness_error = e.what();
    return false;
  }
  const int port = port_->port();
  env.port = port;
  app_ = {asio::ip::address_v4::loopback(), static_cast<unsigned short>(port)};
  pod_ = std::make_unique<pod::Pod>(ex_, suite_.target, std::move(env), rec_, [this] { pod_changed_.notify(); });
  watch_ = std::make_unique<probes::ReadinessWatch>(
      ex_, app_, suite_.target.api.ready_path, 20'000, epoch_,
      [this](bool ready, std::int64_t at, const std::string& why) {
        rec_.readiness(ready, pod_->generation(), at, why);
        pod_changed_.notify();
      });
  // A 200 counts only from a listener of the pod: anyone else's server on
  // the port (a stray process that took it) is not the app being ready.
  watch_->verify_ready_with([this, port] {
    const auto holder = pod_->foreign_listener(port);
    return holder.empty() ? std::string()
                          : fmt::format("answered 200, but the listener on port {} is {}, not a process of the pod",
                                        port, holder);
  });
  // A restart-policy restart is a new start: its first 200 is a change.
  pod_->on_restart([this](const std::string& container) {
    phase(fmt::format("restart of {} (restart-policy: always)", container));
    if (container == history::app_container) watch_->reset();  // the probe is the app's
    pod_changed_.notify();
  });
  observers_.spawn(watch_->run());
  if (opts_.on_progress) observers_.spawn(report_progress());
  return true;
}

// A new pod (every container started anew); true once its app answered
// /readyz with 200.
// Wakes on every readiness change and every exit, never on a timer.
asio::awaitable<bool> Scenario::start_and_wait_ready() {
  watch_->reset();
  if (!co_await pod_->start(ready_wait_bound_us(spec_.limits))) {
    phase("a native sidecar was not started: the app was not started");
    co_return false;
  }
  const int gen = pod_->generation();
  phase(fmt::format("start #{}", gen));
  co_return co_await wait_ready(gen);
}

// True once start `gen` of the app answered /readyz with 200; false when
// it exited first or the bound ran out.
asio::awaitable<bool> Scenario::wait_ready(int gen) {
  co_await pod_changed_.wait_for([&] { return rec_.ready_since_start(gen) || !pod_->app_running(); },
                                 std::chrono::microseconds(ready_wait_bound_us(spec_.limits)));
  if (rec_.ready_since_start(gen)) co_return true;
  explain_failed_start(gen);
  co_return false;
}

// Someone else holding the app's port makes the start a harness error
// (exit 3), not the app's failure; TIME_WAIT sockets of the app's own
// previous start are the app's problem (it binds without SO_REUSEADDR),
// and ready-within says so.
void Scenario::explain_failed_start(int gen) {
  const int port = app_.port();
  if (const auto holder = pod_->foreign_listener(port); !holder.empty()) {
    r_.harness_error = fmt::format("the app's port {} is held by {}, not by a process of the pod, so the app could "
                                   "not listen there and its start says nothing about the app",
                                   port, holder);
    return;
  }
  if (const auto h = pod::holders_of(port); !h.listening && h.time_wait)
    rec_.start_note(history::app_container, gen, fmt::format("port {} was held only by TIME_WAIT sockets, left by the previous start's "
                                     "connections: an app that binds without SO_REUSEADDR cannot listen there until "
                                     "they expire",
                                     port));
}

// The load and the timeline together; returns when every order has ended
// and every stop, rollout and fault window of the timeline is over.
asio::awaitable<void> Scenario::drive() {
  // The schedule starts a moment from now so the first orders are not
  // already late when the loop gets to them.
  const std::int64_t load_start = clock_.now_us() + 20'000;
  rec_.operations() = load::schedule_orders(scenario_seed(opts_.seed, spec_.name), 0, spec_.load.phases, load_start);
  asio::ip::tcp::endpoint target = app_;
  if (spec_.scaling) {
    const auto& sc = *spec_.scaling;
    activator::Settings settings{sc.to_zero_after_us,          sc.hold_timeout_us, sc.max_held,
                                 suite_.target.api.ready_path, suite_.target.api.key_header};
    settings.upstream_timeout_us = spec_.load.request_timeout_us + 1'000'000;
    activator_ = std::make_unique<activator::Activator>(ex_, app_, settings, rec_, static_cast<activator::PodControl&>(*this));
    activator_->start();
    target = activator_->endpoint();
  }
  load_ = std::make_unique<Load>(ex_, spec_.load, target, suite_.target.api, epoch_);
  co_await (run_load(load_start) && run_timeline(spec_.timeline, load_start, clock_, *this));
  // The settle starts and reads back on its own: no scale-down from here on.
  if (activator_) co_await activator_->stop_scaling();
}

asio::awaitable<void> Scenario::run_load(std::int64_t load_start_us) {
  std::vector<std::int64_t> phase_ends;
  for (std::int64_t end = load_start_us; const auto& p : spec_.load.phases) phase_ends.push_back(end += p.duration_us);
  load_->model.count_launches_by_phase(phase_ends);
  rec_.load_started(pod_->generation(), load_start_us);
  phase(describe_load(spec_.load));
  co_await load_->model.run(rec_.operations());
  rec_.load_ended(pod_->generation());

  const auto& ops = rec_.history().operations;
  std::int64_t start = load_start_us;
  auto first_due = ops.begin();
  for (std::size_t i = 0; i < spec_.load.phases.size(); ++i) {
    const auto& p = spec_.load.phases[i];
    const auto end_due = std::partition_point(first_due, ops.end(),
                                              [end = start + p.duration_us](const auto& op) { return op.intended_us() < end; });
    r_.load_phases.push_back({p.from_rate, p.to_rate, start, p.duration_us,
                              static_cast<std::size_t>(end_due - first_due), load_->model.launched_by_phase()[i]});
    first_due = end_due;
    start += p.duration_us;
  }
  r_.achieved_rate = static_cast<double>(load_->model.counters().sent) * 1e6 / static_cast<double>(spec_.load.duration_us);
}

// After the load: let a draining app finish, bring the app back on the
// same DATA_DIR if it is down, wait for the ledgers to go quiet, read back
// every order.
asio::awaitable<void> Scenario::settle() {
  const std::size_t settle_event = rec_.settle_started(pod_->generation());
  // A SIGTERMed app still draining gets its grace period (then SIGKILL).
  if (sigterm_pending()) co_await pod_->wait_app_exit(stop_bound_us(spec_.limits));
  // Up, starting again (restart-policy always), or down: a crashed app,
  // or one waiting out its restart back-off, is started for the settle.
  bool up = pod_->app_running() && watch_->ready();
  if (pod_->app_running() && !up) up = co_await wait_ready(pod_->generation());
  if (!pod_->app_running()) {
    phase("restart for settle");
    up = co_await start_and_wait_ready();
  }
  if (!up) {
    r_.readback.why_not = "the app did not become ready again after the scenario, so nothing could be read back";
    r_.courier.why_not = "the app did not come back to finish its courier work";
    co_return;
  }
  phase("settle");
  co_await settle_until_quiet(settle_event);
  phase("read-back");
  r_.readback = co_await probes::read_back(app_, suite_.target.api, rec_.history().operations);
  r_.courier.available = true;
}

bool Scenario::sigterm_pending() const {
  if (!pod_->app_running()) return false;
  for (const auto* e : rec_.history().events_of(history::EventKind::signal))
    if (e->generation == pod_->generation() && e->signal == SIGTERM) return true;
  return false;
}

// Settle until quiet. A fixed window would judge the machine, not the app:
// an app that stalled, or came back with a backlog, may still be
// dispatching when a fixed window ends, and the teardown SIGTERM would then
// count what it had not got to yet as lost. So the window restarts while
// the ledgers move, up to a bound; the settle event says how it ended.
// This one wait polls: the ledgers are written on the dependencies' own
// thread, and "nothing moved for a while" is a question of time anyway; a
// tenth of the window is fine enough.
asio::awaitable<void> Scenario::settle_until_quiet(std::size_t settle_event) {
  const std::int64_t tick_us = std::clamp<std::int64_t>(spec_.settle_us / 10, 1'000, 100'000);
  const std::int64_t start = clock_.now_us();
  const std::int64_t give_up = start + spec_.settle_us + settle_extension_bound_us;
  std::size_t work = deps_->work_done();
  std::int64_t last_move = start;
  while (clock_.now_us() - last_move < spec_.settle_us) {
    if (clock_.now_us() >= give_up) {
      rec_.settle_ended_with(settle_event,
                             fmt::format("the courier and payment ledgers were still moving after {}; read back anyway",
                                         describe_duration(clock_.now_us() - start)));
      co_return;
    }
    co_await clock_.sleep_until(clock_.now_us() + tick_us);
    if (const std::size_t now = deps_->work_done(); now != work) {
      work = now;
      last_move = clock_.now_us();
    }
  }
  if (last_move > start)
    rec_.settle_ended_with(settle_event,
                           fmt::format("the courier and payment ledgers moved until {} into the settle, then stayed "
                                       "quiet for {}",
                                       describe_duration(last_move - start), describe_duration(spec_.settle_us)));
}

// The final pod stop (a SIGTERM the drain checks judge like any other), the
// ledgers, the reaping, the leftover hunt, and the end of the observers.
asio::awaitable<void> Scenario::teardown() {
  phase("teardown");
  if (!r_.harness_error) co_await pod_->stop(spec_.limits.grace_us);
  read_ledgers();
  co_await pod_->kill_and_reap(5'000'000);
  pod_->take_down_leftovers();
  finished_ = true;
  watch_->stop();
  progress_pause_.cancel();
  co_await observers_.wait();
  collect_output();
  // The scenario is over: its connections close now, the activator's
  // upstream pool (kept through the final drain, as an ingress keeps it) too.
  if (activator_) co_await activator_->close();
  load_.reset();
}

// Read after the final stop: "by the end of the scenario" includes the
// app's own drain.
void Scenario::read_ledgers() {
  if (!r_.courier.available) {
    r_.payments.why_not = r_.courier.why_not;
    r_.telemetry.why_not = r_.courier.why_not;
    return;
  }
  auto seen = deps_->telemetry().take();
  r_.telemetry.available = true;
  r_.telemetry.first_arrival = std::move(seen.first_arrival);
  r_.telemetry.last_arrival_us = seen.last_arrival_us;
  r_.telemetry.records = seen.records;
  // Taken, not copied: the ledgers hold every order of the scenario.
  r_.courier.dispatched = deps_->courier().take_dispatched();
  r_.payments.available = true;
  r_.payments.assign(deps_->payments().take_attempts());
}

void Scenario::collect_output() {
  const std::string app(history::app_container);
  r_.app_output = pod_->output_of(app);
  r_.app_output_dropped = pod_->output_dropped_of(app);
  r_.sidecar_output.clear();
  for (const auto& sc : suite_.target.sidecars) {
    const auto dropped = pod_->output_dropped_of(sc.name);
    r_.sidecar_output += fmt::format("--- {} ---\n{}{}", sc.name,
                                     dropped ? fmt::format("[{} earlier bytes cut]\n", dropped) : "",
                                     pod_->output_of(sc.name));
  }
}

asio::awaitable<void> Scenario::report_progress() {
  while (!finished_) {
    Progress p{spec_.name, phase_, static_cast<double>(clock_.now_us()) / 1e6, {}};
    if (load_) p.orders = load_->model.counters();
    opts_.on_progress(p);
    progress_pause_.expires_after(std::chrono::milliseconds(250));
    boost::system::error_code ec;
    co_await progress_pause_.async_wait(asio::redirect_error(asio::use_awaitable, ec));
  }
}

void Scenario::signal(const std::string& container, int sig) {
  phase(fmt::format("{} {}", checks::signal_name(sig), container));
  pod_->signal(container, sig, spec_.limits.grace_us);
}

asio::awaitable<void> Scenario::stop_pod(bool then_start) {
  phase(then_start ? "rollout" : "pod stop");
  try {
    co_await pod_->stop(spec_.limits.grace_us);
    if (then_start) co_await start_and_wait_ready();
  } catch (const pod::SpawnError& e) {
    r_.harness_error = e.what();
  }
}

// Every scale-down is a pod stop (SIGTERM, grace, SIGKILL, in the sidecars'
// order), judged by the drain checks like any other.
asio::awaitable<void> Scenario::scale_down() {
  phase("scale to zero");
  co_await pod_->stop(spec_.limits.grace_us);
}

// A cold start on the same DATA_DIR; ready-within judges it like any start,
// the activator's own probe decides when to release.
asio::awaitable<bool> Scenario::cold_start() {
  phase("cold start");
  watch_->reset();
  try {
    const bool started = co_await pod_->start(ready_wait_bound_us(spec_.limits));
    co_return started;
  } catch (const pod::SpawnError& e) {
    r_.harness_error = e.what();
    co_return false;
  }
}

std::uint64_t Scenario::fault_on(const suite::FaultStepSpec& fault) {
  phase(fmt::format("fault on {}: {}", fault.dependency, describe(fault)));
  const auto id = deps_->proxy(fault.dependency).add(to_fault_spec(fault));
  rec_.fault_on(fault.dependency, pod_->generation(), describe(fault));
  return id;
}

void Scenario::fault_off(const suite::FaultStepSpec& fault, std::uint64_t id) {
  deps_->proxy(fault.dependency).remove(id);
  rec_.fault_off(fault.dependency, pod_->generation(), describe(fault));
}

}  // namespace

asio::awaitable<void> run_scenario(const suite::Suite& suite, std::size_t index, const RunOptions& options,
                                   ScenarioResult& r) {
  r.started = std::chrono::system_clock::now();
  Scenario s(co_await asio::this_coro::executor, suite, index, options, r);
  co_await s.run();
}

}  // namespace firedrill::engine
