// The telemetry shipper fixture (SPEC §1: spool each batch to DATA_DIR
// before 200, ship to OTEL_EXPORTER_OTLP_ENDPOINT, retry 429/503, resend the
// spool after a restart, flush before exit 0 on SIGTERM) as a pod runs it:
// the real process, with its endpoint the harness's receiver behind its
// fault proxy, over real sockets. Its flaws are caught: memory-buffer loses
// its batches to a SIGKILL, exit-at-once what it holds at SIGTERM. Every
// wait polls for up to 10 s (a loaded machine is late, never early); a fixed
// pause only ever precedes a check that nothing happened while a fault
// made it impossible.
#include <fcntl.h>
#include <netinet/in.h>
#include <strings.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <csignal>
#include <filesystem>
#include <optional>
#include <set>
#include <thread>

#include <fmt/format.h>
#include <gtest/gtest.h>

#include "gzip.hpp"
#include "otlp_bodies.hpp"

#include "engine/dependencies.hpp"
#include "support.hpp"
#include "support/paths.hpp"
#include "support/run_firedrill.hpp"

namespace firedrill::engine {
namespace {
namespace fs = std::filesystem;
using namespace firedrill::faults::test;
using telemetry::test::gzip;
using telemetry::test::log_protobuf;
using telemetry::test::spans_json;
using telemetry::test::spans_protobuf;

constexpr milliseconds patience{10000};

int free_port() {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ::bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a);
  socklen_t n = sizeof a;
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&a), &n);
  ::close(fd);
  return ntohs(a.sin_port);
}

// The shipper as a child process; SIGKILLed and reaped when it goes out of
// scope (and when the test process dies: PR_SET_PDEATHSIG).
class Shipper {
 public:
  Shipper(const std::vector<std::string>& args, int port, const std::string& data_dir, const std::string& endpoint,
          const std::string& log)
      : port_(port) {
    std::vector<std::string> argv{testing::bin_path("telemetry-shipper")};
    argv.insert(argv.end(), args.begin(), args.end());
    std::vector<std::string> envs{"PORT=" + std::to_string(port), "PATH=/usr/bin:/bin"};
    if (!data_dir.empty()) envs.push_back("DATA_DIR=" + data_dir);
    if (!endpoint.empty()) envs.push_back("OTEL_EXPORTER_OTLP_ENDPOINT=" + endpoint);
    // Built before fork: the child of a threaded process may only make system calls.
    std::vector<char*> cargv, cenv;
    for (auto& a : argv) cargv.push_back(a.data());
    for (auto& e : envs) cenv.push_back(e.data());
    cargv.push_back(nullptr);
    cenv.push_back(nullptr);
    pid_ = ::fork();
    if (pid_ == 0) {
      ::prctl(PR_SET_PDEATHSIG, SIGKILL);
      const int out = ::open(log.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
      ::dup2(out, 1);
      ::dup2(out, 2);
      ::execve(cargv[0], cargv.data(), cenv.data());
      ::_exit(127);
    }
  }
  ~Shipper() {
    if (pid_ > 0 && !status_) {
      ::kill(pid_, SIGKILL);
      ::waitpid(pid_, nullptr, 0);
    }
  }
  int port() const { return port_; }
  void signal(int sig) { ::kill(pid_, sig); }
  // Its wait status once it has exited, or nullopt if it still runs after `timeout`.
  std::optional<int> wait_exit(milliseconds timeout) {
    eventually([&] {
      int status = 0;
      if (!status_ && ::waitpid(pid_, &status, WNOHANG) == pid_) status_ = status;
      return status_.has_value();
    }, timeout);
    return status_;
  }
  void kill_now() {
    signal(SIGKILL);
    wait_exit(patience);
  }
  // Its ready-path answers 200.
  bool ready() {
    return eventually([&] {
      Client c;
      return c.connect(port_) == 0 && c.http("GET", "/healthz", {}, milliseconds(2000)) == 200;
    }, patience);
  }

 private:
  int port_;
  pid_t pid_ = -1;
  std::optional<int> status_;
};

bool exited_with(const std::optional<int>& status, int code) {
  return status && WIFEXITED(*status) && WEXITSTATUS(*status) == code;
}

struct Reply {
  int status = -1;
  std::string content_type, body;
};

// One export POSTed on its own connection (Connection: close, so the reply
// ends at EOF), optionally chunked in two pieces as SDKs stream it.
Reply post(int port, const std::string& path, const std::string& type, const std::string& body,
           const std::string& encoding = "", bool chunked = false) {
  Reply r;
  Client c;
  if (c.connect(port) != 0) return r;
  std::string req = "POST " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\nContent-Type: " + type + "\r\n";
  if (!encoding.empty()) req += "Content-Encoding: " + encoding + "\r\n";
  if (chunked) {
    const auto half = body.size() / 2;
    auto chunk = [](const std::string& s) { return fmt::format("{:x}\r\n{}\r\n", s.size(), s); };
    req += "Transfer-Encoding: chunked\r\n\r\n" + chunk(body.substr(0, half)) + chunk(body.substr(half)) + "0\r\n\r\n";
  } else {
    req += "Content-Length: " + std::to_string(body.size()) + "\r\n\r\n" + body;
  }
  if (!c.send_all(req)) return r;
  const std::string in = c.read_up_to(1 << 20, patience);
  const auto head_end = in.find("\r\n\r\n");
  if (head_end == std::string::npos || in.size() < 12) return r;
  r.status = std::stoi(in.substr(9, 3));
  r.body = in.substr(head_end + 4);
  for (std::size_t at = 0; (at = in.find("\r\n", at)) != std::string::npos && at < head_end;) {
    at += 2;
    if (strncasecmp(in.c_str() + at, "content-type: ", 14) == 0) r.content_type = in.substr(at + 14, in.find("\r\n", at) - at - 14);
  }
  return r;
}

int post_json(int port, const std::vector<std::string>& ids) { return post(port, "/v1/traces", "application/json", spans_json(ids)).status; }

// Every order id the receiver has taken in so far (its ledger is handed
// over on each take(), so it is gathered here).
struct Arrived {
  Dependencies& deps;
  std::set<std::string> ids;
  std::size_t exports = 0;
  void poll() {
    auto seen = deps.telemetry().take();
    exports += seen.exports;
    for (const auto& [id, at] : seen.first_arrival) ids.insert(id.str());
  }
  bool has(const std::vector<std::string>& want) {
    poll();
    for (const auto& w : want)
      if (!ids.contains(w)) return false;
    return true;
  }
  bool eventually_has(const std::vector<std::string>& want) { return eventually([&] { return has(want); }, patience); }
};

std::size_t spooled(const std::string& dir) {
  std::size_t n = 0;
  for (const auto& e : fs::directory_iterator(dir)) n += e.path().extension() == ".otlp";
  return n;
}

// A fresh pair of directories per test: ctest runs them in parallel processes.
struct Scratch {
  std::string data, log;
  Scratch() {
    const std::string test = ::testing::UnitTest::GetInstance()->current_test_info()->name();
    const auto root = testing::scratch_dir("shipper-" + test);
    data = root + "/data";
    fs::create_directories(data);
    log = root + "/shipper.log";
  }
};

faults::FaultSpec status_fault(int status) { return fault("http-status", faults::Direction::both, {{"status", std::to_string(status)}}); }

TEST(TelemetryShipper, RelaysJsonProtobufGzipAndChunkedExportsToTheEndpoint) {
  Scratch dirs;
  Dependencies deps({}, 7, [] { return std::int64_t{0}; });
  Shipper shipper({}, free_port(), dirs.data, deps.telemetry_url(), dirs.log);
  ASSERT_TRUE(shipper.ready()) << testing::read_file(dirs.log);
  const int port = shipper.port();

  // The answers a receiver gives: an empty export response in the request's encoding.
  const auto json = post(port, "/v1/traces", "application/json", spans_json({"j-1", "j-2"}), "", true);
  EXPECT_EQ(json.status, 200);
  EXPECT_EQ(json.content_type, "application/json");
  EXPECT_EQ(json.body, "{}");
  const auto proto = post(port, "/v1/traces", "application/x-protobuf", spans_protobuf({"p-1"}));
  EXPECT_EQ(proto.status, 200);
  EXPECT_EQ(proto.content_type, "application/x-protobuf");
  EXPECT_EQ(proto.body, "");
  EXPECT_EQ(post(port, "/v1/traces", "application/x-protobuf", gzip(spans_protobuf({"pz-1"})), "gzip", true).status, 200);
  EXPECT_EQ(post(port, "/v1/traces", "application/json", gzip(spans_json({"jz-1"})), "gzip").status, 200);
  EXPECT_EQ(post(port, "/v1/logs", "application/x-protobuf", log_protobuf("log-1")).status, 200);
  // What the receiver would refuse is refused here, never spooled nor shipped.
  EXPECT_EQ(post(port, "/v1/traces", "application/json", "{\"resourceSpans\":[").status, 400);
  EXPECT_EQ(post(port, "/v1/traces", "text/plain", "{}").status, 415);
  EXPECT_EQ(post(port, "/v1/metrics", "application/json", "{}").status, 404);

  Arrived arrived{deps};
  EXPECT_TRUE(arrived.eventually_has({"j-1", "j-2", "p-1", "pz-1", "jz-1", "log-1"})) << testing::read_file(dirs.log);
  // Resent as received: five exports arrive as five exports, over one kept-alive connection.
  EXPECT_TRUE(eventually([&] { return spooled(dirs.data) == 0; }, patience)) << "a shipped batch leaves the spool";
  arrived.poll();
  EXPECT_EQ(arrived.exports, 5u);
  EXPECT_EQ(deps.proxy("telemetry").stats().connections, 1u);
}

TEST(TelemetryShipper, HoldsItsBatchesThroughA503WindowAndShipsThemAfter) {
  Scratch dirs;
  Dependencies deps({}, 7, [] { return std::int64_t{0}; });
  const auto refusing = deps.proxy("telemetry").add(status_fault(503));
  Shipper shipper({}, free_port(), dirs.data, deps.telemetry_url(), dirs.log);
  ASSERT_TRUE(shipper.ready());
  EXPECT_EQ(post_json(shipper.port(), {"w-1"}), 200);
  EXPECT_EQ(post(shipper.port(), "/v1/traces", "application/x-protobuf", spans_protobuf({"w-2"})).status, 200);
  // It keeps trying the first batch (three 503s at least) and holds both.
  EXPECT_TRUE(eventually([&] { return deps.proxy("telemetry").stats().faults_fired >= 3; }, patience))
      << testing::read_file(dirs.log);
  EXPECT_EQ(spooled(dirs.data), 2u);
  deps.proxy("telemetry").remove(refusing);
  Arrived arrived{deps};
  EXPECT_TRUE(arrived.eventually_has({"w-1", "w-2"})) << testing::read_file(dirs.log);
}

TEST(TelemetryShipper, A400DropsTheBatchAndTheNextOneStillGoes) {
  Scratch dirs;
  Dependencies deps({}, 7, [] { return std::int64_t{0}; });
  const auto bad_request = deps.proxy("telemetry").add(status_fault(400));
  Shipper shipper({}, free_port(), dirs.data, deps.telemetry_url(), dirs.log);
  ASSERT_TRUE(shipper.ready());
  EXPECT_EQ(post_json(shipper.port(), {"d-1"}), 200);
  // Dropped for good: its spool file goes, and it is never tried again.
  EXPECT_TRUE(eventually([&] { return deps.proxy("telemetry").stats().faults_fired >= 1 && spooled(dirs.data) == 0; }, patience));
  deps.proxy("telemetry").remove(bad_request);
  EXPECT_EQ(post_json(shipper.port(), {"d-2"}), 200);
  Arrived arrived{deps};
  EXPECT_TRUE(arrived.eventually_has({"d-2"})) << testing::read_file(dirs.log);
  EXPECT_FALSE(arrived.ids.contains("d-1"));
  EXPECT_EQ(deps.proxy("telemetry").stats().faults_fired, 1u) << "a 400 is not retried";
}

// SIGKILL while the endpoint refuses, then a restart on the same DATA_DIR.
// Returns whether `ids` arrived; `marker` is posted after the restart and
// always arrives, so the resend had its chance when it does.
bool survives_sigkill(const std::vector<std::string>& shipper_args, const std::vector<std::string>& ids, std::string* log_out) {
  Scratch dirs;
  Dependencies deps({}, 7, [] { return std::int64_t{0}; });
  const auto refusing = deps.proxy("telemetry").add(status_fault(503));
  {
    Shipper first(shipper_args, free_port(), dirs.data, deps.telemetry_url(), dirs.log);
    EXPECT_TRUE(first.ready());
    EXPECT_EQ(post_json(first.port(), {ids[0]}), 200);
    EXPECT_EQ(post(first.port(), "/v1/traces", "application/x-protobuf", gzip(spans_protobuf({ids[1]})), "gzip").status, 200);
    first.kill_now();
  }
  deps.proxy("telemetry").remove(refusing);
  Shipper second(shipper_args, free_port(), dirs.data, deps.telemetry_url(), dirs.log);
  EXPECT_TRUE(second.ready());
  EXPECT_EQ(post_json(second.port(), {"marker"}), 200);
  Arrived arrived{deps};
  // Batches are shipped in order, the spool's first: the marker comes last.
  EXPECT_TRUE(arrived.eventually_has({"marker"})) << testing::read_file(dirs.log);
  EXPECT_TRUE(eventually([&] { return spooled(dirs.data) == 0; }, patience));
  *log_out = testing::read_file(dirs.log);
  return arrived.has(ids);
}

TEST(TelemetryShipper, ItsSpoolSurvivesASigkillAndIsResentOnRestart) {
  std::string log;
  EXPECT_TRUE(survives_sigkill({}, {"k-1", "k-2"}, &log)) << log;
}

TEST(TelemetryShipper, FlawMemoryBufferLosesItsBatchesToASigkill) {
  std::string log;
  EXPECT_FALSE(survives_sigkill({"--flaw", "memory-buffer"}, {"m-1", "m-2"}, &log)) << log;
}

// SIGTERM while the endpoint refuses; the fault is removed 1 s later.
struct AfterSigterm {
  std::optional<int> early_exit;  // an exit within 1 s of SIGTERM, the endpoint still refusing
  std::optional<int> exit;        // within 10 s after the endpoint came back
  bool delivered = false;
  std::string log;
};
AfterSigterm sigterm_while_refusing(const std::vector<std::string>& shipper_args) {
  AfterSigterm out;
  Scratch dirs;
  Dependencies deps({}, 7, [] { return std::int64_t{0}; });
  const auto refusing = deps.proxy("telemetry").add(status_fault(503));
  Shipper shipper(shipper_args, free_port(), dirs.data, deps.telemetry_url(), dirs.log);
  EXPECT_TRUE(shipper.ready());
  EXPECT_EQ(post_json(shipper.port(), {"t-1", "t-2"}), 200);
  EXPECT_EQ(post(shipper.port(), "/v1/logs", "application/x-protobuf", log_protobuf("t-3")).status, 200);
  shipper.signal(SIGTERM);
  out.early_exit = shipper.wait_exit(milliseconds(1000));
  deps.proxy("telemetry").remove(refusing);
  out.exit = shipper.wait_exit(patience);
  // The receiver records an export before it answers it: once the shipper
  // has exited, the ledger holds everything it ever delivered.
  Arrived arrived{deps};
  out.delivered = out.exit ? arrived.has({"t-1", "t-2", "t-3"}) : arrived.eventually_has({"t-1", "t-2", "t-3"});
  out.log = testing::read_file(dirs.log);
  return out;
}

TEST(TelemetryShipper, SigtermShipsEverythingItHoldsThenExits0) {
  const auto r = sigterm_while_refusing({});
  EXPECT_FALSE(r.early_exit) << "it exited while its batches could not be shipped\n" << r.log;
  EXPECT_TRUE(exited_with(r.exit, 0)) << r.log;
  EXPECT_TRUE(r.delivered) << r.log;
}

TEST(TelemetryShipper, FlawExitAtOnceLeavesWhatItHoldsUnshipped) {
  const auto r = sigterm_while_refusing({"--flaw", "exit-at-once"});
  EXPECT_TRUE(exited_with(r.early_exit, 0)) << r.log;
  EXPECT_FALSE(r.delivered) << r.log;
}

TEST(TelemetryShipper, DrainAfterSigtermKeepsAcceptingForItsWindow) {
  Scratch dirs;
  Dependencies deps({}, 7, [] { return std::int64_t{0}; });
  Shipper shipper({"--drain-after-sigterm", "3000"}, free_port(), dirs.data, deps.telemetry_url(), dirs.log);
  ASSERT_TRUE(shipper.ready());
  const auto sigterm = Clock::now();
  shipper.signal(SIGTERM);
  EXPECT_EQ(post_json(shipper.port(), {"late-1"}), 200) << "a batch sent during the drain window is taken";
  const auto status = shipper.wait_exit(patience);
  EXPECT_TRUE(exited_with(status, 0)) << testing::read_file(dirs.log);
  EXPECT_GE(seconds_since(sigterm), 3.0) << "it exited before its drain window ended";
  Client after;
  EXPECT_NE(after.connect(shipper.port()), 0) << "nothing listens once it exited";
  Arrived arrived{deps};
  EXPECT_TRUE(arrived.has({"late-1"})) << "shipped before it exited\n" << testing::read_file(dirs.log);
}

// Bad flags and environment: exit 2 and a message saying what is wrong.
TEST(TelemetryShipper, BadFlagsOrEnvironmentExit2WithUsage) {
  Scratch dirs;
  struct Case {
    std::vector<std::string> args;
    std::string data, endpoint, says;
  } cases[] = {
      {{"--flaw", "nope"}, dirs.data, "http://127.0.0.1:9", "unknown flaw 'nope'"},
      {{"--drain-after-sigterm", "soon"}, dirs.data, "http://127.0.0.1:9", "--drain-after-sigterm expects a whole number"},
      {{"--drain-after-sigterm"}, dirs.data, "http://127.0.0.1:9", "missing value after --drain-after-sigterm"},
      {{"--verbose", "1"}, dirs.data, "http://127.0.0.1:9", "unknown option --verbose"},
      {{}, dirs.data, "", "OTEL_EXPORTER_OTLP_ENDPOINT is not set"},
      {{}, dirs.data, "https://127.0.0.1:9", "only http:// is supported"},
      {{}, "", "http://127.0.0.1:9", "DATA_DIR is not set"},
      {{}, dirs.data + "/absent", "http://127.0.0.1:9", "is not a directory"},
  };
  for (const auto& c : cases) {
    fs::remove(dirs.log);
    Shipper shipper(c.args, free_port(), c.data, c.endpoint, dirs.log);
    const auto status = shipper.wait_exit(patience);
    const auto log = testing::read_file(dirs.log);
    EXPECT_TRUE(exited_with(status, 2)) << c.says << "\n" << log;
    EXPECT_NE(log.find(c.says), std::string::npos) << log;
    EXPECT_NE(log.find("usage: telemetry-shipper"), std::string::npos) << log;
  }
}

}  // namespace
}  // namespace firedrill::engine
