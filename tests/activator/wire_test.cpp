// activator/wire: a message as its bytes, the way the activator forwards it.
// Each output is parsed back with Beast's own parser, so what the app and
// the client receive is what was meant, field for field.
#include <gtest/gtest.h>

#include <boost/beast/http/parser.hpp>

#include "activator/wire.hpp"

namespace firedrill::activator {
namespace {
namespace http = boost::beast::http;

template <bool IsRequest>
http::message<IsRequest, http::string_body> parse(const std::string& bytes) {
  http::parser<IsRequest, http::string_body> p;
  p.eager(true);  // the body too, not only the header
  boost::system::error_code ec;
  const auto used = p.put(boost::asio::buffer(bytes), ec);
  EXPECT_FALSE(ec) << ec.message() << " in " << bytes;
  EXPECT_TRUE(p.is_done()) << bytes;
  EXPECT_EQ(used, bytes.size()) << "nothing after the message";
  return p.release();
}

TEST(Wire, ARequestIsItsLineFieldsAndBody) {
  http::request<http::string_body> req{http::verb::post, "/orders?x=1", 11};
  req.set(http::field::host, "127.0.0.1:8080");
  req.set("Idempotency-Key", "ord-1");
  req.body() = R"({"order_id":"ord-1"})";
  req.keep_alive(true);
  req.prepare_payload();
  std::string out;
  append_wire(out, req);
  EXPECT_EQ(out, "POST /orders?x=1 HTTP/1.1\r\nHost: 127.0.0.1:8080\r\nIdempotency-Key: ord-1\r\nContent-Length: 20\r\n\r\n"
                 R"({"order_id":"ord-1"})");
  const auto back = parse<true>(out);
  EXPECT_EQ(back.method(), http::verb::post);
  EXPECT_EQ(back["Idempotency-Key"], "ord-1");
  EXPECT_EQ(back.body(), req.body());
}

TEST(Wire, AResponseKeepsItsReasonAndVersion) {
  http::response<http::string_body> res{http::status::service_unavailable, 10};
  res.body() = "draining\n";
  res.keep_alive(true);
  res.prepare_payload();
  std::string out;
  append_wire(out, res);
  EXPECT_EQ(out.rfind("HTTP/1.0 503 Service Unavailable\r\n", 0), 0u) << out;
  const auto back = parse<false>(out);
  EXPECT_EQ(back.result(), http::status::service_unavailable);
  EXPECT_TRUE(back.keep_alive()) << "HTTP/1.0 keep-alive is said in a field";
  EXPECT_EQ(back.body(), "draining\n");
}

// A client that sent its body chunked: the parser took the chunks into the
// body; prepare_payload() turns the framing into a Content-Length.
TEST(Wire, AChunkedRequestGoesOnWithItsContentLength) {
  const std::string chunked = "POST /orders HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n4\r\nabcd\r\n2\r\nef\r\n0\r\n\r\n";
  auto req = parse<true>(chunked);
  req.prepare_payload();
  std::string out;
  append_wire(out, req);
  EXPECT_EQ(out.find("chunked"), std::string::npos) << out;
  const auto back = parse<true>(out);
  EXPECT_EQ(back.body(), "abcdef");
  EXPECT_EQ(back[http::field::content_length], "6");
}

// The buffer is appended to, so a connection can keep one and clear it.
TEST(Wire, AppendsToWhatIsThere) {
  http::response<http::string_body> res{http::status::created, 11};
  res.prepare_payload();
  std::string out = "kept";
  append_wire(out, res);
  EXPECT_EQ(out, "keptHTTP/1.1 201 Created\r\nContent-Length: 0\r\n\r\n");
}

}  // namespace
}  // namespace firedrill::activator
