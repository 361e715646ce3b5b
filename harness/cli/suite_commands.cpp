// validate and list, and the suite loading every command shares.
#include <cstdio>
#include <fstream>
#include <sstream>

#include <fmt/format.h>

#include "cli/commands.hpp"
#include "cli/target_overrides.hpp"
#include "engine/run_suite.hpp"
#include "engine/fault_steps.hpp"
#include "pod/command_line.hpp"

namespace firedrill::cli {

std::optional<std::vector<LoadedSuite>> load_suites(const std::vector<std::string>& paths,
                                                    const TargetOverrides& overrides) {
  std::vector<LoadedSuite> out;
  bool ok = true;
  for (const auto& p : paths) {
    try {
      std::ifstream in(p, std::ios::binary);
      if (!in) throw suite::SuiteError(fmt::format("{}: cannot read the suite file", p));
      std::stringstream text;
      text << in.rdbuf();
      auto s = suite::parse_suite(text.str(), p);
      engine::validate_faults(s);
      apply_overrides(overrides, s);
      // Catch a bad command now (exit 2), not when the first scenario starts.
      pod::split_command(s.target.app.command, pod::default_lookup());
      for (const auto& sc : s.target.sidecars) pod::split_command(sc.command, pod::default_lookup());
      out.push_back({std::move(s), text.str()});
    } catch (const suite::SuiteError& e) {
      std::fprintf(stderr, "firedrill: %s\n", e.what());
      ok = false;
    } catch (const pod::CommandLineError& e) {
      std::fprintf(stderr, "firedrill: %s: target command: %s\n", overrides.empty() ? p.c_str() : "--target/--sidecar",
                   e.what());
      ok = false;
    }
  }
  if (!ok) return std::nullopt;
  return out;
}

// What this run runs: --filter first, over every suite, then this shard's
// share of what it selected (engine/shard.hpp). `plan` is the whole run's,
// over all shards. false (with a message) on a bad --shard or a --filter
// that matches nothing in a suite.
bool pick_scenarios(const std::vector<LoadedSuite>& suites, const std::string& filter,
                      const std::optional<std::string>& shard, std::vector<std::vector<std::size_t>>& selections,
                      engine::RunPlan& plan) {
  if (shard) {
    std::string why;
    auto parsed = engine::parse_shard(*shard, why);
    if (!parsed) {
      std::fprintf(stderr, "firedrill: --shard '%s': %s\n", shard->c_str(), why.c_str());
      return false;
    }
    plan.shard = *parsed;
  }
  for (const auto& [s, text] : suites) {
    selections.push_back(engine::select_scenarios(s, filter));
    if (selections.back().empty()) {
      std::string names;
      for (const auto& sc : s.scenarios) names += (names.empty() ? "" : ", ") + sc.name;
      std::fprintf(stderr, "firedrill: --filter '%s' matches no scenario of %s; its scenarios: %s\n",
                   filter.c_str(), s.path.c_str(), names.c_str());
      return false;
    }
    engine::RunPlan::Suite ps{s.name, s.path, {}};
    for (std::size_t i : selections.back()) ps.scenarios.push_back(s.scenarios[i].name);
    plan.suites.push_back(std::move(ps));
  }
  const auto share = engine::shard_range(plan.scenario_count(), plan.shard);
  std::size_t position = 0;
  for (auto& sel : selections) {
    std::vector<std::size_t> mine;
    for (std::size_t i : sel)
      if (share.contains(position++)) mine.push_back(i);
    sel = std::move(mine);
  }
  return true;
}

int validate_command(const std::vector<std::string>& paths) {
  auto suites = load_suites(paths, {});
  if (!suites) return 2;
  for (const auto& s : *suites)
    std::printf("%s: valid, %zu scenarios\n", s.suite.path.c_str(), s.suite.scenarios.size());
  return 0;
}

int list_command(const ListArgs& args) {
  auto suites = load_suites(args.suites, {});
  if (!suites) return 2;
  std::vector<std::vector<std::size_t>> selections;
  engine::RunPlan plan;
  if (!pick_scenarios(*suites, args.filter, args.shard, selections, plan)) return 2;
  for (std::size_t k = 0; k < suites->size(); ++k) {
    const auto& s = (*suites)[k].suite;
    std::printf("%s (%s)\n", s.name.c_str(), s.path.c_str());
    for (std::size_t i : selections[k])
      std::printf("  %-30s %s\n", s.scenarios[i].name.c_str(),
                  fmt::format("{}", fmt::join(s.scenarios[i].checks, ", ")).c_str());
  }
  return 0;
}

}  // namespace firedrill::cli
