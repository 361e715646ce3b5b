// A scenario's JSON in the run folder: scenario.json (what was run, its
// state, its verdicts) and observations.json (what the probes and ledgers
// saw at the end). Reading is strict: anything unexpected throws, and the
// run folder names the file. The history itself is history_json's.
#pragma once
#include <ostream>
#include <string>
#include <string_view>

#include <boost/json/value.hpp>

#include "engine/scenario_result.hpp"

namespace firedrill::engine {

// How far a saved scenario got (SPEC §5): planned and never started,
// under way when the harness ended (incomplete), recorded (history and
// observations saved, not yet checked), or checked (verdicts saved too).
enum class SavedState { pending, running, recorded, checked };
std::string_view to_string(SavedState);

boost::json::value scenario_json(const ScenarioResult& s, SavedState state);
// Fills `s` from scenario.json; returns the state it was saved in (a folder
// from before states were saved holds checked scenarios).
SavedState read_scenario(const boost::json::value& v, ScenarioResult& s);

// Streamed: a read-back of a million ids never becomes one JSON tree.
void write_observations(std::ostream& out, const ScenarioResult& s);
void read_observations(const boost::json::value& v, ScenarioResult& s);

}  // namespace firedrill::engine
