// Toxiproxy 2.12's API, endpoint by endpoint, as routes() answers it: the
// status codes and bodies of api.go, partial updates, and that a refused
// request leaves the state as it was. Effects are checked on real sockets
// through the proxies the API starts.
#include <cerrno>

#include "api_fixture.hpp"

namespace firedrill::toxiproxy::test {
namespace {

std::string echo_body(const EchoServer& echo, const std::string& name, const std::string& listen = "127.0.0.1:0") {
  return R"({"name":")" + name + R"(","listen":")" + listen + R"(","upstream":"127.0.0.1:)" +
         std::to_string(echo.endpoint().port()) + "\"}";
}

// The time an echo of `n` bytes takes through `port`.
double echo_seconds(int port, std::size_t n = 100) {
  Client c;
  EXPECT_EQ(c.connect(port), 0);
  auto t0 = Clock::now();
  EXPECT_TRUE(c.send_all(pattern(0, n)));
  EXPECT_EQ(c.read_up_to(n, milliseconds(10000)), pattern(0, n));
  return seconds_since(t0);
}

TEST_F(Api, VersionIsTheJsonToxiproxy212Writes) {
  Reply r = call("GET", "/version");
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.content_type, "application/json;charset=utf-8");
  EXPECT_EQ(r.body, "{\"version\": \"2.12.0\"}\n");
}

TEST_F(Api, CreateAnswers201AndTheIndexIsKeyedByName) {
  EXPECT_EQ(call("GET", "/proxies").body, "{}");
  auto v = expect(201, "POST", "/proxies", echo_body(echo, "b"));
  EXPECT_EQ(v.at("name").as_string(), "b");
  EXPECT_EQ(v.at("enabled").as_bool(), true);  // Toxiproxy's default
  EXPECT_EQ(v.at("toxics").as_array().size(), 0u);
  const std::string listen(v.at("listen").as_string());
  EXPECT_TRUE(listen.starts_with("127.0.0.1:")) << listen;
  EXPECT_NE(port_of(listen), 0) << "the bound port is reported";
  expect(201, "POST", "/proxies", echo_body(echo, "a"));
  auto index = expect(200, "GET", "/proxies");
  ASSERT_EQ(index.as_object().size(), 2u);
  EXPECT_EQ(index.at("b").at("listen").as_string(), listen);
  EXPECT_EQ(index.as_object().begin()->key(), "a") << "sorted by name, as Go marshals a map";
  EXPECT_LT(echo_seconds(port_of(listen)), 5.0);
}

TEST_F(Api, AWildcardOrLocalhostListenIsBoundOnLoopbackAndSaysSo) {
  for (const char* host : {"0.0.0.0", "localhost", "", "[::]"}) {
    const std::string name = std::string("p") + host;
    auto v = expect(201, "POST", "/proxies", echo_body(echo, name, std::string(host) + ":0"));
    const std::string listen(v.at("listen").as_string());
    EXPECT_TRUE(listen.starts_with("127.0.0.1:")) << host << " -> " << listen;
    EXPECT_LT(echo_seconds(port_of(listen)), 5.0);
  }
  std::lock_guard lock(mu);
  EXPECT_TRUE(warnings.empty()) << warnings.front();
}

TEST_F(Api, RefusedCreatesSayWhyAndChangeNothing) {
  create_echo("kept");
  const std::string before = state();
  EXPECT_TRUE(error_of(400, "POST", "/proxies", "{bad").starts_with("bad request body: "));
  EXPECT_EQ(error_of(400, "POST", "/proxies", ""), "bad request body: EOF");
  EXPECT_EQ(error_of(400, "POST", "/proxies", R"({"upstream":"127.0.0.1:9"})"), "missing required field: name");
  EXPECT_EQ(error_of(400, "POST", "/proxies", R"({"name":"x"})"), "missing required field: upstream");
  EXPECT_EQ(error_of(409, "POST", "/proxies", echo_body(echo, "kept")), "proxy already exists");
  EXPECT_TRUE(error_of(400, "POST", "/proxies", R"({"name":7,"upstream":"127.0.0.1:9"})").starts_with("bad request body"));
  EXPECT_TRUE(error_of(400, "POST", "/proxies", R"({"name":"x","upstream":"10.0.0.1:80"})").find("loopback") !=
              std::string::npos);
  EXPECT_TRUE(error_of(400, "POST", "/proxies", R"({"name":"x","listen":"nowhere","upstream":"127.0.0.1:9"})")
                  .find("HOST:PORT") != std::string::npos);
  EXPECT_EQ(state(), before);
}

TEST_F(Api, EveryProxyRouteAnswers404ForAnUnknownProxy) {
  for (auto [method, target] : std::initializer_list<std::pair<const char*, const char*>>{
           {"GET", "/proxies/none"}, {"POST", "/proxies/none"}, {"PATCH", "/proxies/none"}, {"DELETE", "/proxies/none"},
           {"GET", "/proxies/none/toxics"}, {"POST", "/proxies/none/toxics"}, {"GET", "/proxies/none/toxics/t"},
           {"PATCH", "/proxies/none/toxics/t"}, {"DELETE", "/proxies/none/toxics/t"}})
    EXPECT_EQ(error_of(404, method, target, "{}"), "proxy not found") << method << " " << target;
  create_echo("p");
  for (auto method : {"GET", "POST", "PATCH", "DELETE"})
    EXPECT_EQ(error_of(404, method, "/proxies/p/toxics/none", "{}"), "toxic not found") << method;
}

TEST_F(Api, DisablingClosesTheListenerAndLiveConnectionsAndEnablingReopensTheSamePort) {
  const int port = port_of(create_echo("p"));
  Client live;
  ASSERT_EQ(live.connect(port), 0);
  ASSERT_TRUE(live.send_all("x"));
  ASSERT_EQ(live.read_up_to(1, milliseconds(5000)), "x");
  // POST is Toxiproxy's deprecated update, PATCH the current one: both partial.
  auto v = expect(200, "POST", "/proxies/p", R"({"enabled":false})");
  EXPECT_EQ(v.at("enabled").as_bool(), false);
  EXPECT_EQ(port_of(std::string(v.at("listen").as_string())), port);
  long end = 1;
  EXPECT_EQ(live.read_up_to(1, milliseconds(5000), &end), "");
  EXPECT_TRUE(end == 0 || end == -ECONNRESET) << end;
  Client refused;
  EXPECT_EQ(refused.connect(port), ECONNREFUSED) << "closed when the answer came";
  v = expect(200, "PATCH", "/proxies/p", R"({"enabled":true})");
  EXPECT_EQ(v.at("enabled").as_bool(), true);
  EXPECT_EQ(v.at("upstream").as_string(), "127.0.0.1:" + std::to_string(echo.endpoint().port())) << "partial";
  EXPECT_LT(echo_seconds(port), 5.0);
}

TEST_F(Api, ANewListenRestartsTheProxyThereWithItsToxics) {
  const int old_port = port_of(create_echo("p"));
  expect(200, "POST", "/proxies/p/toxics", R"({"type":"latency","attributes":{"latency":400}})");
  auto v = expect(200, "PATCH", "/proxies/p", R"({"listen":"127.0.0.1:0"})");
  const int port = port_of(std::string(v.at("listen").as_string()));
  EXPECT_NE(port, old_port);
  EXPECT_EQ(v.at("toxics").as_array().size(), 1u);
  EXPECT_GE(echo_seconds(port), 0.35);
  EXPECT_EQ(error_of(400, "PATCH", "/proxies/p", R"({"enabled":"yes"})").rfind("bad request body", 0), 0u);
}

TEST_F(Api, DeleteAnswers204AndClosesThePort) {
  const int port = port_of(create_echo("p"));
  Reply r = call("DELETE", "/proxies/p");
  EXPECT_EQ(r.status, 204);
  EXPECT_EQ(r.body, "");
  Client c;
  EXPECT_EQ(c.connect(port), ECONNREFUSED);
  EXPECT_EQ(error_of(404, "DELETE", "/proxies/p"), "proxy not found");
}

TEST_F(Api, AToxicGetsToxiproxysDefaultsAndEveryAttributeOfItsType) {
  create_echo("p");
  auto t = expect(200, "POST", "/proxies/p/toxics", R"({"type":"latency","attributes":{"latency":10}})");
  EXPECT_EQ(to_text(t),
            R"({"attributes":{"latency":10,"jitter":0},"name":"latency_downstream","type":"latency",)"
            R"("stream":"downstream","toxicity":1})");
  t = expect(200, "POST", "/proxies/p/toxics", R"({"type":"slicer","stream":"upstream","toxicity":0.5})");
  EXPECT_EQ(to_text(t),
            R"({"attributes":{"average_size":0,"size_variation":0,"delay":0},"name":"slicer_upstream",)"
            R"("type":"slicer","stream":"upstream","toxicity":0.5})");
  // Listed upstream chain first, then downstream, as GetToxicArray.
  auto list = expect(200, "GET", "/proxies/p/toxics");
  ASSERT_EQ(list.as_array().size(), 2u);
  EXPECT_EQ(list.as_array()[0].at("name").as_string(), "slicer_upstream");
  EXPECT_EQ(expect(200, "GET", "/proxies/p/toxics/latency_downstream").at("type").as_string(), "latency");
}

TEST_F(Api, RefusedToxicsSayWhyAndChangeNothing) {
  create_echo("p");
  expect(200, "POST", "/proxies/p/toxics", R"({"name":"l","type":"latency","attributes":{"latency":10}})");
  const std::string before = state();
  EXPECT_EQ(error_of(400, "POST", "/proxies/p/toxics", R"({"type":"latency","stream":"sideways"})"),
            "stream was invalid, can be either upstream or downstream");
  EXPECT_EQ(error_of(400, "POST", "/proxies/p/toxics", R"({"type":"gremlin"})"), "invalid toxic type");
  EXPECT_EQ(error_of(400, "POST", "/proxies/p/toxics", R"({"name":"x"})"), "invalid toxic type");
  EXPECT_EQ(error_of(409, "POST", "/proxies/p/toxics", R"({"name":"l","type":"timeout"})"), "toxic already exists");
  EXPECT_TRUE(error_of(400, "POST", "/proxies/p/toxics", R"({"type":"latency","attributes":{"latency":1.5}})")
                  .starts_with("bad request body: latency: expected a whole number"));
  // The documented difference: Toxiproxy would take these.
  for (auto body : {R"({"type":"latency","attributes":{"latency":-1}})", R"({"type":"limit_data","attributes":{"bytes":-1}})",
                    R"({"type":"slicer","attributes":{"delay":-5}})", R"({"type":"timeout","attributes":{"timeout":-1}})"})
    EXPECT_NE(error_of(400, "POST", "/proxies/p/toxics", body).find("refuses negative"), std::string::npos) << body;
  EXPECT_NE(error_of(400, "POST", "/proxies/p/toxics", R"({"type":"http-status","attributes":{"status":503}})")
                .find("HTTP-aware"),
            std::string::npos);
  EXPECT_NE(error_of(400, "POST", "/proxies/p/toxics", R"({"type":"stall","attributes":{"window":"soon"}})")
                .find("window"),
            std::string::npos);
  EXPECT_EQ(error_of(400, "PATCH", "/proxies/p/toxics/l", R"({"attributes":{"jitter":-3}})").find("bad request"), 0u);
  EXPECT_TRUE(error_of(400, "PATCH", "/proxies/p/toxics/l", "[1").starts_with("bad request body: "));
  EXPECT_EQ(error_of(400, "PATCH", "/proxies/p/toxics/l", "[1]"), "bad request body: expected a JSON object");
  EXPECT_EQ(error_of(400, "POST", "/proxies/p/toxics", R"({"type":"latency","toxicity":1e400})"),
            "bad request body: toxicity: expected a number a float32 holds");
  EXPECT_EQ(state(), before);
}

TEST_F(Api, UnknownAttributesAreIgnoredWithAWarningAsToxiproxyDoes) {
  create_echo("p");
  auto t = expect(200, "POST", "/proxies/p/toxics", R"({"type":"latency","attributes":{"latency":5,"colour":"red"}})");
  EXPECT_FALSE(t.at("attributes").as_object().contains("colour"));
  std::lock_guard lock(mu);
  ASSERT_EQ(warnings.size(), 1u);
  EXPECT_NE(warnings[0].find("'colour'"), std::string::npos) << warnings[0];
}

TEST_F(Api, ALatencyToxicHoldsBytesOnARealSocketUntilUpdatedOrRemoved) {
  const int port = port_of(create_echo("p"));
  expect(200, "POST", "/proxies/p/toxics", R"({"name":"slow","type":"latency","attributes":{"latency":400}})");
  EXPECT_GE(echo_seconds(port), 0.35);
  // Partial: the toxicity changes, the latency stays.
  auto t = expect(200, "PATCH", "/proxies/p/toxics/slow", R"({"toxicity":0})");
  EXPECT_EQ(t.at("attributes").at("latency").as_int64(), 400);
  EXPECT_LT(echo_seconds(port), 0.35) << "toxicity 0: never";
  t = expect(200, "POST", "/proxies/p/toxics/slow", R"({"toxicity":1,"attributes":{"jitter":0}})");
  EXPECT_GE(echo_seconds(port), 0.35);
  Reply r = call("DELETE", "/proxies/p/toxics/slow");
  EXPECT_EQ(r.status, 204);
  EXPECT_LT(echo_seconds(port), 0.35);
  EXPECT_EQ(expect(200, "GET", "/proxies/p/toxics").as_array().size(), 0u);
}

TEST_F(Api, AToxicRemovedWhileItHoldsBytesLetsThemGo) {
  const int port = port_of(create_echo("p"));
  expect(200, "POST", "/proxies/p/toxics", R"({"name":"slow","type":"latency","attributes":{"latency":60000}})");
  Client c;
  ASSERT_EQ(c.connect(port), 0);
  ASSERT_TRUE(c.send_all("held"));
  char buf[8];
  EXPECT_EQ(c.recv_some(buf, sizeof buf, milliseconds(300)), -ETIMEDOUT);
  EXPECT_EQ(call("DELETE", "/proxies/p/toxics/slow").status, 204);
  EXPECT_EQ(c.read_up_to(4, milliseconds(5000)), "held");
}

TEST_F(Api, PopulateCreatesKeepsTheSameAndReplacesTheChanged) {
  const std::string up = "127.0.0.1:" + std::to_string(echo.endpoint().port());
  auto v = expect(201, "POST", "/populate",
                  R"([{"name":"a","upstream":")" + up + R"("},{"name":"b","upstream":")" + up + R"(","enabled":false}])");
  ASSERT_EQ(v.at("proxies").as_array().size(), 2u);
  EXPECT_FALSE(v.as_object().contains("error"));
  EXPECT_EQ(v.at("proxies").as_array()[1].at("enabled").as_bool(), false);
  const std::string a_listen(v.at("proxies").as_array()[0].at("listen").as_string());
  expect(200, "POST", "/proxies/a/toxics", R"({"type":"latency","attributes":{"latency":5}})");
  // The same listen and upstream: kept as it is, toxics and all.
  v = expect(201, "POST", "/populate", R"([{"name":"a","listen":")" + a_listen + R"(","upstream":")" + up + R"("}])");
  EXPECT_EQ(v.at("proxies").as_array()[0].at("toxics").as_array().size(), 1u);
  // Another upstream: a new proxy in its place, without toxics.
  v = expect(201, "POST", "/populate", R"([{"name":"a","listen":")" + a_listen + R"(","upstream":"localhost:)" +
                                           std::to_string(echo.endpoint().port()) + R"("}])");
  EXPECT_EQ(v.at("proxies").as_array()[0].at("toxics").as_array().size(), 0u);
  EXPECT_LT(echo_seconds(port_of(a_listen)), 5.0);
  EXPECT_EQ(call("POST", "/populate", "[]").body, R"({"proxies":null})");
}

TEST_F(Api, ARefusedPopulateNamesTheEntryAndChangesNothing) {
  const std::string up = "127.0.0.1:" + std::to_string(echo.endpoint().port());
  const std::string before = state();
  Reply r = call("POST", "/populate", R"([{"name":"a","upstream":")" + up + R"("},{"upstream":")" + up + R"("}])");
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(r.content_type, "application/json");
  EXPECT_EQ(r.body, R"({"error":"missing required field: name at proxy 2","status":400,"proxies":null})");
  EXPECT_EQ(call("POST", "/populate", R"({"name":"a"})").status, 400);
  EXPECT_EQ(call("POST", "/populate", R"([{"name":"a","upstream":"192.0.2.1:80"}])").status, 400);
  EXPECT_EQ(state(), before);
}

TEST_F(Api, ResetReenablesEveryProxyAndRemovesEveryToxic) {
  const int port = port_of(create_echo("p"));
  expect(200, "POST", "/proxies/p/toxics", R"({"type":"latency","attributes":{"latency":400}})");
  expect(200, "POST", "/proxies/p", R"({"enabled":false})");
  Reply r = call("POST", "/reset");
  EXPECT_EQ(r.status, 204);
  auto v = expect(200, "GET", "/proxies/p");
  EXPECT_EQ(v.at("enabled").as_bool(), true);
  EXPECT_EQ(v.at("toxics").as_array().size(), 0u);
  EXPECT_LT(echo_seconds(port), 0.35);
}

TEST_F(Api, RoutesAnswerAsGorillaMuxAndToxiproxysMiddleware) {
  create_echo("my proxy");
  EXPECT_EQ(call("GET", "/nothing").status, 404);
  EXPECT_EQ(call("GET", "/nothing").body, "404 page not found\n");
  EXPECT_EQ(call("GET", "/proxies/").status, 404);
  EXPECT_EQ(call("PUT", "/proxies").status, 405);
  EXPECT_EQ(call("GET", "/reset").status, 405);
  EXPECT_EQ(call("POST", "/version").status, 405);
  EXPECT_EQ(call("GET", "/proxies/my%20proxy").status, 200) << "names are matched decoded";
  EXPECT_EQ(call("GET", "/proxies?x=1").status, 200);
  Reply browser = call("GET", "/proxies", "", "Mozilla/5.0 (X11)");
  EXPECT_EQ(browser.status, 403);
  EXPECT_EQ(browser.body, "User agent not allowed\n");
}

TEST_F(Api, FiredrillsOwnFaultsAreExtraToxicTypes) {
  const int port = port_of(create_echo("p"));
  expect(200, "POST", "/proxies/p/toxics", R"({"name":"r","type":"refuse"})");
  Client c;
  EXPECT_EQ(c.connect(port), ECONNREFUSED);
  EXPECT_EQ(call("DELETE", "/proxies/p/toxics/r").status, 204);
  EXPECT_LT(echo_seconds(port), 5.0) << "reopened on the same port";
  auto t = expect(200, "POST", "/proxies/p/toxics", R"({"type":"stall","attributes":{"window":"20ms","every":64}})");
  EXPECT_EQ(to_text(t.at("attributes")), R"({"window":"20ms","every":64})");
  EXPECT_LT(echo_seconds(port, 4096), 10.0);
}

class HttpApi : public Api {
 protected:
  HttpApi() : Api(true) {}
  HttpUpstream upstream{io.io};
};

TEST_F(HttpApi, HttpFaultsWorkOnAnHttpAwareApi) {
  auto v = expect(201, "POST", "/proxies",
                  R"({"name":"h","upstream":"127.0.0.1:)" + std::to_string(upstream.endpoint().port()) + "\"}");
  const int port = port_of(std::string(v.at("listen").as_string()));
  expect(200, "POST", "/proxies/h/toxics", R"({"type":"fail-first","stream":"upstream","attributes":{"count":2,"status":503}})");
  Client c;
  ASSERT_EQ(c.connect(port), 0);
  EXPECT_EQ(c.http("GET", "/"), 503);
  EXPECT_EQ(c.http("GET", "/"), 503);
  EXPECT_EQ(c.http("GET", "/"), 200);
  EXPECT_EQ(upstream.requests(), 1);
}

}  // namespace
}  // namespace firedrill::toxiproxy::test
