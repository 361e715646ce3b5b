#include "engine/saved_scenario.hpp"

#include <stdexcept>

#include <boost/json.hpp>
#include <fmt/format.h>

namespace firedrill::engine {
namespace json = boost::json;

std::string_view to_string(SavedState s) {
  switch (s) {
    case SavedState::pending: return "pending";
    case SavedState::running: return "running";
    case SavedState::recorded: return "recorded";
    case SavedState::checked: break;
  }
  return "checked";
}

namespace {

std::string stored_name(checks::Stored s) {
  return s == checks::Stored::yes ? "yes" : s == checks::Stored::no ? "no" : "unknown";
}

// A JSON string, escaped.
std::string quoted(std::string_view s) { return json::serialize(json::string(s)); }

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

json::value phases_json(const std::vector<LoadPhaseFigures>& phases) {
  json::array out;
  for (const auto& p : phases)
    out.push_back(json::object{{"from_rate", p.from_rate}, {"to_rate", p.to_rate}, {"start_us", p.start_us},
                               {"duration_us", p.duration_us}, {"scheduled", p.scheduled}, {"launched", p.launched}});
  return out;
}

void read_phases(const json::value& v, std::vector<LoadPhaseFigures>& out) {
  for (const auto& p : v.as_array()) {
    LoadPhaseFigures f;
    f.from_rate = p.at("from_rate").to_number<double>();
    f.to_rate = p.at("to_rate").to_number<double>();
    f.start_us = p.at("start_us").as_int64();
    f.duration_us = p.at("duration_us").as_int64();
    f.scheduled = p.at("scheduled").to_number<std::size_t>();
    f.launched = p.at("launched").to_number<std::size_t>();
    if (f.duration_us < 0) throw std::runtime_error("expected a load phase's 'duration_us' as 0 or more");
    out.push_back(f);
  }
}

}  // namespace

void write_observations(std::ostream& out, const ScenarioResult& s) {
  const auto& rb = s.readback;
  out << R"({"readback":{"ran":)" << (rb.ran ? "true" : "false") << R"(,"why_not":)" << quoted(rb.why_not)
      << R"(,"note":)" << quoted(rb.note) << R"(,"by_id":{)";
  bool first = true;
  for (const auto& [id, st] : rb.by_id) {
    out << (first ? "" : ",") << quoted(id.str()) << ':' << quoted(stored_name(st));
    first = false;
  }
  out << R"(}},"courier":{"available":)" << (s.courier.available ? "true" : "false") << R"(,"why_not":)"
      << quoted(s.courier.why_not) << R"(,"dispatched":[)";
  first = true;
  for (const auto& id : s.courier.dispatched) {
    out << (first ? "" : ",") << quoted(id.str());
    first = false;
  }
  out << R"(]},"payments":{"available":)" << (s.payments.available ? "true" : "false") << R"(,"why_not":)"
      << quoted(s.payments.why_not) << R"(,"by_order":{)";
  // by_order: {id: [attempts]}, from the ledger's runs of one id.
  const auto& all = s.payments.attempts();
  for (auto run = all.begin(); run != all.end();) {
    auto end = run;
    while (end != all.end() && end->order_id == run->order_id) ++end;
    out << (run == all.begin() ? "" : ",") << quoted(run->order_id.str()) << ":[";
    for (auto a = run; a != end; ++a)
      out << (a == run ? "" : ",") << R"({"key":)" << quoted(a->key.str()) << R"(,"at_us":)" << a->at_us
          << R"(,"new_charge":)" << (a->new_charge ? "true" : "false") << '}';
    out << ']';
    run = end;
  }
  const auto& t = s.telemetry;
  out << R"(}},"telemetry":{"available":)" << (t.available ? "true" : "false") << R"(,"why_not":)" << quoted(t.why_not)
      << R"(,"records":)" << t.records << R"(,"last_arrival_us":)" << t.last_arrival_us << R"(,"first_arrival":{)";
  first = true;
  for (const auto& [id, at] : t.first_arrival) {
    out << (first ? "" : ",") << quoted(id.str()) << ':' << at;
    first = false;
  }
  out << "}}}";
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
    s.readback.by_id[history::OrderId(std::string_view(id))] = n == "yes" ? checks::Stored::yes : n == "no" ? checks::Stored::no : checks::Stored::unknown;
  }
  const auto& co = o.at("courier").as_object();
  s.courier.available = co.at("available").as_bool();
  s.courier.why_not = std::string(co.at("why_not").as_string());
  for (const auto& id : co.at("dispatched").as_array()) s.courier.dispatched.insert(history::OrderId(std::string_view(id.as_string())));
  const auto& pa = o.at("payments").as_object();
  s.payments.available = pa.at("available").as_bool();
  s.payments.why_not = std::string(pa.at("why_not").as_string());
  checks::PaymentLedger::Attempts attempts;
  for (const auto& [id, list] : pa.at("by_order").as_object())
    for (const auto& a : list.as_array())
      attempts.push_back({history::OrderId(std::string_view(id)), history::OrderId(std::string_view(a.at("key").as_string())),
                          a.at("at_us").as_int64(), a.at("new_charge").as_bool()});
  s.payments.assign(std::move(attempts));
  // Absent in run folders written before the telemetry receiver.
  if (const auto* te = o.if_contains("telemetry")) {
    const auto& t = te->as_object();
    s.telemetry.available = t.at("available").as_bool();
    s.telemetry.why_not = std::string(t.at("why_not").as_string());
    s.telemetry.records = static_cast<std::size_t>(t.at("records").as_int64());
    s.telemetry.last_arrival_us = t.at("last_arrival_us").as_int64();
    for (const auto& [id, at] : t.at("first_arrival").as_object())
      s.telemetry.first_arrival.emplace(history::OrderId(std::string_view(id)), at.as_int64());
  }
}

json::value scenario_json(const ScenarioResult& s, SavedState state) {
  json::array picked, results;
  for (const auto& c : s.picked_checks) picked.push_back(json::value(c));
  for (const auto& r : s.results) {
    json::array evidence;
    for (const auto& e : r.evidence) evidence.push_back(json::value(e));
    results.push_back(json::object{{"check", r.check}, {"verdict", checks::to_string(r.verdict)},
                                   {"message", r.message}, {"evidence", evidence}});
  }
  return json::object{
      {"state", to_string(state)},
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
      {"load_phases", phases_json(s.load_phases)},
      {"results", results}};
}

// system_clock counts nanoseconds in 64 bits: beyond ~2262 the conversion
// from milliseconds overflows (undefined behaviour, not just a wrong time).
constexpr std::int64_t max_unix_ms = 9'000'000'000'000;

SavedState read_scenario(const json::value& v, ScenarioResult& s) {
  const auto& o = v.as_object();
  s.name = std::string(o.at("name").as_string());
  s.target = std::string(o.at("target").as_string());
  s.seed = o.at("seed").to_number<std::uint64_t>();
  const std::int64_t started_ms = o.at("started_unix_ms").as_int64();
  if (started_ms < 0 || started_ms > max_unix_ms)
    throw std::runtime_error(fmt::format("expected 'started_unix_ms' as milliseconds since 1970, from 0 to {}, got {}",
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
    if (!checks::parse_verdict(r.at("verdict").as_string(), cr.verdict)) throw std::runtime_error("unknown verdict");
    cr.message = std::string(r.at("message").as_string());
    for (const auto& e : r.at("evidence").as_array()) cr.evidence.push_back(std::string(e.as_string()));
    s.results.push_back(std::move(cr));
  }
  // Absent in folders written before load phases and save states.
  if (const auto* p = o.if_contains("load_phases")) read_phases(*p, s.load_phases);
  SavedState state = SavedState::checked;
  if (const auto* st = o.if_contains("state")) {
    const std::string_view name = st->as_string();
    if (name == "pending") state = SavedState::pending;
    else if (name == "running") state = SavedState::running;
    else if (name == "recorded") state = SavedState::recorded;
    else if (name != "checked") throw std::runtime_error("expected 'state' as pending, running, recorded or checked");
  }
  return state;
}


}  // namespace firedrill::engine
