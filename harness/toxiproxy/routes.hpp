// Toxiproxy 2.12's routes (api.go's Routes): which request goes to which
// operation of the collection, and the answer each gives. Beast-free, so
// the tests and the fuzzer call it without a socket.
#pragma once
#include <string>

#include "toxiproxy/api_json.hpp"
#include "toxiproxy/collection.hpp"

namespace firedrill::toxiproxy {

struct Request {
  std::string method;
  std::string target;  // path and query, as sent
  std::string body;
  std::string user_agent;
};

// Answers as gorilla/mux and Toxiproxy's handlers do: an unknown path is a
// 404 "404 page not found", a known one with another method a 405; a
// browser (User-Agent "Mozilla/...") gets 403 on every route.
Reply route(Collection& collection, const Request& request);

// The version /version reports: the Toxiproxy release whose API this is.
inline constexpr const char* toxiproxy_api_version = "2.12.0";

}  // namespace firedrill::toxiproxy
