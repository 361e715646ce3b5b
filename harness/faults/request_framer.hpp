// Frames one HTTP/1.x request at the front of a byte stream, without ever
// altering a byte: the proxy's HTTP mode (http_requests.cpp) feeds it what
// it has buffered so far and learns whether a whole request is there and how
// many bytes it spans, or that the stream is not HTTP after all (opaque).
// Pure (no sockets), so a fuzzer can drive the exact framing the proxy uses.
#pragma once
#include <cstddef>
#include <cstdint>
#include <string_view>

#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/string_body.hpp>

namespace firedrill::faults {

class RequestFramer {
 public:
  // Bounds on what the proxy holds to frame one request; beyond them the
  // stream is treated as opaque and forwarded untouched.
  static constexpr std::size_t header_limit = 64 * 1024;
  static constexpr std::uint64_t body_limit = 8 * 1024 * 1024;

  enum class State { need_more, done, opaque };

  RequestFramer();

  // `buffered` holds every byte buffered since the request's first byte;
  // between calls it only grows at the end (the pump appends what it reads).
  State feed(std::string_view buffered);

  // Bytes of `buffered` the request spans so far (all of it once done).
  std::size_t used() const { return used_; }
  const boost::beast::http::request<boost::beast::http::string_body>& request() const { return parser_.get(); }

 private:
  boost::beast::http::request_parser<boost::beast::http::string_body> parser_;
  std::size_t used_ = 0;
};

}  // namespace firedrill::faults
