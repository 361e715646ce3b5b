// The activator (SPEC §3) against an in-process app that it can stop and
// start: it holds what comes at zero, starts the app, releases in arrival
// order once /readyz answers 200, answers 503 after hold-timeout and
// beyond max-held, closes its idle upstream connections at scale-down,
// and never retries an answer the app cut. Everything runs on one
// io_context; time bounds are generous.
#include <gtest/gtest.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http.hpp>

#include "activator/activator.hpp"

namespace firedrill::activator {
namespace {
namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;
using history::EventKind;
using namespace std::chrono_literals;

auto nothrow(boost::system::error_code& ec) { return asio::redirect_error(asio::use_awaitable, ec); }

// An app on a fixed loopback port that PodControl stops (closes its
// listener; its open connections stay, as a draining app's would) and
// starts after `start_delay`; with `listens_on_start` false it never
// listens again. POST /orders answers 201; POST /cut closes without an
// answer. It remembers the Idempotency-Key of each POST in arrival order.
struct FakeApp final : PodControl {
  explicit FakeApp(asio::io_context& io) : io(io), acceptor(io) { listen(0); }

  void listen(unsigned short p) {
    acceptor = tcp::acceptor(io);
    acceptor.open(tcp::v4());
    acceptor.set_option(tcp::acceptor::reuse_address(true));
    acceptor.bind({asio::ip::address_v4::loopback(), p});
    acceptor.listen();
    port = acceptor.local_endpoint().port();
    asio::co_spawn(io, accept(), asio::detached);
  }
  asio::awaitable<void> accept() {
    for (;;) {
      boost::system::error_code ec;
      tcp::socket s = co_await acceptor.async_accept(nothrow(ec));
      if (ec) co_return;
      asio::co_spawn(io, serve(std::move(s)), asio::detached);
    }
  }
  asio::awaitable<void> serve(tcp::socket s) {
    ++sessions;
    beast::tcp_stream stream(std::move(s));
    beast::flat_buffer buf;
    for (;;) {
      http::request<http::string_body> req;
      boost::system::error_code ec;
      co_await http::async_read(stream, buf, req, nothrow(ec));
      if (ec) break;
      if (req.method() == http::verb::post) keys.push_back(std::string(req["Idempotency-Key"]));
      if (req.target() == "/cut") break;
      if (req.target() == "/hang") {  // reads it and never answers
        asio::steady_timer forever(io, 60s);
        co_await forever.async_wait(nothrow(ec));
        break;
      }
      http::response<http::string_body> res{req.target() == "/readyz" ? http::status::ok : http::status::created, 11};
      res.keep_alive(true);
      res.prepare_payload();
      co_await http::async_write(stream, res, nothrow(ec));
      if (ec) break;
    }
    --sessions;
  }

  asio::awaitable<void> scale_down() override {
    ++stops;
    running = false;
    acceptor.close();
    co_return;
  }
  asio::awaitable<bool> cold_start() override {
    ++starts;
    running = true;
    asio::steady_timer t(io, start_delay);
    co_await t.async_wait(asio::use_awaitable);
    if (listens_on_start) listen(port);
    co_return true;
  }
  bool app_running() const override { return running; }

  asio::io_context& io;
  tcp::acceptor acceptor;
  unsigned short port = 0;
  bool running = true, listens_on_start = true;
  std::chrono::milliseconds start_delay{200};
  int stops = 0, starts = 0, sessions = 0;
  std::vector<std::string> keys;
};

struct Reply {
  int status = 0;  // 0: no answer (cut)
  std::int64_t at_us = 0;
};

// One POST on its own connection; the reply lands in `out`.
asio::awaitable<void> post(tcp::endpoint to, std::string target, std::string key, Reply& out, const history::Epoch& epoch) {
  beast::tcp_stream s(co_await asio::this_coro::executor);
  boost::system::error_code ec;
  s.expires_after(20s);
  co_await s.async_connect(to, nothrow(ec));
  http::request<http::string_body> req{http::verb::post, target, 11};
  req.set("Idempotency-Key", key);
  req.body() = "{}";
  req.prepare_payload();
  if (!ec) co_await http::async_write(s, req, nothrow(ec));
  beast::flat_buffer buf;
  http::response<http::string_body> res;
  if (!ec) co_await http::async_read(s, buf, res, nothrow(ec));
  out = {ec ? 0 : static_cast<int>(res.result_int()), epoch.now_us()};
}

struct Rig {
  explicit Rig(Settings s) : app(io), rec(h, epoch), act(io.get_executor(), {asio::ip::address_v4::loopback(), app.port}, s, rec, app) {
    act.start();
  }
  void run_for(std::chrono::milliseconds d) { io.run_for(d); }
  template <class Pred>
  bool run_until(Pred p, std::chrono::seconds bound = 20s) {
    const auto end = std::chrono::steady_clock::now() + bound;
    while (!p() && std::chrono::steady_clock::now() < end) io.run_for(5ms);
    return p();
  }
  std::vector<const history::Event*> events(EventKind k) const { return h.events_of(k, history::activator_lane); }

  asio::io_context io;
  FakeApp app;
  history::History h;
  history::Epoch epoch;
  history::Recorder rec;
  Activator act;
};

Settings quick() {
  Settings s;
  s.to_zero_after_us = 100'000;
  s.hold_timeout_us = 10'000'000;
  return s;
}

TEST(Activator, ForwardsWhileServingThenScalesToZeroWhenIdle) {
  Rig r(quick());
  Reply a;
  asio::co_spawn(r.io, post(r.act.endpoint(), "/orders", "k0", a, r.epoch), asio::detached);
  ASSERT_TRUE(r.run_until([&] { return a.status != 0; }));
  EXPECT_EQ(a.status, 201);
  EXPECT_EQ(r.app.stops, 0) << "busy and just used: not idle yet";
  ASSERT_TRUE(r.run_until([&] { return r.act.state() == State::at_zero; }));
  EXPECT_EQ(r.app.stops, 1);
  ASSERT_EQ(r.events(EventKind::scale_down).size(), 1u);
  // The activator's idle upstream connection was closed at the scale-down
  // (the app only closed its listener): the app's session ended.
  EXPECT_TRUE(r.run_until([&] { return r.app.sessions == 0; }));
}

TEST(Activator, HoldsAtZeroStartsThePodAndReleasesInArrivalOrderOnceReady) {
  Rig r(quick());
  ASSERT_TRUE(r.run_until([&] { return r.act.state() == State::at_zero; }));
  std::vector<Reply> replies(5);
  for (int i = 0; i < 5; ++i) {
    asio::co_spawn(r.io, post(r.act.endpoint(), "/orders", "k" + std::to_string(i), replies[i], r.epoch), asio::detached);
    r.run_for(10ms);  // distinct arrival times
  }
  ASSERT_TRUE(r.run_until([&] { return std::all_of(replies.begin(), replies.end(), [](auto& x) { return x.status; }); }));
  for (const auto& x : replies) EXPECT_EQ(x.status, 201);
  EXPECT_EQ(r.app.starts, 1) << "one cold start for all of them";
  EXPECT_EQ(r.app.keys, (std::vector<std::string>{"k0", "k1", "k2", "k3", "k4"})) << "released in arrival order";
  const auto held = r.events(EventKind::held);
  ASSERT_EQ(held.size(), 5u);
  const auto serving = r.events(EventKind::serving);
  ASSERT_EQ(serving.size(), 1u);
  for (const auto* e : held) {
    EXPECT_GE(e->at_us, serving[0]->at_us) << "released only after the probe's 200";
    EXPECT_EQ(e->generation, 1);
  }
  EXPECT_GE(held[0]->at_us - held[0]->since_us, 190'000) << "the first waited out the whole 200 ms start";
  EXPECT_EQ(held[0]->detail, "k0");
  ASSERT_EQ(r.events(EventKind::scale_up).size(), 1u);
}

TEST(Activator, AnswersHoldTimeoutAndMaxHeldWith503) {
  Settings s = quick();
  s.hold_timeout_us = 300'000;
  s.max_held = 2;
  Rig r(s);
  r.app.listens_on_start = false;  // started, never ready
  ASSERT_TRUE(r.run_until([&] { return r.act.state() == State::at_zero; }));
  std::vector<Reply> replies(3);
  for (int i = 0; i < 3; ++i) {
    asio::co_spawn(r.io, post(r.act.endpoint(), "/orders", "k" + std::to_string(i), replies[i], r.epoch), asio::detached);
    r.run_for(20ms);
  }
  ASSERT_TRUE(r.run_until([&] { return std::all_of(replies.begin(), replies.end(), [](auto& x) { return x.status; }); }));
  for (const auto& x : replies) EXPECT_EQ(x.status, 503);
  ASSERT_EQ(r.events(EventKind::hold_overflow).size(), 1u);
  EXPECT_EQ(r.events(EventKind::hold_overflow)[0]->detail, "k2");
  const auto timeouts = r.events(EventKind::hold_timeout);
  ASSERT_EQ(timeouts.size(), 2u);
  for (const auto* e : timeouts) EXPECT_GE(e->at_us - e->since_us, 290'000);
  EXPECT_TRUE(r.app.keys.empty()) << "nothing reached the app";
}

TEST(Activator, AnAnswerTheAppCutIsCutForTheClientAndNeverRetried) {
  Rig r(quick());
  Reply warm, cut;
  asio::co_spawn(r.io, post(r.act.endpoint(), "/orders", "k0", warm, r.epoch), asio::detached);
  ASSERT_TRUE(r.run_until([&] { return warm.status != 0; }));
  // The pooled connection is reused for this one, and the app reads it
  // before it cuts: no retry on a fresh connection.
  bool done = false;
  asio::co_spawn(r.io, [&]() -> asio::awaitable<void> {
    co_await post(r.act.endpoint(), "/cut", "k1", cut, r.epoch);
    done = true;
  }, asio::detached);
  ASSERT_TRUE(r.run_until([&] { return done; }));
  EXPECT_EQ(cut.status, 0) << "no made-up answer";
  EXPECT_EQ(r.app.keys, (std::vector<std::string>{"k0", "k1"}));
}

// An app that takes a request and never answers is given up after the
// upstream timeout: the client's connection is cut (never a made-up
// answer), and the activator is not held up by it.
TEST(Activator, AnAppThatNeverAnswersIsGivenUpAfterTheUpstreamTimeout) {
  Settings s = quick();
  s.to_zero_after_us = 0;  // never scales to zero here
  s.upstream_timeout_us = 300'000;
  Rig r(s);
  Reply hung, after;
  asio::co_spawn(r.io, post(r.act.endpoint(), "/hang", "k0", hung, r.epoch), asio::detached);
  ASSERT_TRUE(r.run_until([&] { return hung.at_us != 0; }, 15s));
  EXPECT_EQ(hung.status, 0) << "cut, not answered";
  EXPECT_GE(hung.at_us, 300'000) << "not before the timeout";
  asio::co_spawn(r.io, post(r.act.endpoint(), "/orders", "k1", after, r.epoch), asio::detached);
  ASSERT_TRUE(r.run_until([&] { return after.status != 0; }));
  EXPECT_EQ(after.status, 201);
}

}  // namespace
}  // namespace firedrill::activator
