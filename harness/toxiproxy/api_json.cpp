#include "toxiproxy/api_json.hpp"

#include <cctype>
#include <cmath>
#include <utility>

#include <boost/json/parser.hpp>
#include <boost/json/serialize.hpp>
#include <fmt/format.h>

namespace firedrill::toxiproxy {

ApiError bad_request_body(std::string_view why) { return {400, fmt::format("bad request body: {}", why)}; }
ApiError missing_field(std::string_view what) { return {400, fmt::format("missing required field: {}", what)}; }
ApiError proxy_not_found() { return {404, "proxy not found"}; }
ApiError proxy_already_exists() { return {409, "proxy already exists"}; }
ApiError invalid_stream() { return {400, "stream was invalid, can be either upstream or downstream"}; }
ApiError invalid_toxic_type() { return {400, "invalid toxic type"}; }
ApiError toxic_already_exists() { return {409, "toxic already exists"}; }
ApiError toxic_not_found() { return {404, "toxic not found"}; }

namespace {
void write(const json::value& v, std::string& out) {
  switch (v.kind()) {
    case json::kind::double_:
      // The shortest text that reads back the same; JSON has no inf or nan.
      out += std::isfinite(v.get_double()) ? fmt::format("{}", v.get_double()) : std::string("null");
      return;
    case json::kind::array: {
      out += '[';
      const char* sep = "";
      for (const auto& item : v.get_array()) {
        out += std::exchange(sep, ",");
        write(item, out);
      }
      out += ']';
      return;
    }
    case json::kind::object: {
      out += '{';
      const char* sep = "";
      for (const auto& kv : v.get_object()) {
        out += std::exchange(sep, ",");
        out += json::serialize(json::string_view(kv.key()));
        out += ':';
        write(kv.value(), out);
      }
      out += '}';
      return;
    }
    default:
      out += json::serialize(v);
  }
}
}  // namespace

std::string to_text(const json::value& value) {
  std::string out;
  write(value, out);
  return out;
}

Reply json_reply(int status, const json::value& body) { return {status, "application/json", to_text(body)}; }

Reply error_reply(const ApiError& error) {
  json::object o;
  o["error"] = error.message;
  o["status"] = error.status;
  return {error.status, "text/plain; charset=utf-8", to_text(o) + "\n"};
}

std::variant<json::value, std::string> parse_body(std::string_view body) {
  std::size_t start = 0;
  while (start < body.size() && std::isspace(static_cast<unsigned char>(body[start]))) ++start;
  if (start == body.size()) return std::string("EOF");
  json::parser p;
  boost::system::error_code ec;
  // write_some stops at the end of the first value, as Go's Decode does.
  const std::size_t used = p.write_some(body.data() + start, body.size() - start, ec);
  if (ec) return fmt::format("{} at byte {}", ec.message(), start + used);
  return p.release();
}

const json::value* field(const json::object& object, std::string_view name) {
  const json::value* found = object.if_contains(name);
  if (!found) {
    auto same = [&](std::string_view key) {
      if (key.size() != name.size()) return false;
      for (std::size_t i = 0; i < key.size(); ++i)
        if (std::tolower(static_cast<unsigned char>(key[i])) != std::tolower(static_cast<unsigned char>(name[i])))
          return false;
      return true;
    };
    for (const auto& kv : object)
      if (same(kv.key())) found = &kv.value();
  }
  return found && !found->is_null() ? found : nullptr;
}

std::optional<std::string> read_string(const json::object& object, std::string_view name, std::string& out) {
  const json::value* v = field(object, name);
  if (!v) return std::nullopt;
  if (!v->is_string()) return fmt::format("{}: expected a string", name);
  out = std::string(v->get_string());
  return std::nullopt;
}

std::optional<std::string> read_bool(const json::object& object, std::string_view name, bool& out) {
  const json::value* v = field(object, name);
  if (!v) return std::nullopt;
  if (!v->is_bool()) return fmt::format("{}: expected true or false", name);
  out = v->get_bool();
  return std::nullopt;
}

std::optional<std::string> read_int(const json::object& object, std::string_view name, std::int64_t& out) {
  const json::value* v = field(object, name);
  if (!v) return std::nullopt;
  if (v->is_int64()) {
    out = v->get_int64();
    return std::nullopt;
  }
  return fmt::format("{}: expected a whole number", name);  // 1.5, 1e3, a string, beyond int64
}

std::optional<std::string> read_number(const json::object& object, std::string_view name, double& out) {
  const json::value* v = field(object, name);
  if (!v) return std::nullopt;
  if (!v->is_number()) return fmt::format("{}: expected a number", name);
  const double d = v->to_number<double>();
  // Go decodes toxicity as a float32 and refuses what does not fit.
  if (!std::isfinite(d) || std::fabs(d) > 3.4028234663852886e38)
    return fmt::format("{}: expected a number a float32 holds", name);
  out = d;
  return std::nullopt;
}

}  // namespace firedrill::toxiproxy
