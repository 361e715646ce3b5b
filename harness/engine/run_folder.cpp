#include "engine/run_folder.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <ctime>
#include <fstream>
#include <functional>
#include <sstream>

#include <boost/json.hpp>
#include <fmt/format.h>

#include "engine/saved_scenario.hpp"
#include "history/history_json.hpp"

namespace firedrill::engine {
namespace fs = std::filesystem;
namespace json = boost::json;

namespace {

void sync_path(const fs::path& p, int flags) {
  const int fd = ::open(p.c_str(), flags | O_CLOEXEC);
  if (fd < 0) return;
  ::fsync(fd);
  ::close(fd);
}

// A reader finds the old file or the whole new one, never a part: the text
// goes to a temporary beside it, reaches the disk, and is renamed over.
void write_atomically(const fs::path& p, const std::function<void(std::ostream&)>& write) {
  const fs::path tmp = p.string() + ".tmp";
  {
    std::ofstream f(tmp, std::ios::binary | std::ios::trunc);
    write(f);
    if (!f.flush()) throw RunFolderError(fmt::format("cannot write {}", p.string()));
  }
  sync_path(tmp, O_RDONLY);
  std::error_code ec;
  fs::rename(tmp, p, ec);
  if (ec) throw RunFolderError(fmt::format("cannot write {}: {}", p.string(), ec.message()));
  sync_path(p.parent_path(), O_RDONLY | O_DIRECTORY);  // the rename itself
}

void write_text(const fs::path& p, const std::string& text) {
  write_atomically(p, [&](std::ostream& out) { out << text; });
}

void make_dir(const fs::path& p) {
  std::error_code ec;
  fs::create_directories(p, ec);
  if (ec) throw RunFolderError(fmt::format("cannot create {}: {}", p.string(), ec.message()));
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

// A folder named in run.json, as the writer wrote it: one plain name inside
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

// One scenario folder back into a result.
ScenarioResult load_scenario(const fs::path& sdir, const std::string& planned_name) {
  ScenarioResult s;
  if (!fs::exists(sdir / "scenario.json")) {
    // The writer creates it when the scenario starts: this one never did.
    s.name = planned_name;
    s.harness_error = "not run: the harness ended before this scenario started";
    return s;
  }
  auto read_part = [&](const char* file, auto read) {
    const auto v = read_json(sdir / file);
    try {
      return read(v, s);
    } catch (const std::exception& e) {
      throw RunFolderError(fmt::format("{}: unexpected content: {}", (sdir / file).string(), e.what()));
    }
  };
  const SavedState state = read_part("scenario.json", read_scenario);
  if (state == SavedState::pending) {
    s.results.clear();
    s.harness_error = "not run: the harness ended before this scenario started";
    return s;
  }
  if (state == SavedState::running) {
    s.results.clear();
    s.harness_error = "interrupted: the harness ended (killed, or crashed) while this scenario ran; what it had "
                      "recorded was not saved";
    return s;
  }
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
  // Saved before its checks ran and never checked: nothing is missing to
  // check it now.
  if (state == SavedState::recorded && !s.harness_error) s.results = evaluate_checks(s);
  return s;
}

}  // namespace

std::size_t RunPlan::scenario_count() const {
  std::size_t n = 0;
  for (const auto& s : suites) n += s.scenarios.size();
  return n;
}

RunFolderWriter::RunFolderWriter(fs::path dir, std::vector<PlannedSuite> suites, std::uint64_t seed, RunPlan plan)
    : dir_(std::move(dir)), suites_(std::move(suites)) {
  if (plan.suites.empty())
    for (const auto& suite : suites_) {
      RunPlan::Suite ps{suite.name, suite.path, {}};
      for (const auto& s : suite.scenarios) ps.scenarios.push_back(s.name);
      plan.suites.push_back(std::move(ps));
    }
  make_dir(dir_);
  json::array suite_list;
  for (std::size_t i = 0; i < suites_.size(); ++i) {
    const auto& suite = suites_[i];
    const auto suite_dir = folder_name(i, suite.name);
    make_dir(dir_ / suite_dir);
    write_text(dir_ / suite_dir / "suite.yaml", suite.text);
    json::array scenarios;
    for (std::size_t k = 0; k < suite.scenarios.size(); ++k) {
      const auto& name = suite.scenarios[k].name;
      scenarios.push_back(json::object{{"name", name}, {"dir", folder_name(k, name)}});
      make_dir(scenario_dir(i, k));
      write_text(scenario_dir(i, k) / "scenario.json", json::serialize(scenario_json(suite.scenarios[k], SavedState::pending)));
    }
    suite_list.push_back(json::object{{"name", suite.name}, {"path", suite.path}, {"dir", suite_dir},
                                      {"scenarios", scenarios}});
  }
  json::array plan_list;
  for (const auto& ps : plan.suites) {
    json::array names;
    for (const auto& n : ps.scenarios) names.push_back(json::string(n));
    plan_list.push_back(json::object{{"name", ps.name}, {"path", ps.path}, {"scenarios", names}});
  }
  write_text(dir_ / "run.json",
             json::serialize(json::object{{"format", 3},
                                          {"seed", seed},
                                          {"shard", json::object{{"index", plan.shard.index}, {"total", plan.shard.total}}},
                                          {"plan", plan_list},
                                          {"suites", suite_list}}));
}

fs::path RunFolderWriter::scenario_dir(std::size_t suite, std::size_t k) const {
  return dir_ / folder_name(suite, suites_.at(suite).name) / folder_name(k, suites_.at(suite).scenarios.at(k).name);
}

void RunFolderWriter::started(std::size_t suite, std::size_t k, const ScenarioResult& s) {
  const auto sdir = scenario_dir(suite, k);
  make_dir(sdir);
  write_text(sdir / "scenario.json", json::serialize(scenario_json(s, SavedState::running)));
}

void RunFolderWriter::recorded(std::size_t suite, std::size_t k, const ScenarioResult& s) {
  const auto sdir = scenario_dir(suite, k);
  make_dir(sdir);
  // Everything the checks read first; scenario.json last, so "recorded"
  // never points at files that are not there yet.
  write_atomically(sdir / "history.jsonl", [&](std::ostream& out) { history::write_operations(out, s.history.operations); });
  write_atomically(sdir / "events.jsonl", [&](std::ostream& out) { history::write_events(out, s.history.events); });
  write_atomically(sdir / "observations.json", [&](std::ostream& out) { write_observations(out, s); });
  write_text(sdir / "app-output.log", s.app_output);
  write_text(sdir / "sidecars-output.log", s.sidecar_output);
  write_text(sdir / "scenario.json", json::serialize(scenario_json(s, SavedState::recorded)));
}

void RunFolderWriter::checked(std::size_t suite, std::size_t k, const ScenarioResult& s) {
  write_text(scenario_dir(suite, k) / "scenario.json", json::serialize(scenario_json(s, SavedState::checked)));
}

namespace {

// Format 3's plan and shard; before it, the folder's own scenarios, whole.
RunPlan read_plan(const json::value& meta, const std::vector<RunResult>& runs) {
  RunPlan plan;
  const auto& o = meta.as_object();
  if (!o.contains("plan")) {
    for (const auto& run : runs) {
      RunPlan::Suite ps{run.suite_name, run.suite_path, {}};
      for (const auto& s : run.scenarios) ps.scenarios.push_back(s.name);
      plan.suites.push_back(std::move(ps));
    }
    return plan;
  }
  for (const auto& sv : o.at("plan").as_array()) {
    RunPlan::Suite ps{std::string(sv.at("name").as_string()), std::string(sv.at("path").as_string()), {}};
    for (const auto& n : sv.at("scenarios").as_array()) ps.scenarios.emplace_back(n.as_string());
    plan.suites.push_back(std::move(ps));
  }
  const auto& shard = o.at("shard");
  plan.shard = {shard.at("index").to_number<std::size_t>(), shard.at("total").to_number<std::size_t>()};
  if (plan.shard.total == 0 || plan.shard.index == 0 || plan.shard.index > plan.shard.total)
    throw std::invalid_argument("shard " + plan.shard.describe() + " is not i/n with 1 <= i <= n");
  return plan;
}

}  // namespace

std::vector<RunResult> load_run(const fs::path& dir) { return load_saved_run(dir).runs; }

SavedRun load_saved_run(const fs::path& dir) {
  SavedRun saved;
  auto& runs = saved.runs;
  const auto meta = read_json(dir / "run.json");
  try {
    for (const auto& sv : meta.at("suites").as_array()) {
      RunResult run;
      run.suite_name = std::string(sv.at("name").as_string());
      run.suite_path = std::string(sv.at("path").as_string());
      run.seed = meta.at("seed").to_number<std::uint64_t>();
      const auto suite_dir = dir / folder_in_run(sv.at("dir"));
      std::error_code ec;
      saved.suite_texts.push_back(fs::exists(suite_dir / "suite.yaml", ec) ? read_text(suite_dir / "suite.yaml") : "");
      for (const auto& sc : sv.at("scenarios").as_array()) {
        // Format 1 named only the folder; format 2 the scenario too.
        const bool named = sc.is_object();
        const auto sdir = suite_dir / folder_in_run(named ? sc.at("dir") : sc);
        run.scenarios.push_back(load_scenario(sdir, named ? std::string(sc.at("name").as_string()) : sdir.filename().string()));
      }
      runs.push_back(std::move(run));
    }
    saved.seed = meta.at("seed").to_number<std::uint64_t>();
    saved.plan = read_plan(meta, runs);
  } catch (const RunFolderError&) {
    throw;
  } catch (const std::exception& e) {
    throw RunFolderError(fmt::format("{}: unexpected content: {}", (dir / "run.json").string(), e.what()));
  }
  return saved;
}

fs::path new_run_dir(const fs::path& root, const std::string& suite, std::uint64_t seed, const Shard& shard) {
  std::time_t now = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&now, &tm);
  char stamp[32];
  std::strftime(stamp, sizeof stamp, "%Y%m%dT%H%M%SZ", &tm);
  const std::string base = fmt::format("{}-{}-seed{}{}", suite, stamp, seed,
                                       shard.whole() ? "" : fmt::format("-shard{}of{}", shard.index, shard.total));
  fs::path dir = root / base;
  for (int i = 2; fs::exists(dir); ++i) dir = root / fmt::format("{}-{}", base, i);
  return dir;
}

}  // namespace firedrill::engine
