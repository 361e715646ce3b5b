// A Toxiproxy API (collection + routes) on an io thread, called as the
// server calls it, plus an echo upstream: each call runs on the io thread
// and the test waits for its answer.
#pragma once
#include <future>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include <boost/asio/post.hpp>
#include <boost/json/parse.hpp>
#include <gtest/gtest.h>

#include "on_io.hpp"
#include "support.hpp"
#include "toxiproxy/collection.hpp"
#include "toxiproxy/routes.hpp"

namespace firedrill::toxiproxy::test {

using namespace firedrill::faults::test;

class Api : public ::testing::Test {
 protected:
  explicit Api(bool http_aware = false) {
    on_io([&] {
      collection = std::make_unique<Collection>(io.io, nullptr, CollectionSettings{7, http_aware, {}},
                                                [&](const std::string& line) {
                                                  std::lock_guard lock(mu);
                                                  warnings.push_back(line);
                                                });
    });
  }
  ~Api() override {
    on_io([&] { collection.reset(); });
  }

  template <class F>
  void on_io(F f) {
    test::on_io(io.io, f);
  }

  Reply call(std::string method, std::string target, std::string body = "", std::string user_agent = "test") {
    Reply r;
    on_io([&] { r = route(*collection, {method, target, body, user_agent}); });
    return r;
  }
  // The body of an answer that must have `status`, as JSON.
  json::value expect(int status, std::string method, std::string target, std::string body = "") {
    Reply r = call(method, target, body);
    EXPECT_EQ(r.status, status) << method << " " << target << " " << body << " -> " << r.body;
    if (r.body.empty()) return nullptr;
    boost::system::error_code ec;
    auto v = json::parse(r.body, ec);
    EXPECT_FALSE(ec) << r.body;
    return v;
  }
  // An ApiError answer: its status, and the message it carries.
  std::string error_of(int status, std::string method, std::string target, std::string body = "") {
    Reply r = call(method, target, body);
    EXPECT_EQ(r.status, status) << method << " " << target << " " << body << " -> " << r.body;
    EXPECT_EQ(r.content_type, "text/plain; charset=utf-8");
    auto v = json::parse(r.body);
    EXPECT_EQ(v.at("status").as_int64(), status);
    return std::string(v.at("error").as_string());
  }
  std::string state() { return call("GET", "/proxies").body; }
  std::string create_echo(const std::string& name) {
    auto v = expect(201, "POST", "/proxies",
                    R"({"name":")" + name + R"(","listen":"127.0.0.1:0","upstream":"127.0.0.1:)" +
                        std::to_string(echo.endpoint().port()) + "\"}");
    return std::string(v.at("listen").as_string());
  }
  static int port_of(const std::string& listen) { return std::stoi(listen.substr(listen.rfind(':') + 1)); }

  IoThread io;  // first: destroyed last
  EchoServer echo{io.io};
  std::unique_ptr<Collection> collection;
  std::mutex mu;
  std::vector<std::string> warnings;
};

}  // namespace firedrill::toxiproxy::test
