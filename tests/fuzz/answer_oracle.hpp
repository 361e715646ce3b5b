// What a correct HTTP client reads from a server that sends `bytes` and
// then closes: the status of the first final answer (past up to 8 interim
// 1xx answers), or nothing when no complete answer with a status from 100
// to 599 is there. The fuzz targets of the load and probe clients hold
// them to it; same limits as those clients (1 MiB body, Beast's 8 KiB header).
#pragma once
#include <optional>
#include <string_view>

#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/string_body.hpp>

namespace firedrill::fuzz {

inline std::optional<int> expected_status(std::string_view bytes) {
  namespace http = boost::beast::http;
  for (int interim = 0; interim <= 8; ++interim) {
    http::response_parser<http::string_body> parser;
    parser.eager(true);
    parser.body_limit(1024 * 1024);
    boost::system::error_code ec;
    while (!parser.is_done()) {
      const std::size_t used = parser.put(boost::asio::buffer(bytes.data(), bytes.size()), ec);
      bytes.remove_prefix(used);
      if (ec == http::error::need_more || (!ec && used == 0)) {
        // Nothing more will come: the server closed (as Beast's read does).
        if (!parser.got_some()) return std::nullopt;
        ec = {};
        parser.put_eof(ec);
        break;
      }
      if (ec) return std::nullopt;
    }
    if (ec || !parser.is_done()) return std::nullopt;
    const unsigned status = parser.get().result_int();
    if (status < 100 || status > 599) return std::nullopt;
    if (status >= 200 || status == 101) return static_cast<int>(status);
  }
  return std::nullopt;
}

}  // namespace firedrill::fuzz
