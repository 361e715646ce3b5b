// Fuzz target: Toxiproxy's API as firedrill serves it (the JSON bodies, the
// routes, the toxic mapping). Each input line is one request:
//   METHOD TARGET BODY...
// run in order against one collection. Properties: nothing throws; every
// status is one Toxiproxy answers; a JSON answer parses, and an error's
// body is {"error": text, "status": the status}; a refused request (4xx)
// leaves GET /proxies as it was. Proxies listen on 127.0.0.1 only, so
// whatever the fuzzer binds is loopback and is closed with the collection.
#include <set>
#include <string>

#include <boost/asio/io_context.hpp>
#include <boost/json/parse.hpp>

#include "fuzz_check.hpp"
#include "toxiproxy/routes.hpp"

namespace {
using namespace firedrill::toxiproxy;

void check_reply(const Reply& r) {
  static const std::set<int> statuses = {200, 201, 204, 400, 403, 404, 405, 409, 500};
  FUZZ_CHECK(statuses.contains(r.status));
  if (r.content_type.starts_with("application/json")) {
    boost::system::error_code ec;
    (void)boost::json::parse(r.body, ec);
    FUZZ_CHECK(!ec);
  }
  if (r.status >= 400 && r.body.starts_with("{")) {
    auto v = boost::json::parse(r.body);
    FUZZ_CHECK(v.at("error").is_string());
    FUZZ_CHECK(v.at("status").as_int64() == r.status);
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  auto text = firedrill::fuzz::text_of(data, size);
  boost::asio::io_context io;
  {
    Collection collection(io, nullptr, {1, true, {}}, [](const std::string&) {});
    std::size_t start = 0;
    for (int n = 0; start <= text.size() && n < 64; ++n) {
      auto end = text.find('\n', start);
      if (end == std::string_view::npos) end = text.size();
      std::string_view line = text.substr(start, end - start);
      start = end + 1;
      auto sp1 = line.find(' ');
      if (sp1 == std::string_view::npos) continue;
      auto sp2 = line.find(' ', sp1 + 1);
      Request req{std::string(line.substr(0, sp1)),
                  std::string(line.substr(sp1 + 1, sp2 == std::string_view::npos ? std::string_view::npos : sp2 - sp1 - 1)),
                  sp2 == std::string_view::npos ? "" : std::string(line.substr(sp2 + 1)), "fuzz"};
      const std::string before = route(collection, {"GET", "/proxies", "", "fuzz"}).body;
      Reply r = route(collection, req);
      check_reply(r);
      if (r.status >= 400 && r.status < 500) FUZZ_CHECK(route(collection, {"GET", "/proxies", "", "fuzz"}).body == before);
      io.poll();
    }
  }
  io.poll();
  return 0;
}
