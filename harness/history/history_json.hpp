// The history as JSON, one object per operation or event (JSON Lines), so a
// run can be saved before it is checked and re-checked later without
// re-running anything. Reading is strict: a malformed line is an error that
// names the line, never a silently shorter history.
#pragma once
#include <boost/json/value.hpp>
#include <istream>
#include <ostream>
#include <stdexcept>

#include "history/history.hpp"

namespace firedrill::history {

struct HistoryFormatError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

boost::json::value to_json(const Operation& op);
boost::json::value to_json(const Event& e);
Operation operation_from_json(const boost::json::value& v);  // throws HistoryFormatError
Event event_from_json(const boost::json::value& v);          // throws HistoryFormatError

void write_operations(std::ostream& out, const std::vector<Operation>& ops);
void write_events(std::ostream& out, const std::vector<Event>& events);
// `source` names the file in error messages ("history.jsonl:12: ...").
std::vector<Operation> read_operations(std::istream& in, const std::string& source);
std::vector<Event> read_events(std::istream& in, const std::string& source);

}  // namespace firedrill::history
