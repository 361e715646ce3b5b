// Fuzz target: reading a saved history (history/history_json: history.jsonl
// and events.jsonl, one JSON object per line). Reading is strict: a bad line
// is a HistoryFormatError naming the line, never a crash, another exception
// or a silently different value — what was read writes back as exactly the
// fields it was read from.
#include <sstream>
#include <string>

#include <boost/json.hpp>

#include "fuzz_check.hpp"
#include "history/history_json.hpp"

namespace {
using namespace firedrill;
namespace json = boost::json;

// The non-empty lines, as read_lines sees them (std::getline on '\n').
std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> out;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);)
    if (!line.empty()) out.push_back(line);
  return out;
}

// Every field written for a record carries the value it was read from.
void check_same(const json::value& written, const std::string& line) {
  const json::value read = json::parse(line);
  for (const auto& [key, value] : written.as_object()) FUZZ_CHECK(read.as_object().at(key) == value);
}

template <class T, class Read>
void check_reader(const std::string& text, Read read) {
  std::vector<T> records;
  try {
    std::istringstream in(text);
    records = read(in, "fuzz.jsonl");
  } catch (const history::HistoryFormatError& e) {
    FUZZ_CHECK(std::string_view(e.what()).starts_with("fuzz.jsonl:"));
    return;
  }
  const auto lines = lines_of(text);
  FUZZ_CHECK(records.size() == lines.size());
  for (std::size_t i = 0; i < records.size(); ++i) check_same(history::to_json(records[i]), lines[i]);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string text(fuzz::text_of(data, size));
  check_reader<history::Operation>(text, history::read_operations);
  check_reader<history::Event>(text, history::read_events);
  return 0;
}
