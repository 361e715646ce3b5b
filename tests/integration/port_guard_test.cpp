// Issue 19, SPEC §1: readiness counts only when the listener on PORT belongs
// to a process of the pod. A decoy HTTP server that answers 200 on every
// path takes the app's port before the app can listen there (the test runs
// it, outside the pod); the probe must not take the decoy's 200 for the
// app's readiness, and the run must be a harness error naming the decoy,
// not a verdict about the app.
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <thread>

#include "support/paths.hpp"
#include "support/run_firedrill.hpp"

namespace firedrill::testing {
namespace {

// Waits for the target to write its PORT to `port_file`, binds that port on
// 127.0.0.1 and answers every request with 200 until told to stop.
class Decoy {
 public:
  explicit Decoy(std::string port_file) : port_file_(std::move(port_file)), thread_([this] { serve(); }) {}
  ~Decoy() {
    stop_ = true;
    thread_.join();
  }
  int port() const { return port_; }
  bool listened() const { return listened_; }
  int requests() const { return requests_; }

 private:
  void serve() {
    while (!stop_ && !std::filesystem::exists(port_file_)) ::usleep(10'000);
    if (stop_) return;
    int port = 0;
    std::ifstream(port_file_) >> port;
    port_ = port;
    const int s = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    const int one = 1;
    ::setsockopt(s, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    a.sin_port = htons(static_cast<std::uint16_t>(port));
    listened_ = ::bind(s, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0 && ::listen(s, 64) == 0;
    while (listened_ && !stop_) {
      pollfd p{s, POLLIN, 0};
      if (::poll(&p, 1, 50) <= 0) continue;
      const int c = ::accept4(s, nullptr, nullptr, SOCK_CLOEXEC);
      if (c < 0) continue;
      char buf[4096];
      pollfd r{c, POLLIN, 0};
      if (::poll(&r, 1, 1000) > 0 && ::read(c, buf, sizeof buf) > 0) {
        ++requests_;
        static constexpr char answer[] = "HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok";
        [[maybe_unused]] auto n = ::write(c, answer, sizeof answer - 1);
      }
      ::close(c);
    }
    ::close(s);
  }

  std::string port_file_;
  std::atomic<int> port_ = 0;
  std::atomic<bool> listened_ = false;
  std::atomic<int> requests_ = 0;
  std::atomic<bool> stop_ = false;
  std::thread thread_;
};

TEST(PortGuard, ADecoyThatAnswers200OnTheAppsPortIsNeverTakenForTheAppBeingReady) {
  const auto dir = scratch_dir("port-guard-decoy");
  const std::string port_file = dir + "/port";
  Decoy decoy(port_file);
  // The "app" hands its port to the decoy, then waits for it to listen and
  // never listens itself (it could not: the decoy holds the port).
  const std::string target = "/bin/sh -c 'echo $PORT > " + port_file + ".tmp && mv " + port_file + ".tmp " +
                             port_file + " && exec sleep 60'";
  const auto result = run_command({bin_path("firedrill"), "run", source_path("tests/suites/hostile.yaml"), "--target",
                                   target, "--junit", dir + "/junit.xml", "--runs-dir", dir + "/runs"},
                                  150);
  SCOPED_TRACE(result.output.substr(0, 4000));
  ASSERT_TRUE(decoy.listened()) << "the decoy could not take port " << decoy.port();
  EXPECT_GT(decoy.requests(), 0) << "the readiness probe never reached the decoy: the test proves nothing";
  EXPECT_EQ(result.exit_code, 3) << "another process on the app's port is the harness's problem, not a verdict";
  EXPECT_NE(result.output.find("the app's port " + std::to_string(decoy.port()) + " is held by pid " +
                               std::to_string(::getpid())),
            std::string::npos)
      << "the message does not name the decoy";
  const std::string junit = read_file(dir + "/junit.xml");
  EXPECT_EQ(junit.find("ready after"), std::string::npos) << "the decoy's 200 counted as the app being ready";
  for (const auto& [check, verdict] : verdicts_from_junit(junit))
    EXPECT_NE(verdict, "pass") << check << " passed on a pod whose app never listened";
}

}  // namespace
}  // namespace firedrill::testing
