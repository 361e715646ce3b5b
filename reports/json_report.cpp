#include "reports/json_report.hpp"

#include <algorithm>

#include <boost/json.hpp>

#include "checks/cold_starts.hpp"
#include "checks/registry.hpp"
#include "reports/figures.hpp"

namespace firedrill::reports {
namespace json = boost::json;

namespace {

template <class T>
json::value optional_value(const std::optional<T>& v) {
  return v ? json::value(*v) : json::value(nullptr);
}

json::value seconds_or_null(const history::Event* e) {
  return e ? json::value(static_cast<double>(e->at_us) / 1e6) : json::value(nullptr);
}
json::value ms_or_null(std::int64_t us) {
  return us < 0 ? json::value(nullptr) : json::value(static_cast<double>(us) / 1e3);
}

// Scale-to-zero, one entry per cycle (SPEC §3): when the activator took the
// pod down, when it started it again, and what the held requests waited.
json::array scaling_json(const history::History& h) {
  json::array out;
  for (const auto& c : checks::scale_cycles(h)) {
    std::vector<std::int64_t> holds, lags;
    std::size_t refused = 0;
    for (const auto& r : c.held) {
      holds.push_back(r.hold_us());
      if (!r.released()) ++refused;
      else if (c.serving && r.end->at_us >= c.serving->at_us) lags.push_back(r.end->at_us - c.serving->at_us);
    }
    out.push_back(json::object{
        {"cycle", c.number},
        {"scale_down_s", seconds_or_null(c.scale_down)},
        {"at_zero_s", seconds_or_null(c.at_zero)},
        {"scale_up_s", seconds_or_null(c.scale_up)},
        {"app_start_s", seconds_or_null(c.app_start)},
        {"ready_s", seconds_or_null(c.serving)},
        {"cold_start_ms", ms_or_null(c.cold_start_us)},
        {"held", c.held.size()},
        {"refused_by_activator", refused},
        {"hold_ms", json::object{{"p50", ms_or_null(checks::percentile(holds, 50))},
                                 {"p99", ms_or_null(checks::percentile(holds, 99))},
                                 {"max", ms_or_null(checks::percentile(holds, 100))}}},
        {"release_lag_ms", json::object{{"p50", ms_or_null(checks::percentile(lags, 50))},
                                        {"p99", ms_or_null(checks::percentile(lags, 99))},
                                        {"max", ms_or_null(checks::percentile(lags, 100))}}}});
  }
  return out;
}

json::value scenario_json(const engine::ScenarioResult& s) {
  const Figures f = figures_of(s);
  json::array checks;
  for (const auto& def : checks::all_checks()) {
    const checks::CheckResult* r = nullptr;
    for (const auto& x : s.results)
      if (x.check == def.name) r = &x;
    json::array evidence;
    if (r)
      for (const auto& e : r->evidence) evidence.push_back(json::value(e));
    std::string verdict = r ? std::string(checks::to_string(r->verdict)) : "skipped";
    if (s.harness_error && !r) verdict = "error";
    if (s.harness_error && !engine::reports_check(s, def.name)) verdict = "skipped";
    checks.push_back(json::object{{"name", def.name},
                                  {"verdict", verdict},
                                  {"message", r ? r->message : (verdict == "error" ? *s.harness_error : "")},
                                  {"evidence", evidence}});
  }
  json::array drains, faults;
  for (const auto& d : f.drains)
    drains.push_back(json::object{{"sigterm_at_s", d.sigterm_at_s},
                                  {"drain_s", optional_value(d.drain_s)},
                                  {"readiness_flip_s", optional_value(d.readiness_flip_s)},
                                  {"sigkilled", d.sigkilled},
                                  {"exit_code", optional_value(d.exit_code)},
                                  {"exit_signal", optional_value(d.exit_signal)}});
  for (const auto& w : f.faults)
    faults.push_back(json::object{{"on", w.on}, {"fault", w.fault}, {"from_s", w.from_s}, {"to_s", optional_value(w.to_s)}});
  json::array exits;
  for (const auto& e : s.history.events)
    if (e.kind == history::EventKind::exit && e.container == history::app_container)
      exits.push_back(json::object{{"at_s", static_cast<double>(e.at_us) / 1e6},
                                   {"start", e.generation},
                                   {"exit_code", e.signal ? json::value(nullptr) : json::value(e.exit_code)},
                                   {"exit_signal", e.signal ? json::value(e.signal) : json::value(nullptr)}});
  // Every container's starts, signals and exits, in time order (exits are
  // recorded from callbacks, so the history is not).
  std::vector<const history::Event*> lifecycle;
  for (const auto& e : s.history.events)
    if ((e.kind == history::EventKind::pod_start || e.kind == history::EventKind::exit ||
         (e.kind == history::EventKind::signal && e.delivered)) &&
        e.container != history::harness_lane && e.container != history::pod_lane)
      lifecycle.push_back(&e);
  std::stable_sort(lifecycle.begin(), lifecycle.end(), [](auto* a, auto* b) { return a->at_us < b->at_us; });
  json::array containers;
  for (const auto* e : lifecycle) {
    const bool exit = e->kind == history::EventKind::exit;
    containers.push_back(json::object{
        {"container", e->container},
        {"start", e->generation},
        {"event", e->kind == history::EventKind::pod_start ? "start" : exit ? "exit" : "signal"},
        {"at_s", static_cast<double>(e->at_us) / 1e6},
        {"signal", e->signal ? json::value(e->signal) : json::value(nullptr)},
        {"exit_code", exit && !e->signal ? json::value(e->exit_code) : json::value(nullptr)},
        {"by_harness", e->by_harness}});
  }
  json::array phases;
  for (const auto& p : s.load_phases)
    phases.push_back(json::object{{"from_rate", p.from_rate},
                                  {"to_rate", p.to_rate},
                                  {"start_s", static_cast<double>(p.start_us) / 1e6},
                                  {"seconds", static_cast<double>(p.duration_us) / 1e6},
                                  {"scheduled", p.scheduled},
                                  {"launched", p.launched},
                                  {"achieved_rate", p.achieved_rate()}});
  return json::object{
      {"name", s.name},
      {"target", s.target},
      {"seed", s.seed},
      {"seconds", s.seconds},
      {"harness_error", optional_value(s.harness_error)},
      {"orders",
       json::object{{"total", f.counts.total},
                    {"accepted", f.counts.accepted},
                    {"refused", f.counts.refused},
                    {"indeterminate", f.counts.indeterminate},
                    {"recovered", f.counts.recovered},
                    {"retried", f.counts.retried},
                    {"achieved_rate", s.achieved_rate}}},
      {"latency_ms", json::object{{"from", "intended send"},
                                  {"samples", f.latency.samples},
                                  {"p50", f.latency.p50},
                                  {"p90", f.latency.p90},
                                  {"p99", f.latency.p99},
                                  {"max", f.latency.max}}},
      {"load_phases", phases},
      {"starts", f.starts},
      {"drains", drains},
      {"exits", exits},
      {"containers", containers},
      {"scaling", scaling_json(s.history)},
      {"faults", faults},
      {"checks", checks}};
}

}  // namespace

std::string render_json(const std::vector<engine::RunResult>& runs) {
  json::array suites;
  std::size_t pass = 0, fail = 0, unknown = 0, skipped = 0, errors = 0, scenarios = 0;
  std::uint64_t seed = 0;
  for (const auto& run : runs) {
    seed = run.seed;
    json::array list;
    for (const auto& s : run.scenarios) {
      ++scenarios;
      auto v = scenario_json(s);
      for (const auto& c : v.at("checks").as_array()) {
        auto verdict = c.at("verdict").as_string();
        if (verdict == "pass") ++pass;
        else if (verdict == "fail") ++fail;
        else if (verdict == "unknown") ++unknown;
        else if (verdict == "error") ++errors;
        else ++skipped;
      }
      list.push_back(std::move(v));
    }
    suites.push_back(json::object{{"name", run.suite_name}, {"path", run.suite_path}, {"scenarios", list}});
  }
  int exit_code = 0;
  for (const auto& r : runs) exit_code = std::max(exit_code, engine::exit_code_of(r));
  json::object doc{{"format", "firedrill-report/1"},
                   {"seed", seed},
                   {"exit_code", exit_code},
                   {"totals", json::object{{"scenarios", scenarios},
                                           {"pass", pass},
                                           {"fail", fail},
                                           {"unknown", unknown},
                                           {"error", errors},
                                           {"skipped", skipped}}},
                   {"suites", suites}};
  return json::serialize(doc) + "\n";
}

}  // namespace firedrill::reports
