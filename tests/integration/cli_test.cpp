// SPEC §5 exit codes and error messages, through the real binary: 2 with
// file:line:col for a bad suite or command line, 3 when the harness cannot
// run the target, 1 when the app never becomes ready (with its exit shown).
#include <gtest/gtest.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <csignal>
#include <fstream>
#include <thread>

#include "support/paths.hpp"
#include "support/run_firedrill.hpp"

namespace firedrill::testing {
namespace {

std::string write_suite(const std::string& dir, const std::string& text) {
  const std::string path = dir + "/suite.yaml";
  std::ofstream(path) << text;
  return path;
}

const std::string good_head = R"(suite: t
target:
  command: /bin/true
scenarios:
)";

struct BadSuite {
  std::string name;
  std::string text;
  std::string where;     // expected ":line:col:" in the message
  std::string expected;  // words the message must contain
};

const std::vector<BadSuite> bad_suites = {
    {"yaml_syntax", "suite: [unclosed\n", ":2:1:", "not valid YAML"},
    {"unknown_key_with_hint", "suite: t\ntarget:\n  comand: x\n", ":3:3:", "did you mean 'command'"},
    {"bad_duration", good_head + "  - name: a\n    grace: soon\n    checks: [ready-within]\n", ":6:12:",
     "duration such as 500ms"},
    {"unknown_check", good_head + "  - name: a\n    checks: [ready-withn]\n", ":6:14:", "did you mean 'ready-within'"},
    {"unknown_signal",
     good_head + "  - name: a\n    checks: [ready-within]\n    timeline:\n      - {at: 1s, action: signal, signal: SIGFOO}\n",
     ":8:42:", "valid signals"},
    {"step_after_load",
     good_head + "  - name: a\n    checks: [ready-within]\n    load: {duration: 2s}\n    timeline:\n      - {at: 5s, action: stop}\n",
     ":9:14:", "the load's last phase ends at 2s"},
    {"bad_rate", good_head + "  - name: a\n    checks: [ready-within]\n    load: {rate: fast}\n", ":7:18:", "orders per second"},
    {"no_scenarios", "suite: t\ntarget:\n  command: x\n", ":1:1:", "scenarios"},
    {"wrong_type_list", good_head + "  - name: a\n    checks: ready-within\n", ":6:13:", "expected checks as a list"},
    {"wrong_type_mapping", good_head + "  - name: a\n    checks: [ready-within]\n    load: 5\n", ":7:11:",
     "expected load as a mapping"},
    {"bad_number", good_head + "  - name: a\n    checks: [ready-within]\n    load: {max-connections: lots}\n", ":7:29:",
     "whole number from 1 to 10000"},
    {"unknown_fault",
     good_head + "  - name: a\n    checks: [ready-within]\n    timeline:\n      - {at: 1s, action: fault, on: payment, "
                 "fault: latancy, for: 1s}\n",
     ":8:53:", "did you mean 'latency'"},
    {"unknown_action", good_head + "  - name: a\n    checks: [ready-within]\n    timeline:\n      - {at: 1s, action: explode}\n",
     ":8:26:", "valid actions: signal, stop, rollout, fault"},
    {"fault_window_past_load",
     good_head + "  - name: a\n    checks: [ready-within]\n    load: {duration: 3s}\n    timeline:\n      - {at: 2s, action: "
                 "fault, on: payment, fault: latency, for: 5s}\n",
     ":9:67:", "ends at 7s but the load ends at 3s"},
    {"duplicate_scenario", good_head + "  - {name: a, checks: [ready-within]}\n  - {name: a, checks: [ready-within]}\n",
     ":6:12:", "used twice"},
};

void PrintTo(const BadSuite& b, std::ostream* os) { *os << b.name; }

class MalformedSuite : public ::testing::TestWithParam<BadSuite> {};

TEST_P(MalformedSuite, ExitsTwoNamingFileLineAndWhatWasExpected) {
  const auto& c = GetParam();
  const auto path = write_suite(scratch_dir("bad-suite-" + c.name), c.text);
  for (const char* command : {"validate", "run"}) {
    auto r = run_command({bin_path("firedrill"), command, path}, 30);
    SCOPED_TRACE(std::string(command) + ": " + r.output);
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_NE(r.output.find(path + c.where), std::string::npos) << "expected " << path + c.where;
    EXPECT_NE(r.output.find(c.expected), std::string::npos);
  }
}

INSTANTIATE_TEST_SUITE_P(EachClassOfError, MalformedSuite, ::testing::ValuesIn(bad_suites),
                         [](const auto& info) { return info.param.name; });

TEST(Cli, ValidatesAndListsTheBundledSuite) {
  auto v = run_command({bin_path("firedrill"), "validate", source_path("suites/graceful-shutdown.yaml")}, 30);
  EXPECT_EQ(v.exit_code, 0) << v.output;
  auto l = run_command({bin_path("firedrill"), "list", source_path("suites/graceful-shutdown.yaml")}, 30);
  EXPECT_EQ(l.exit_code, 0) << l.output;
  for (const char* s : {"sigterm-mid-rush", "sigkill-mid-rush", "rollout"}) EXPECT_NE(l.output.find(s), std::string::npos);
}

TEST(Cli, BadFlagsExitTwo) {
  auto suite = source_path("suites/graceful-shutdown.yaml");
  EXPECT_EQ(run_command({bin_path("firedrill"), "run", suite, "--no-such-flag"}, 30).exit_code, 2);
  EXPECT_EQ(run_command({bin_path("firedrill"), "run", suite, "--seed", "abc"}, 30).exit_code, 2);
  EXPECT_EQ(run_command({bin_path("firedrill")}, 30).exit_code, 2);
  auto nomatch = run_command({bin_path("firedrill"), "run", suite, "--filter", "no-such-*"}, 30);
  EXPECT_EQ(nomatch.exit_code, 2);
  EXPECT_NE(nomatch.output.find("sigterm-mid-rush"), std::string::npos) << "should list the scenarios";
  auto shell = run_command({bin_path("firedrill"), "run", suite, "--target", "app | tee log"}, 30);
  EXPECT_EQ(shell.exit_code, 2);
  EXPECT_NE(shell.output.find("without a shell"), std::string::npos) << shell.output;
}

// --sidecar and --sidecar-kind name a sidecar of the suite's pod; anything
// else is exit 2 naming the flag, what was given and what is expected.
TEST(Cli, BadSidecarOverridesExitTwo) {
  auto suite = source_path("suites/sidecars.yaml");
  struct Case {
    std::vector<std::string> args;
    std::string expected;
  };
  const std::vector<Case> cases = {
      {{"--sidecar", "shiper=x"}, "--sidecar 'shiper=x': " + suite + " has no sidecar named 'shiper' (it has shipper, ambassador)"},
      {{"--sidecar", "shipper"}, "--sidecar 'shipper': expected NAME=COMMAND or NAME+=ARGS"},
      {{"--sidecar", "shipper+="}, "--sidecar 'shipper+=': expected a command after '+='"},
      {{"--sidecar", "shipper=app | tee log"}, "without a shell"},
      {{"--sidecar-kind", "ambassador=sidecar"}, "--sidecar-kind 'ambassador=sidecar': expected native or classic"},
      {{"--sidecar-kind", "app=classic"}, "has no sidecar named 'app'"},
  };
  for (const auto& c : cases) {
    std::vector<std::string> argv = {bin_path("firedrill"), "run", suite};
    argv.insert(argv.end(), c.args.begin(), c.args.end());
    auto r = run_command(argv, 30);
    SCOPED_TRACE(r.output);
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_NE(r.output.find(c.expected), std::string::npos) << "expected: " << c.expected;
  }
  auto no_sidecars = run_command(
      {bin_path("firedrill"), "run", source_path("suites/graceful-shutdown.yaml"), "--sidecar-kind", "x=native"}, 30);
  EXPECT_EQ(no_sidecars.exit_code, 2);
  EXPECT_NE(no_sidecars.output.find("its pod has no sidecars"), std::string::npos) << no_sidecars.output;
}

TEST(Cli, APortBandInsideTheEphemeralRangeOrMalformedExitsTwo) {
  auto suite = source_path("suites/graceful-shutdown.yaml");
  auto malformed = run_command({bin_path("firedrill"), "run", suite, "--ports", "20000"}, 30);
  EXPECT_EQ(malformed.exit_code, 2);
  EXPECT_NE(malformed.output.find("--ports '20000': expected LO-HI"), std::string::npos) << malformed.output;
  auto low = run_command({bin_path("firedrill"), "run", suite, "--ports", "80-90"}, 30);
  EXPECT_EQ(low.exit_code, 2);
  EXPECT_NE(low.output.find("1024 <= LO <= HI <= 65535"), std::string::npos) << low.output;
  int lo = 0, hi = 0;
  std::ifstream("/proc/sys/net/ipv4/ip_local_port_range") >> lo >> hi;
  if (lo <= 0 || hi < lo) GTEST_SKIP() << "no /proc/sys/net/ipv4/ip_local_port_range here";
  const std::string band = std::to_string(lo) + "-" + std::to_string(lo + 1);
  auto ephemeral = run_command({bin_path("firedrill"), "run", suite, "--ports", band}, 30);
  EXPECT_EQ(ephemeral.exit_code, 2);
  EXPECT_NE(ephemeral.output.find("ephemeral range"), std::string::npos) << ephemeral.output;
}

TEST(Cli, MissingTargetProgramExitsThree) {
  auto r = run_command({bin_path("firedrill"), "run", source_path("suites/graceful-shutdown.yaml"), "--filter",
                        "sigterm-mid-rush", "--target", "/nonexistent/app --x", "--runs-dir",
                        scratch_dir("missing-target")},
                       60);
  EXPECT_EQ(r.exit_code, 3) << r.output;
  EXPECT_NE(r.output.find("/nonexistent/app"), std::string::npos) << r.output;
}

TEST(Cli, AppThatNeverBecomesReadyFailsWithUnknownVerdicts) {
  const auto dir = scratch_dir("never-ready");
  auto r = run_command({bin_path("firedrill"), "run", source_path("tests/suites/cold-start.yaml"), "--target",
                        "/bin/sh -c 'echo starting up; exit 7'", "--junit", dir + "/junit.xml", "--runs-dir",
                        dir + "/runs"},
                       60);
  EXPECT_EQ(r.exit_code, 1) << r.output;
  auto v = verdicts_from_junit(read_file(dir + "/junit.xml"));
  EXPECT_EQ(v["cold-start/ready-within"], "fail");
  EXPECT_EQ(v["cold-start/accepted-orders-durable"], "unknown");
  EXPECT_NE(r.output.find("never became ready (exited with code 7"), std::string::npos) << r.output;
  EXPECT_NE(read_file(dir + "/junit.xml").find("starting up"), std::string::npos) << "app output tail in system-out";
}

// On a terminal: a live progress line and colour; NO_COLOR turns colour off;
// in a pipe (CI logs): plain lines, no progress line, no escape codes.
TEST(Cli, LiveProgressOnATerminalPlainLinesElsewhere) {
  const auto dir = scratch_dir("progress");
  const std::string cmd = bin_path("firedrill") + " run " + source_path("tests/suites/cold-start.yaml") + " --target " +
                          bin_path("order-service") + " --runs-dir " + dir + "/runs";
  // util-linux `script` gives the command a pseudo-terminal.
  auto tty = run_command({"/usr/bin/env", "-u", "NO_COLOR", "/usr/bin/script", "-qec", cmd, "/dev/null"}, 120);
  EXPECT_EQ(tty.exit_code, 0) << tty.output;
  EXPECT_NE(tty.output.find("\r\x1b[2K[1/1] "), std::string::npos) << "live progress line";
  EXPECT_NE(tty.output.find("\x1b[32m"), std::string::npos) << "colour on a terminal";
  auto no_color = run_command({"/usr/bin/env", "NO_COLOR=1", "/usr/bin/script", "-qec", cmd, "/dev/null"}, 120);
  EXPECT_EQ(no_color.exit_code, 0) << no_color.output;
  EXPECT_EQ(no_color.output.find("\x1b[32m"), std::string::npos) << "NO_COLOR honoured";
  auto piped = run_command({"/usr/bin/env", "-u", "NO_COLOR", "/bin/sh", "-c", cmd}, 120);
  EXPECT_EQ(piped.exit_code, 0) << piped.output;
  EXPECT_EQ(piped.output.find('\x1b'), std::string::npos) << "no escape codes in a log";
  EXPECT_NE(piped.output.find("PASS ready-within"), std::string::npos);
  auto quiet = run_command({"/bin/sh", "-c", cmd + " --quiet"}, 120);
  EXPECT_EQ(quiet.output.find("PASS ready-within"), std::string::npos) << "--quiet prints only the final lines";
  EXPECT_NE(quiet.output.find("all checks passed"), std::string::npos);
}

// The app gets stdin/stdout/stderr and nothing else of the harness: no
// listener of a stub or fault proxy, no load connection (Boost 1.81's own
// descriptor cleanup leaves gaps; container.cpp closes them).
TEST(Cli, AppInheritsNoDescriptorOfTheHarness) {
  const auto dir = scratch_dir("inherited-fds");
  const std::string lister =
      "/usr/bin/python3 -c 'import os; print(\"fds\", sorted(int(f) for f in os.listdir(\"/proc/self/fd\")))'";
  auto r = run_command({bin_path("firedrill"), "run", source_path("tests/suites/cold-start.yaml"), "--target", lister,
                        "--junit", dir + "/junit.xml", "--runs-dir", dir + "/runs"},
                       60);
  EXPECT_EQ(r.exit_code, 1) << r.output;
  // 3 is the directory python itself opened to list the others.
  EXPECT_NE(read_file(dir + "/junit.xml").find("fds [0, 1, 2, 3]"), std::string::npos) << read_file(dir + "/junit.xml");
}


// A loopback listener on a free port; the kernel completes connections into
// its backlog, which is all an upstream the proxy never forwards to needs.
int listen_on_loopback(int& port) {
  const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof a;
  if (fd < 0 || ::bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0 || ::listen(fd, 64) != 0 ||
      ::getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len) != 0)
    return -1;
  port = ntohs(a.sin_port);
  return fd;
}

// One GET through the proxy at `port`: the status line, or "" if none came.
std::string status_line_via(int port) {
  const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  a.sin_port = htons(static_cast<std::uint16_t>(port));
  timeval tv{10, 0};
  ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  std::string got;
  if (::connect(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0) {
    const std::string req = "GET /charges/1 HTTP/1.1\r\nHost: payment\r\n\r\n";
    if (::send(fd, req.data(), req.size(), MSG_NOSIGNAL) == static_cast<ssize_t>(req.size())) {
      char buf[256];
      while (got.find("\r\n") == std::string::npos) {
        const ssize_t n = ::recv(fd, buf, sizeof buf, 0);
        if (n <= 0) break;
        got.append(buf, static_cast<std::size_t>(n));
      }
    }
  }
  ::close(fd);
  return got.substr(0, got.find("\r\n"));
}

// `firedrill proxy` as a user runs it: with worker threads, a fault from a
// flag acts on connections on every loop, and SIGTERM ends it cleanly.
TEST(Cli, ProxyCommandAppliesItsFaultsOnEveryThreadAndStopsOnSigterm) {
  int upstream_port = 0, proxy_port = 0;
  const int upstream = listen_on_loopback(upstream_port);
  ASSERT_GE(upstream, 0);
  {
    const int probe = listen_on_loopback(proxy_port);  // a free port for the proxy
    ASSERT_GE(probe, 0);
    ::close(probe);
  }
  CommandOptions options;
  options.timeout_seconds = 60;
  options.signal = SIGTERM;
  options.signal_after_ms = 6000;
  CommandResult r;
  std::thread proxy([&] {
    r = run_command({bin_path("firedrill"), "proxy", "--listen", std::to_string(proxy_port), "--upstream",
                     "127.0.0.1:" + std::to_string(upstream_port), "--http", "--threads", "3", "--fault",
                     "http-status:upstream:1:status=503"},
                    options);
  });
  std::vector<std::string> lines;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
  while (lines.empty() && std::chrono::steady_clock::now() < deadline) {
    const std::string first = status_line_via(proxy_port);
    if (!first.empty()) lines.push_back(first);
    else std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  for (int i = 0; i < 5 && !lines.empty(); ++i) lines.push_back(status_line_via(proxy_port));  // on every loop
  proxy.join();
  ::close(upstream);
  ASSERT_EQ(lines.size(), 6u) << "the proxy never answered; it said:\n" << r.output;
  for (const auto& l : lines) EXPECT_EQ(l, "HTTP/1.1 503 Service Unavailable");
  EXPECT_FALSE(r.timed_out) << r.output;
  EXPECT_EQ(r.exit_code, 0) << r.output;
  EXPECT_NE(r.output.find("1 faults, 3 threads"), std::string::npos) << r.output;
}

TEST(Cli, ProxyCommandRefusesABadThreadCount) {
  auto r = run_command({bin_path("firedrill"), "proxy", "--upstream", "127.0.0.1:9", "--threads", "300"}, 30);
  EXPECT_EQ(r.exit_code, 2) << r.output;
  EXPECT_NE(r.output.find("--threads"), std::string::npos) << r.output;
}

}  // namespace
}  // namespace firedrill::testing
