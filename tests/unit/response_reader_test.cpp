// The load generator's response reader answers exactly as Beast's parser
// does — status, keep-alive, where the message ends, error or not — for the
// common shape it reads itself and for everything it hands to Beast, however
// the bytes are split across reads.
#include <gtest/gtest.h>

#include <string>

#include <boost/beast/http.hpp>

#include "load/response_reader.hpp"

namespace firedrill::load {
namespace {
namespace http = boost::beast::http;

struct Seen {
  bool done = false;
  bool error = false;
  int status = 0;
  bool keep_alive = false;
  std::size_t consumed = 0;
  bool operator==(const Seen&) const = default;
};

std::ostream& operator<<(std::ostream& os, const Seen& s) {
  return os << "{done " << s.done << " error " << s.error << " status " << s.status << " keep " << s.keep_alive
            << " consumed " << s.consumed << "}";
}

// Feeds `bytes` as the order client does: in two reads split at `split`,
// then the end of the connection if `eof`.
template <class Parser, class Status>
Seen drive(Parser& p, Status status_of, const std::string& bytes, std::size_t split, bool eof) {
  Seen s;
  std::string buffer;
  boost::beast::error_code ec;
  auto parse = [&] {
    while (!buffer.empty() && !p.is_done()) {
      const std::size_t used = p.put(boost::asio::buffer(buffer), ec);
      buffer.erase(0, used);
      s.consumed += used;
      if (ec == http::error::need_more) {
        ec = {};
        break;
      }
      if (ec) return false;
      if (used == 0) break;
    }
    return true;
  };
  for (const auto& part : {bytes.substr(0, split), bytes.substr(split)}) {
    buffer += part;
    if (!parse()) {
      s.error = true;
      return s;
    }
  }
  if (eof && !p.is_done()) {
    p.put_eof(ec);
    if (ec) s.error = true;
  }
  s.done = p.is_done();
  if (s.done) {
    s.status = status_of(p);
    s.keep_alive = p.keep_alive();
  }
  return s;
}

Seen with_beast(const std::string& bytes, std::size_t split, bool eof) {
  http::response_parser<http::string_body> p;
  p.body_limit(ResponseReader::body_limit);
  p.header_limit(ResponseReader::header_limit);
  p.eager(true);
  return drive(p, [](auto& q) { return static_cast<int>(q.get().result_int()); }, bytes, split, eof);
}

Seen with_reader(const std::string& bytes, std::size_t split, bool eof, bool* used_beast = nullptr) {
  ResponseReader r;
  auto s = drive(r, [](auto& q) { return q.status(); }, bytes, split, eof);
  if (used_beast) *used_beast = r.used_beast();
  return s;
}

const std::string common =
    "HTTP/1.1 201 Created\r\nContent-Type: application/json\r\nContent-Length: 17\r\n\r\n{\"accepted\":true}";

TEST(ResponseReader, ReadsTheCommonShapeItselfAndAgreesWithBeast) {
  bool beast = true;
  const auto s = with_reader(common, common.size(), false, &beast);
  EXPECT_FALSE(beast);
  EXPECT_TRUE(s.done);
  EXPECT_EQ(s.status, 201);
  EXPECT_TRUE(s.keep_alive);
  EXPECT_EQ(s.consumed, common.size());
}

TEST(ResponseReader, AgreesWithBeastOnEveryShapeAndEverySplit) {
  const std::string big(2 * 1024 * 1024, 'x');
  const std::vector<std::string> cases = {
      common,
      "HTTP/1.1 503 Service Unavailable\r\nconnection: close\r\ncontent-length: 2\r\n\r\nno",
      "HTTP/1.1 202 Accepted\r\nContent-Length:0\r\n\r\n",
      "HTTP/1.1 202 Accepted\r\nContent-Length:   5  \r\nX-Any: a\tb\r\n\r\nhello",
      "HTTP/1.0 201 Created\r\nContent-Length: 2\r\n\r\nok",
      "HTTP/1.0 201 Created\r\nConnection: Keep-Alive\r\nContent-Length: 2\r\n\r\nok",
      "HTTP/1.1 201 Created\r\nConnection: keep-alive, close\r\nContent-Length: 2\r\n\r\nok",
      "HTTP/1.1 201 Created\r\nConnection: upgrade\r\nContent-Length: 2\r\n\r\nok",
      "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n",
      "HTTP/1.1 200 OK\r\n\r\nthe body runs until the connection ends",
      "HTTP/1.1 204 No Content\r\n\r\n",
      "HTTP/1.1 304 Not Modified\r\nContent-Length: 10\r\n\r\n",
      "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 201 Created\r\nContent-Length: 0\r\n\r\n",
      "HTTP/1.1 201\r\nContent-Length: 0\r\n\r\n",
      "HTTP/1.1 201 \r\nContent-Length: 0\r\n\r\n",
      "HTTP/1.1 201 Created\r\nContent-Length: 2\r\nContent-Length: 2\r\n\r\nok",
      "HTTP/1.1 201 Created\r\nContent-Length: 2\r\nContent-Length: 3\r\n\r\nok!",
      "HTTP/1.1 201 Created\r\nContent-Length: +2\r\n\r\nok",
      "HTTP/1.1 201 Created\r\nContent-Length: 99999999999999999999999\r\n\r\nok",
      "HTTP/1.1 201 Created\r\nContent-Length: 2\r\n folded\r\n\r\nok",
      "HTTP/1.1 201 Created\r\nBad Name: x\r\nContent-Length: 2\r\n\r\nok",
      std::string("HTTP/1.1 201 Created\r\nX: a\0b\r\nContent-Length: 2\r\n\r\nok", 53),
      "HTTP/1.1 201 Created\r\nX: \x01\r\nContent-Len",  // a bad field in a header that never ends
      "HTTP/1.1 201 Created\r\n: empty name\r\nContent-Length: 2\r\n\r\nok",
      "HTTP/1.1 20x Created\r\nContent-Length: 2\r\n\r\nok",
      "HTTP/2.0 201 Created\r\nContent-Length: 2\r\n\r\nok",
      "HTTP/1.1 201 Created\r\nContent-Length: 5\r\n\r\nok",  // cut short
      "garbage\r\n\r\n",
      "HTTP/1.1 201 Created\r\nContent-Length: 2097152\r\n\r\n" + big.substr(0, 10),
      "HTTP/1.1 201 Created\r\nX-Big: " + std::string(9000, 'a') + "\r\nContent-Length: 0\r\n\r\n",
      "HTTP/1.1 201 Created\r\nContent-Length: 2\r\n\r\nokHTTP/1.1 500 Extra\r\n\r\n",
  };
  for (const auto& bytes : cases) {
    const std::size_t step = bytes.size() > 2000 ? 997 : 1;
    for (std::size_t split = 0; split <= bytes.size(); split += step)
      for (bool eof : {false, true}) {
        auto mine = with_reader(bytes, split, eof), beast = with_beast(bytes, split, eof);
        // Before the end, Beast may call a malformed header an error while
        // the reader still waits for its end; neither is done.
        if (!eof && !mine.done && !beast.done && mine.error != beast.error) mine = beast = {};
        // After an error the connection is dropped: how far each got is moot.
        if (mine.error && beast.error) mine.consumed = beast.consumed = 0;
        ASSERT_EQ(mine, beast) << "split " << split << " eof " << eof << " of:\n" << bytes.substr(0, 200);
      }
  }
}

}  // namespace
}  // namespace firedrill::load
