#include "engine/run_folder.hpp"

#include <ctime>
#include <fstream>
#include <sstream>
#include <stdexcept>

#include <boost/json.hpp>
#include <fmt/format.h>

#include "history/history_json.hpp"

namespace firedrill::engine {
namespace fs = std::filesystem;
namespace json = boost::json;

namespace {

void write_text(const fs::path& p, const std::string& text) {
  std::ofstream f(p, std::ios::binary | std::ios::trunc);
  f << text;
  if (!f.flush()) throw RunFolderError(fmt::format("cannot write {}", p.string()));
}

std::string read_text(const fs::path& p) {
  std::ifstream f(p, std::ios::binary);
  if (!f) throw RunFolderError(fmt::format("cannot read {}", p.string()));
  std::stringstream ss;
  ss << f.rdbuf();
  return ss.str();
}

json::value read_json(const fs::path& p) {
  boost::system::error_code ec;
  auto v = json::parse(read_text(p), ec);
  if (ec) throw RunFolderError(fmt::format("{}: not valid JSON: {}", p.string(), ec.message()));
  return v;
}

std::string stored_name(checks::Stored s) {
  return s == checks::Stored::yes ? "yes" : s == checks::Stored::no ? "no" : "unknown";
}

json::value observations_json(const ScenarioResult& s) {
  json::object readback{{"ran", s.readback.ran}, {"why_not", s.readback.why_not}, {"note", s.readback.note}};
  json::object by_id;
  for (const auto& [id, st] : s.readback.by_id) by_id[id] = stored_name(st);
  readback["by_id"] = std::move(by_id);
  json::array dispatched;
  for (const auto& id : s.courier.dispatched) dispatched.push_back(json::value(id));
  json::object charges;
  for (const auto& [id, attempts] : s.payments.by_order) {
    json::array a;
    for (const auto& c : attempts) a.push_back(json::object{{"key", c.key}, {"at_us", c.at_us}, {"new_charge", c.new_charge}});
    charges[id] = std::move(a);
  }
  return json::object{
      {"readback", std::move(readback)},
      {"courier", json::object{{"available", s.courier.available}, {"why_not", s.courier.why_not}, {"dispatched", dispatched}}},
      {"payments", json::object{{"available", s.payments.available}, {"why_not", s.payments.why_not}, {"by_order", charges}}}};
}

void read_observations(const json::value& v, ScenarioResult& s) {
  const auto& o = v.as_object();
  const auto& rb = o.at("readback").as_object();
  s.readback.ran = rb.at("ran").as_bool();
  s.readback.why_not = std::string(rb.at("why_not").as_string());
  // Absent in run folders written before the read-back could be cut short.
  if (const auto* note = rb.if_contains("note")) s.readback.note = std::string(note->as_string());
  for (const auto& [id, st] : rb.at("by_id").as_object()) {
    std::string_view n = st.as_string();
    s.readback.by_id[std::string(id)] = n == "yes" ? checks::Stored::yes : n == "no" ? checks::Stored::no : checks::Stored::unknown;
  }
  const auto& co = o.at("courier").as_object();
  s.courier.available = co.at("available").as_bool();
  s.courier.why_not = std::string(co.at("why_not").as_string());
  for (const auto& id : co.at("dispatched").as_array()) s.courier.dispatched.insert(std::string(id.as_string()));
  const auto& pa = o.at("payments").as_object();
  s.payments.available = pa.at("available").as_bool();
  s.payments.why_not = std::string(pa.at("why_not").as_string());
  for (const auto& [id, attempts] : pa.at("by_order").as_object())
    for (const auto& a : attempts.as_array())
      s.payments.by_order[std::string(id)].push_back({std::string(a.at("key").as_string()), a.at("at_us").as_int64(),
                                                      a.at("new_charge").as_bool()});
}

json::value limits_json(const checks::Limits& l) {
  json::array codes;
  for (int c : l.allowed_exit_codes) codes.push_back(c);
  return json::object{{"grace_us", l.grace_us},
                      {"readiness_flip_us", l.readiness_flip_us},
                      {"ready_within_us", l.ready_within_us},
                      {"allowed_exit_codes", codes},
                      {"error_budget_outside", l.error_budget.outside},
                      {"error_budget_within", l.error_budget.within}};
}

checks::Limits limits_from(const json::object& o) {
  checks::Limits l;
  l.grace_us = o.at("grace_us").as_int64();
  l.readiness_flip_us = o.at("readiness_flip_us").as_int64();
  l.ready_within_us = o.at("ready_within_us").as_int64();
  l.allowed_exit_codes.clear();
  for (const auto& c : o.at("allowed_exit_codes").as_array()) l.allowed_exit_codes.push_back(static_cast<int>(c.as_int64()));
  l.error_budget.outside = o.at("error_budget_outside").to_number<double>();
  l.error_budget.within = o.at("error_budget_within").to_number<double>();
  return l;
}

json::value scenario_json(const ScenarioResult& s) {
  json::array picked, results;
  for (const auto& c : s.picked_checks) picked.push_back(json::value(c));
  for (const auto& r : s.results) {
    json::array evidence;
    for (const auto& e : r.evidence) evidence.push_back(json::value(e));
    results.push_back(json::object{{"check", r.check}, {"verdict", checks::to_string(r.verdict)},
                                   {"message", r.message}, {"evidence", evidence}});
  }
  return json::object{
      {"name", s.name},
      {"target", s.target},
      {"seed", s.seed},
      {"started_unix_ms", std::chrono::duration_cast<std::chrono::milliseconds>(s.started.time_since_epoch()).count()},
      {"seconds", s.seconds},
      {"achieved_rate", s.achieved_rate},
      {"harness_error", s.harness_error ? json::value(*s.harness_error) : json::value(nullptr)},
      {"app_output_dropped", s.app_output_dropped},
      {"picked_checks", picked},
      {"limits", limits_json(s.limits)},
      {"results", results}};
}

// system_clock counts nanoseconds in 64 bits: beyond ~2262 the conversion
// from milliseconds overflows (undefined behaviour, not just a wrong time).
constexpr std::int64_t max_unix_ms = 9'000'000'000'000;

void read_scenario(const json::value& v, ScenarioResult& s) {
  const auto& o = v.as_object();
  s.name = std::string(o.at("name").as_string());
  s.target = std::string(o.at("target").as_string());
  s.seed = o.at("seed").to_number<std::uint64_t>();
  const std::int64_t started_ms = o.at("started_unix_ms").as_int64();
  if (started_ms < 0 || started_ms > max_unix_ms)
    throw RunFolderError(fmt::format("expected 'started_unix_ms' as milliseconds since 1970, from 0 to {}, got {}",
                                     max_unix_ms, started_ms));
  s.started = std::chrono::system_clock::time_point(std::chrono::milliseconds(started_ms));
  s.seconds = o.at("seconds").to_number<double>();
  s.achieved_rate = o.at("achieved_rate").to_number<double>();
  if (o.at("harness_error").is_string()) s.harness_error = std::string(o.at("harness_error").as_string());
  s.app_output_dropped = o.at("app_output_dropped").to_number<std::size_t>();
  for (const auto& c : o.at("picked_checks").as_array()) s.picked_checks.push_back(std::string(c.as_string()));
  s.limits = limits_from(o.at("limits").as_object());
  for (const auto& r : o.at("results").as_array()) {
    checks::CheckResult cr;
    cr.check = std::string(r.at("check").as_string());
    if (!checks::parse_verdict(r.at("verdict").as_string(), cr.verdict)) throw RunFolderError("unknown verdict");
    cr.message = std::string(r.at("message").as_string());
    for (const auto& e : r.at("evidence").as_array()) cr.evidence.push_back(std::string(e.as_string()));
    s.results.push_back(std::move(cr));
  }
}

// A folder named in run.json, as save_run wrote it: one plain name inside
// the run folder, so a damaged (or hostile) run.json cannot make check or
// report read files elsewhere.
std::string folder_in_run(const json::value& v) {
  std::string name(v.as_string());
  if (name.empty() || name == "." || name == ".." || name.find_first_of(std::string_view("/\0", 2)) != std::string::npos)
    throw std::invalid_argument(fmt::format("expected a folder name inside the run folder, got '{}'", name));
  return name;
}

std::string folder_name(std::size_t i, const std::string& name) {
  std::string safe;
  for (char c : name) safe += std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' ? c : '_';
  return fmt::format("{:02}-{}", i + 1, safe);
}

}  // namespace

void save_run(const fs::path& dir, const std::vector<SavedSuite>& suites) {
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec) throw RunFolderError(fmt::format("cannot create the run folder {}: {}", dir.string(), ec.message()));
  json::array suite_list;
  std::uint64_t seed = 0;
  for (std::size_t i = 0; i < suites.size(); ++i) {
    const auto& run = suites[i].run;
    seed = run.seed;
    const auto suite_dir = dir / folder_name(i, run.suite_name);
    fs::create_directories(suite_dir);
    write_text(suite_dir / "suite.yaml", suites[i].suite_text);
    json::array scenario_dirs;
    for (std::size_t k = 0; k < run.scenarios.size(); ++k) {
      const auto& s = run.scenarios[k];
      const auto sdir = suite_dir / folder_name(k, s.name);
      fs::create_directories(sdir);
      std::ostringstream ops, events;
      history::write_operations(ops, s.history.operations);
      history::write_events(events, s.history.events);
      write_text(sdir / "history.jsonl", ops.str());
      write_text(sdir / "events.jsonl", events.str());
      write_text(sdir / "observations.json", json::serialize(observations_json(s)));
      write_text(sdir / "scenario.json", json::serialize(scenario_json(s)));
      write_text(sdir / "app-output.log", s.app_output);
      write_text(sdir / "sidecars-output.log", s.sidecar_output);
      scenario_dirs.push_back(json::value(sdir.filename().string()));
    }
    suite_list.push_back(json::object{{"name", run.suite_name},
                                      {"path", run.suite_path},
                                      {"dir", suite_dir.filename().string()},
                                      {"scenarios", scenario_dirs}});
  }
  write_text(dir / "run.json", json::serialize(json::object{{"format", 1}, {"seed", seed}, {"suites", suite_list}}));
}

std::vector<RunResult> load_run(const fs::path& dir) {
  std::vector<RunResult> runs;
  const auto meta = read_json(dir / "run.json");
  try {
    for (const auto& sv : meta.at("suites").as_array()) {
      RunResult run;
      run.suite_name = std::string(sv.at("name").as_string());
      run.suite_path = std::string(sv.at("path").as_string());
      run.seed = meta.at("seed").to_number<std::uint64_t>();
      const auto suite_dir = dir / folder_in_run(sv.at("dir"));
      for (const auto& sc : sv.at("scenarios").as_array()) {
        const auto sdir = suite_dir / folder_in_run(sc);
        ScenarioResult s;
        auto read_part = [&](const char* file, void (*read)(const json::value&, ScenarioResult&)) {
          const auto v = read_json(sdir / file);
          try {
            read(v, s);
          } catch (const std::exception& e) {
            throw RunFolderError(fmt::format("{}: unexpected content: {}", (sdir / file).string(), e.what()));
          }
        };
        read_part("scenario.json", read_scenario);
        read_part("observations.json", read_observations);
        std::ifstream ops(sdir / "history.jsonl"), events(sdir / "events.jsonl");
        if (!ops || !events) throw RunFolderError(fmt::format("{}: history.jsonl or events.jsonl is missing", sdir.string()));
        try {
          s.history.operations = history::read_operations(ops, (sdir / "history.jsonl").string());
          s.history.events = history::read_events(events, (sdir / "events.jsonl").string());
        } catch (const history::HistoryFormatError& e) {
          throw RunFolderError(e.what());
        }
        s.app_output = read_text(sdir / "app-output.log");
        s.sidecar_output = read_text(sdir / "sidecars-output.log");
        run.scenarios.push_back(std::move(s));
      }
      runs.push_back(std::move(run));
    }
  } catch (const RunFolderError&) {
    throw;
  } catch (const std::exception& e) {
    throw RunFolderError(fmt::format("{}: unexpected content: {}", (dir / "run.json").string(), e.what()));
  }
  return runs;
}

fs::path new_run_dir(const fs::path& root, const std::string& suite, std::uint64_t seed) {
  std::time_t now = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&now, &tm);
  char stamp[32];
  std::strftime(stamp, sizeof stamp, "%Y%m%dT%H%M%SZ", &tm);
  fs::path dir = root / fmt::format("{}-{}-seed{}", suite, stamp, seed);
  for (int i = 2; fs::exists(dir); ++i) dir = root / fmt::format("{}-{}-seed{}-{}", suite, stamp, seed, i);
  return dir;
}

}  // namespace firedrill::engine
