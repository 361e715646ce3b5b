// The Toxiproxy API's HTTP layer on a real socket: keep-alive, the answers'
// headers on the wire, the 1 MiB body bound, a malformed request, and
// close() ending the sessions it has.
#include <future>

#include <boost/asio/post.hpp>
#include <gtest/gtest.h>

#include "on_io.hpp"
#include "support.hpp"
#include "toxiproxy/api_server.hpp"

namespace firedrill::toxiproxy::test {
namespace {
using namespace firedrill::faults::test;

class ApiHttp : public ::testing::Test {
 protected:
  ApiHttp() {
    on_io([&] {
      collection = std::make_unique<Collection>(io.io, nullptr, CollectionSettings{}, [](const std::string&) {});
      server = std::make_unique<ApiServer>(io.io, boost::asio::ip::tcp::endpoint(boost::asio::ip::address_v4::loopback(), 0),
                                           [&](const Request& r) { return route(*collection, r); });
    });
  }
  ~ApiHttp() override {
    on_io([&] {
      server.reset();
      collection.reset();
    });
  }
  template <class F>
  void on_io(F f) {
    test::on_io(io.io, f);
  }
  // Reads one whole answer (headers and a Content-Length body).
  static std::string answer(Client& c) {
    std::string got;
    while (got.find("\r\n\r\n") == std::string::npos) {
      auto more = c.read_up_to(1, milliseconds(5000));
      if (more.empty()) return got;
      got += more;
    }
    const auto head_end = got.find("\r\n\r\n") + 4;
    std::size_t length = 0;
    if (auto at = got.find("Content-Length: "); at != std::string::npos) length = std::stoul(got.substr(at + 16));
    if (got.size() < head_end + length) got += c.read_up_to(head_end + length - got.size(), milliseconds(5000));
    return got;
  }

  std::string state_after() {
    std::string body;
    on_io([&] { body = route(*collection, {"GET", "/proxies", "", "test"}).body; });
    return body;
  }

  IoThread io;
  std::unique_ptr<Collection> collection;
  std::unique_ptr<ApiServer> server;
};

TEST_F(ApiHttp, AnswersOnOneKeepAliveConnectionWithToxiproxysHeaders) {
  Client c;
  ASSERT_EQ(c.connect(server->port()), 0);
  ASSERT_TRUE(c.send_all("GET /version HTTP/1.1\r\nHost: x\r\n\r\n"));
  const auto version = answer(c);
  EXPECT_TRUE(version.starts_with("HTTP/1.1 200 OK\r\n")) << version;
  EXPECT_NE(version.find("Content-Type: application/json;charset=utf-8\r\n"), std::string::npos) << version;
  EXPECT_TRUE(version.ends_with("{\"version\": \"2.12.0\"}\n")) << version;
  ASSERT_TRUE(c.send_all("GET /proxies/none HTTP/1.1\r\nHost: x\r\n\r\n"));
  const auto missing = answer(c);
  EXPECT_TRUE(missing.starts_with("HTTP/1.1 404 Not Found\r\n")) << missing;
  EXPECT_NE(missing.find("X-Content-Type-Options: nosniff"), std::string::npos) << missing;
  EXPECT_TRUE(missing.ends_with("{\"error\":\"proxy not found\",\"status\":404}\n")) << missing;
  ASSERT_TRUE(c.send_all("POST /reset HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n"));
  const auto reset = answer(c);
  EXPECT_TRUE(reset.starts_with("HTTP/1.1 204 No Content\r\n")) << reset;
  EXPECT_EQ(reset.find("Content-Type"), std::string::npos) << "a 204 has no body and no type";
}

TEST_F(ApiHttp, ABodyAboveOneMebibyteIsRefusedAndTheConnectionClosed) {
  Client c;
  ASSERT_EQ(c.connect(server->port()), 0);
  // The header alone says it: Beast refuses on the Content-Length, before
  // any of the body (none is sent, so closing leaves nothing unread).
  ASSERT_TRUE(c.send_all("POST /proxies HTTP/1.1\r\nHost: x\r\nContent-Length: " + std::to_string((1 << 20) + 1) +
                         "\r\n\r\n"));
  const auto a = answer(c);
  EXPECT_TRUE(a.starts_with("HTTP/1.1 400 Bad Request\r\n")) << a.substr(0, 200);
  EXPECT_NE(a.find("larger than 1 MiB"), std::string::npos);
  EXPECT_EQ(state_after(), "{}");
}

TEST_F(ApiHttp, AMalformedRequestGets400) {
  Client c;
  ASSERT_EQ(c.connect(server->port()), 0);
  ASSERT_TRUE(c.send_all("NOT HTTP AT ALL\r\n\r\n"));
  EXPECT_TRUE(answer(c).starts_with("HTTP/1.1 400 Bad Request\r\n"));
}

TEST_F(ApiHttp, CloseEndsTheSessionsItHas) {
  Client c;
  ASSERT_EQ(c.connect(server->port()), 0);
  ASSERT_TRUE(c.send_all("GET /version HTTP/1.1\r\nHost: x\r\n\r\n"));
  answer(c);
  on_io([&] { server->close(); });
  long end = 1;
  EXPECT_EQ(c.read_up_to(1, milliseconds(5000), &end), "");
  EXPECT_TRUE(end == 0 || end == -ECONNRESET) << end;
  Client later;
  EXPECT_EQ(later.connect(server->port()), ECONNREFUSED);
}

}  // namespace
}  // namespace firedrill::toxiproxy::test
