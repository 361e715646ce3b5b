// Toxiproxy's JSON, read and written the way its Go server does, so its
// clients see no difference: a body is its first JSON value (what follows
// it is ignored), a field name matches exactly or else case-insensitively,
// null leaves a field as it was, and an integer field takes only whole
// numbers. Errors are {"error": message, "status": code}.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>

namespace firedrill::toxiproxy {

namespace json = boost::json;

struct ApiError {
  int status = 400;
  std::string message;
};

// Toxiproxy's error texts (api.go), each with its status.
ApiError bad_request_body(std::string_view why);  // 400 "bad request body: why"
ApiError missing_field(std::string_view what);    // 400 "missing required field: what"
ApiError proxy_not_found();                       // 404
ApiError proxy_already_exists();                  // 409
ApiError invalid_stream();                        // 400
ApiError invalid_toxic_type();                    // 400
ApiError toxic_already_exists();                  // 409
ApiError toxic_not_found();                       // 404

// What an endpoint answers.
struct Reply {
  int status = 200;
  std::string content_type;  // "" for none (a 204)
  std::string body;
};
Reply json_reply(int status, const json::value& body);
// JSON text as Go writes it: a fraction as 0.5, not Boost.JSON's 5E-1.
std::string to_text(const json::value& value);
// As Go's http.Error writes an ApiError: text/plain, the JSON, a newline.
Reply error_reply(const ApiError& error);

// The first JSON value of `body`; Go's decoder's "EOF" for an empty one.
std::variant<json::value, std::string> parse_body(std::string_view body);

// A field of `object` by Go's rule (exact name first, else any case);
// nullptr when absent or null.
const json::value* field(const json::object& object, std::string_view name);

// Each reader leaves `out` as it was when the field is absent or null, and
// returns what was wrong with it otherwise ("name: expected a string").
std::optional<std::string> read_string(const json::object& object, std::string_view name, std::string& out);
std::optional<std::string> read_bool(const json::object& object, std::string_view name, bool& out);
std::optional<std::string> read_int(const json::object& object, std::string_view name, std::int64_t& out);
std::optional<std::string> read_number(const json::object& object, std::string_view name, double& out);

}  // namespace firedrill::toxiproxy
