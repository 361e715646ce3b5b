#include "engine/scenario_runner.hpp"

#include <algorithm>
#include <csignal>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <fmt/format.h>

#include "checks/evidence.hpp"
#include "checks/registry.hpp"
#include "engine/dependencies.hpp"
#include "engine/fault_steps.hpp"
#include "engine/run_bounds.hpp"
#include "load/order_source.hpp"
#include "pod/free_port.hpp"
#include "pod/guardian.hpp"
#include "pod/pod.hpp"
#include "probes/readback.hpp"
#include "probes/readiness_watch.hpp"

namespace firedrill::engine {
namespace asio = boost::asio;
using history::EventKind;

namespace {

asio::awaitable<void> sleep_until(history::Clock::time_point t) {
  asio::steady_timer timer(co_await asio::this_coro::executor, t);
  boost::system::error_code ec;
  co_await timer.async_wait(asio::redirect_error(asio::use_awaitable, ec));
}

asio::awaitable<void> sleep_for_us(std::int64_t us) {
  co_await sleep_until(history::Clock::now() + std::chrono::microseconds(us));
}

// One scenario's moving parts, alive for the duration of run().
class Scenario {
 public:
  Scenario(const suite::Suite& suite, std::size_t index, const RunOptions& opts, ScenarioResult& r)
      : suite_(suite), spec_(suite.scenarios[index]), index_(index), opts_(opts), r_(r) {}

  // A scenario cut short (deadline, Ctrl-C) is destroyed mid-run: keep the
  // app's last words for the report.
  ~Scenario() {
    if (pod_ && !finished_) collect_output();
  }

  asio::awaitable<void> run();

 private:
  void phase(const std::string& what) {
    phase_ = what;
    if (opts_.on_phase) opts_.on_phase(spec_.name, what);
  }
  asio::awaitable<void> report_progress();
  asio::awaitable<bool> start_and_wait_ready();
  asio::awaitable<void> apply(const suite::StepSpec& step);
  asio::awaitable<void> stop_pod(bool then_start, std::int64_t grace_us);
  asio::awaitable<void> fault_window(const suite::FaultStepSpec& fault);
  asio::awaitable<void> watch_readiness();
  asio::awaitable<void> settle_until_quiet(std::size_t settle_event);
  asio::awaitable<void> settle(checks::Readback& readback, checks::CourierLedger& courier);
  asio::awaitable<void> wait_for(const std::size_t& counter);
  bool sigterm_pending() const;
  void collect_output();

  const suite::Suite& suite_;
  const suite::ScenarioSpec& spec_;
  std::size_t index_;
  const RunOptions& opts_;
  ScenarioResult& r_;
  history::Epoch epoch_;
  std::unique_ptr<Dependencies> deps_;
  std::int64_t load_start_us_ = 0;
  std::unique_ptr<pod::Pod> pod_;
  std::unique_ptr<probes::ReadinessWatch> watch_;
  asio::ip::tcp::endpoint app_;
  std::size_t background_ = 0;  // stops and rollouts still running
  bool watching_ = false;
  std::string phase_;
  const load::OpenModel* model_ = nullptr;  // while load runs
  load::LoadCounters last_counters_;          // after it ran
  bool finished_ = false;
  bool reporting_ = false;  // report_progress() still runs (it uses this object)
};

asio::awaitable<bool> Scenario::start_and_wait_ready() {
  watch_->reset();
  pod_->start();
  const int gen = pod_->generation();
  phase(fmt::format("start #{}", gen));
  const auto deadline = history::Clock::now() + std::chrono::microseconds(ready_wait_bound_us(spec_.limits));
  while (history::Clock::now() < deadline) {
    for (const auto* e : r_.history.events_of(EventKind::ready))
      if (e->generation == gen) co_return true;
    if (!pod_->app_running()) co_return false;  // crashed during start-up
    co_await sleep_for_us(2'000);
  }
  co_return false;
}

bool Scenario::sigterm_pending() const {
  if (!pod_->app_running()) return false;
  for (const auto* e : r_.history.events_of(EventKind::signal))
    if (e->generation == pod_->generation() && e->signal == SIGTERM) return true;
  return false;
}

asio::awaitable<void> Scenario::wait_for(const std::size_t& counter) {
  while (counter > 0) co_await sleep_for_us(2'000);
}

asio::awaitable<void> Scenario::apply(const suite::StepSpec& step) {
  const auto grace = spec_.limits.grace_us;
  switch (step.action) {
    case suite::Action::signal:
      phase(fmt::format("{} {}", checks::signal_name(step.signal), step.to));
      pod_->signal(step.to, step.signal, grace);
      break;
    case suite::Action::stop:
    case suite::Action::rollout: {
      const bool rollout = step.action == suite::Action::rollout;
      phase(rollout ? "rollout" : "pod stop");
      ++background_;
      // In the background: the timeline goes on while the pod drains.
      asio::co_spawn(co_await asio::this_coro::executor, stop_pod(rollout, grace), asio::detached);
      break;
    }
    case suite::Action::fault:
      phase(fmt::format("fault on {}: {}", step.fault.dependency, describe(step.fault)));
      ++background_;
      asio::co_spawn(co_await asio::this_coro::executor, fault_window(step.fault), asio::detached);
      break;
  }
}

asio::awaitable<void> Scenario::stop_pod(bool then_start, std::int64_t grace_us) {
  try {
    co_await pod_->stop(grace_us);
    if (then_start) co_await start_and_wait_ready();
  } catch (const pod::SpawnError& e) {
    r_.harness_error = e.what();
  }
  --background_;
}

// One fault window: on now, off at its end (a fixed time from the start of
// load), whatever happens to the pod meanwhile. Removal never waits for
// traffic, so the window ends on time.
asio::awaitable<void> Scenario::fault_window(const suite::FaultStepSpec& fault) {
  auto& proxy = deps_->proxy(fault.dependency);
  const auto id = proxy.add(to_fault_spec(fault));
  history::Event on{epoch_.now_us(), EventKind::fault_on, fault.dependency, pod_->generation()};
  on.detail = describe(fault);
  r_.history.events.push_back(on);
  co_await sleep_until(epoch_.at(load_start_us_ + fault.ends_at_us));
  proxy.remove(id);
  history::Event off = on;
  off.kind = EventKind::fault_off;
  off.at_us = epoch_.now_us();
  off.generation = pod_->generation();
  r_.history.events.push_back(off);
  --background_;
}

asio::awaitable<void> Scenario::report_progress() {
  while (!finished_) {
    Progress p{spec_.name, phase_, static_cast<double>(epoch_.now_us()) / 1e6, {}};
    p.orders = model_ ? model_->counters() : last_counters_;
    opts_.on_progress(p);
    co_await sleep_for_us(250'000);
  }
  reporting_ = false;
}

asio::awaitable<void> Scenario::watch_readiness() {
  co_await watch_->run();
  watching_ = false;
}

asio::awaitable<void> Scenario::settle(checks::Readback& readback, checks::CourierLedger& courier) {
  const std::size_t settle_event = r_.history.events.size();
  r_.history.events.push_back({epoch_.now_us(), EventKind::settle_start, "app", pod_->generation()});
  // A SIGTERMed app still draining gets its grace period (then SIGKILL).
  if (sigterm_pending()) co_await pod_->wait_app_exit(stop_bound_us(spec_.limits));
  bool up = pod_->app_running() && watch_->ready();
  if (!pod_->app_running()) {
    phase("restart for settle");
    up = co_await start_and_wait_ready();
  }
  if (!up) {
    readback.why_not = "the app did not become ready again after the scenario, so nothing could be read back";
    courier.why_not = "the app did not come back to finish its courier work";
    co_return;
  }
  phase("settle");
  co_await settle_until_quiet(settle_event);
  phase("read-back");
  std::vector<std::string> ids;
  for (const auto& op : r_.history.operations) ids.push_back(op.id);
  readback = co_await probes::read_back(app_, suite_.target.api, ids);
  courier.available = true;
}

// Settle until quiet. A fixed window would judge the machine, not the app:
// An app that stalled, or came back with a backlog, may still be
// dispatching when a fixed window ends, and the teardown SIGTERM would then
// count what it had not got to yet as lost. So the window restarts while
// the ledgers move, up to a bound; the settle event says how it ended.
asio::awaitable<void> Scenario::settle_until_quiet(std::size_t settle_event) {
  const std::int64_t tick_us = std::clamp<std::int64_t>(spec_.settle_us / 10, 1'000, 100'000);
  const std::int64_t start = epoch_.now_us();
  const std::int64_t give_up = start + spec_.settle_us + settle_extension_bound_us;
  std::size_t work = deps_->work_done();
  std::int64_t last_move = start;
  while (epoch_.now_us() - last_move < spec_.settle_us) {
    if (epoch_.now_us() >= give_up) {
      r_.history.events[settle_event].detail =
          fmt::format("the courier and payment ledgers were still moving after {}; read back anyway",
                      describe_duration(epoch_.now_us() - start));
      co_return;
    }
    co_await sleep_for_us(tick_us);
    if (const std::size_t now = deps_->work_done(); now != work) {
      work = now;
      last_move = epoch_.now_us();
    }
  }
  if (last_move > start)
    r_.history.events[settle_event].detail =
        fmt::format("the courier and payment ledgers moved until {} into the settle, then stayed quiet for {}",
                    describe_duration(last_move - start), describe_duration(spec_.settle_us));
}

void Scenario::collect_output() {
  r_.app_output = pod_->output_of("app");
  r_.app_output_dropped = pod_->output_dropped_of("app");
  r_.sidecar_output.clear();
  for (const auto& sc : suite_.target.sidecars) {
    const auto dropped = pod_->output_dropped_of(sc.name);
    r_.sidecar_output += fmt::format("--- {} ---\n{}{}", sc.name,
                                     dropped ? fmt::format("[{} earlier bytes cut]\n", dropped) : "",
                                     pod_->output_of(sc.name));
  }
}

asio::awaitable<void> Scenario::run() {
  auto ex = co_await asio::this_coro::executor;
  const int port = pod::free_loopback_port();
  if (port == 0) {
    r_.harness_error = "no free TCP port on 127.0.0.1 for the app";
    co_return;
  }
  app_ = {asio::ip::address_v4::loopback(), static_cast<unsigned short>(port)};
  auto data_dir = opts_.work_dir / fmt::format("{:02}-{}", index_ + 1, spec_.name) / "data";
  std::error_code fs_ec;
  std::filesystem::remove_all(data_dir, fs_ec);
  std::filesystem::create_directories(data_dir, fs_ec);
  if (fs_ec) {
    r_.harness_error = fmt::format("cannot create DATA_DIR {}: {}", data_dir.string(), fs_ec.message());
    co_return;
  }

  deps_ = std::make_unique<Dependencies>(suite_.dependencies, opts_.seed * 1000003u + index_,
                                         [this] { return epoch_.now_us(); });
  pod_ = std::make_unique<pod::Pod>(
      ex, suite_.target, pod::PodEnvironment{port, deps_->payment_url(), deps_->courier_url(), data_dir.string()},
      r_.history, epoch_);
  watch_ = std::make_unique<probes::ReadinessWatch>(
      app_, suite_.target.api.ready_path, 20'000, epoch_, [this](bool ready, std::int64_t at, const std::string& why) {
        history::Event e{at, ready ? EventKind::ready : EventKind::not_ready, "app", pod_->generation()};
        e.detail = why;
        r_.history.events.push_back(std::move(e));
      });
  watching_ = true;
  asio::co_spawn(ex, watch_readiness(), asio::detached);
  if (opts_.on_progress) {
    reporting_ = true;
    asio::co_spawn(ex, report_progress(), asio::detached);
  }

  checks::Readback& readback = r_.readback;
  checks::CourierLedger& courier = r_.courier;
  try {
    if (co_await start_and_wait_ready()) {
      // The schedule starts a moment from now so the first orders are not
      // already late when the loop gets to them.
      const std::int64_t load_start = epoch_.now_us() + 20'000;
      load_start_us_ = load_start;
      r_.history.operations =
          load::schedule_orders(opts_.seed, index_, spec_.load.rate, load_start, spec_.load.duration_us);
      load::ConnectionPool pool(ex, spec_.load.max_connections);
      load::OrderClient client(pool, app_, suite_.target.api, spec_.load.request_timeout_us, epoch_);
      load::OpenModel model(client, epoch_);
      model_ = &model;
      std::size_t loading = 1;
      r_.history.events.push_back({load_start, EventKind::load_start, "app", pod_->generation()});
      phase(fmt::format("load {:.0f}/s for {:.1f}s", spec_.load.rate, spec_.load.duration_us / 1e6));
      // Parameters, not captures: a coroutine lambda's captures die with the
      // lambda object, its parameters live in the coroutine frame.
      asio::co_spawn(ex, [](load::OpenModel& m, std::vector<history::Operation>& ops, std::size_t& left) -> asio::awaitable<void> {
        co_await m.run(ops);
        --left;
      }(model, r_.history.operations, loading), asio::detached);

      auto steps = spec_.timeline;
      std::stable_sort(steps.begin(), steps.end(), [](auto& a, auto& b) { return a.at_us < b.at_us; });
      for (const auto& step : steps) {
        co_await sleep_until(epoch_.at(load_start + step.at_us));
        co_await apply(step);
      }
      co_await wait_for(loading);
      r_.history.events.push_back({epoch_.now_us(), EventKind::load_end, "app", pod_->generation()});
      const double seconds = static_cast<double>(spec_.load.duration_us) / 1e6;
      r_.achieved_rate = seconds > 0 ? static_cast<double>(model.counters().sent) / seconds : 0;
      pool.close_idle();
      last_counters_ = model.counters();
      model_ = nullptr;  // the model dies with this block
      co_await wait_for(background_);
      co_await settle(readback, courier);
    } else {
      readback.why_not = "the app never became ready";
      courier.why_not = "the app never became ready";
    }
    phase("teardown");
    co_await pod_->stop(spec_.limits.grace_us);
  } catch (const pod::SpawnError& e) {
    r_.harness_error = e.what();
  }
  checks::PaymentLedger& payments = r_.payments;
  if (courier.available) {
    courier.dispatched = deps_->courier().dispatched();
    // Read after the final stop: "by the end of the scenario" includes the
    // app's own drain.
    payments.available = true;
    for (const auto& a : deps_->payments().attempts())
      payments.by_order[a.order_id].push_back({a.key, a.at_us, a.new_charge});
  } else {
    payments.why_not = courier.why_not;
  }
  co_await pod_->kill_and_reap(5'000'000);
  watch_->stop();
  while (watching_) co_await sleep_for_us(2'000);
  // Every container has exited: whatever of the run is still alive outlived
  // its pod. Record it (no-leftover-processes), then take it down.
  for (const auto& l : pod::find_leftovers(pod::Guardian::marker())) {
    history::Event e{epoch_.now_us(), EventKind::leftover, "app", pod_->generation()};
    e.detail = fmt::format("pid {}: {}", l.pid, l.command.empty() ? std::string("(command unknown)") : l.command);
    r_.history.events.push_back(std::move(e));
    ::kill(l.pid, SIGKILL);
  }
  pod::kill_marked_processes(pod::Guardian::marker());
  finished_ = true;
  while (reporting_) co_await sleep_for_us(2'000);

  collect_output();
  if (r_.harness_error) co_return;

  r_.results = evaluate_checks(r_);
}

}  // namespace

asio::awaitable<void> run_scenario(const suite::Suite& suite, std::size_t index, const RunOptions& options,
                                   ScenarioResult& r) {
  r.started = std::chrono::system_clock::now();
  const auto t0 = history::Clock::now();
  Scenario s(suite, index, options, r);
  co_await s.run();
  r.seconds = std::chrono::duration<double>(history::Clock::now() - t0).count();
}

}  // namespace firedrill::engine
