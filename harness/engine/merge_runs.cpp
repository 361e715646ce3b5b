#include "engine/merge_runs.hpp"

#include <map>
#include <set>

#include <fmt/format.h>

#include "suite/suite.hpp"

namespace firedrill::engine {
namespace {

std::string key_of(const std::string& suite, const std::string& scenario) { return suite + '\x1f' + scenario; }

// Shards of one run have equal plans and shard counts.
std::string fingerprint(const RunPlan& plan) {
  std::string f = std::to_string(plan.shard.total);
  for (const auto& s : plan.suites) {
    f += '\x1e' + s.name + '\x1f' + s.path;
    for (const auto& n : s.scenarios) f += '\x1f' + n;
  }
  return f;
}

struct Group {
  const RunPlan* plan = nullptr;
  std::map<std::size_t, std::size_t> folder_of_shard;  // shard index -> folder
};

// Where a scenario lives among the folders.
struct Place {
  std::size_t folder, run, scenario;
};

// Builds merged suites in the order they are first named.
class Assembly {
 public:
  RunResult& suite(const std::string& name, const std::string& path, std::uint64_t seed) {
    auto [it, fresh] = index_.try_emplace(name, runs_.size());
    if (fresh) {
      RunResult r;
      r.suite_name = name;
      r.suite_path = path;
      r.seed = seed;
      runs_.push_back(std::move(r));
    }
    return runs_[it->second];
  }
  std::vector<RunResult> take() { return std::move(runs_); }

 private:
  std::map<std::string, std::size_t> index_;
  std::vector<RunResult> runs_;
};

// A missing scenario as an error result, with what its suite says of it
// (checks, limits, target) when a merged folder holds a copy of the suite.
ScenarioResult missing_scenario(const std::string& name, const std::string& why, const Group& group,
                                const std::vector<FolderToMerge>& folders, const std::string& suite_name) {
  ScenarioResult r;
  r.name = name;
  r.harness_error = why;
  r.missing = true;
  const auto& first = folders[group.folder_of_shard.begin()->second].saved;
  r.seed = first.seed;
  for (const auto& [shard, f] : group.folder_of_shard) {
    const auto& saved = folders[f].saved;
    for (std::size_t k = 0; k < saved.runs.size() && k < saved.suite_texts.size(); ++k) {
      if (saved.runs[k].suite_name != suite_name || saved.suite_texts[k].empty()) continue;
      try {
        const auto spec = suite::parse_suite(saved.suite_texts[k], saved.runs[k].suite_path);
        r.target = spec.target.app.command;
        for (const auto& sc : spec.scenarios)
          if (sc.name == name) {
            r.picked_checks = sc.checks;
            r.limits = sc.limits;
            return r;
          }
      } catch (const std::exception&) {
        // A damaged copy: the report then marks every check of it as an error.
      }
    }
  }
  return r;
}

}  // namespace

MergedRuns merge_runs(const std::vector<FolderToMerge>& folders) {
  MergedRuns out;
  out.shards = folders.size();
  std::map<std::string, Place> present;
  for (std::size_t f = 0; f < folders.size(); ++f) {
    const auto& runs = folders[f].saved.runs;
    for (std::size_t k = 0; k < runs.size(); ++k)
      for (std::size_t i = 0; i < runs[k].scenarios.size(); ++i) {
        const auto key = key_of(runs[k].suite_name, runs[k].scenarios[i].name);
        auto [it, fresh] = present.try_emplace(key, Place{f, k, i});
        if (!fresh) {
          out.refusal = fmt::format("scenario '{}' of suite '{}' is in two run folders, {} and {}: merge each "
                                    "scenario once",
                                    runs[k].scenarios[i].name, runs[k].suite_name,
                                    folders[it->second.folder].dir.string(), folders[f].dir.string());
          return out;
        }
      }
  }
  std::vector<Group> groups;
  std::map<std::string, std::size_t> group_of;
  for (std::size_t f = 0; f < folders.size(); ++f) {
    const auto& plan = folders[f].saved.plan;
    auto [it, fresh] = group_of.try_emplace(fingerprint(plan), groups.size());
    if (fresh) groups.push_back(Group{&plan, {}});
    auto& group = groups[it->second];
    auto [at, first] = group.folder_of_shard.try_emplace(plan.shard.index, f);
    if (!first) {
      out.refusal = fmt::format("shard {} of the same run is in two run folders, {} and {}: merge each shard once",
                                plan.shard.describe(), folders[at->second].dir.string(), folders[f].dir.string());
      return out;
    }
  }

  Assembly merged;
  std::set<std::string> used;
  for (const auto& group : groups) {
    const auto& plan = *group.plan;
    const std::size_t count = plan.scenario_count(), total = plan.shard.total;
    const auto seed = folders[group.folder_of_shard.begin()->second].saved.seed;
    auto shard_is_here = [&](std::size_t i) { return group.folder_of_shard.count(i) != 0; };
    std::size_t position = 0;
    for (const auto& ps : plan.suites) {
      auto& run = merged.suite(ps.name, ps.path, seed);
      for (const auto& name : ps.scenarios) {
        const std::size_t shard = shard_of(position++, count, total);
        const auto key = key_of(ps.name, name);
        if (auto it = present.find(key); it != present.end()) {
          const auto& p = it->second;
          run.scenarios.push_back(folders[p.folder].saved.runs[p.run].scenarios[p.scenario]);
          used.insert(key);
          continue;
        }
        const std::string where = fmt::format("{}/{}", shard, total);
        std::string why = shard_is_here(shard)
                              ? fmt::format("missing: planned for shard {}, but its run folder {} does not hold it",
                                            where, folders[group.folder_of_shard.at(shard)].dir.string())
                              : fmt::format("missing: shard {} was not merged (no run folder of it was given: a "
                                            "cancelled or failed CI job?)",
                                            where);
        out.missing.push_back(fmt::format("scenario '{}' of suite '{}': {}", name, ps.name, why));
        run.scenarios.push_back(missing_scenario(name, why, group, folders, ps.name));
      }
    }
    // A missing shard that had nothing to run is still a shard nobody saw finish.
    for (std::size_t i = 1; i <= total; ++i) {
      if (shard_is_here(i) || shard_range(count, {i, total}).size() != 0 || plan.suites.empty()) continue;
      const auto why = fmt::format("missing: shard {}/{} was not merged (it had no scenario to run, but a shard "
                                   "that is absent may have been cancelled)",
                                   i, total);
      out.missing.push_back(why);
      ScenarioResult r;
      r.name = fmt::format("(shard {}/{})", i, total);
      r.harness_error = why;
      r.missing = true;
      r.seed = seed;
      merged.suite(plan.suites.front().name, plan.suites.front().path, seed).scenarios.push_back(std::move(r));
    }
  }
  // Whatever a folder holds beyond its plan (a hand-edited run.json) is
  // still reported, never dropped.
  for (const auto& [key, p] : present) {
    if (used.count(key)) continue;
    const auto& run = folders[p.folder].saved.runs[p.run];
    merged.suite(run.suite_name, run.suite_path, run.seed).scenarios.push_back(run.scenarios[p.scenario]);
  }
  out.runs = merged.take();
  return out;
}

}  // namespace firedrill::engine
