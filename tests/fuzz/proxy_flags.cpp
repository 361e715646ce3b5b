// Fuzz target: the proxy's command line (`firedrill proxy`, bench/proxy) and
// through it every fault's parameter parsing. Input lines are argv words.
// A parser returns a value or a message, never throws; an accepted fault
// validates, and the fault it builds, fed chunks through a recording pipe,
// passes on only the bytes it was given, in order, and keeps its holds
// within a timer's range.
#include <string>
#include <variant>
#include <vector>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>

#include "cli/proxy_options.hpp"
#include "faults/proxy_flags.hpp"
#include "faults/registry.hpp"
#include "fuzz_check.hpp"

namespace {
using namespace firedrill::faults;
namespace asio = boost::asio;

// Holds become steady_timer deadlines (nanoseconds in an int64): a hold of
// more than ~290 years would overflow now() + hold.
constexpr std::int64_t max_hold_us = 4'000'000'000'000'000;

// The chain's end as a fault sees it: records, never waits.
struct RecordingPipe final : Pipe {
  std::string passed;
  bool ended = false;
  FlowState flow;
  asio::awaitable<bool> write(const char* data, std::size_t size) override {
    FUZZ_CHECK(!ended);
    passed.append(data, size);
    co_return true;
  }
  asio::awaitable<bool> hold(std::int64_t us) override {
    FUZZ_CHECK(us >= 0 && us <= max_hold_us);
    co_return true;
  }
  void close() override { ended = true; }
  void reset() override { ended = true; }
  FlowState& state() override { return flow; }
  bool removed() const override { return false; }
};

void exercise(const FaultSpec& spec) {
  FUZZ_CHECK(!validate(spec));
  FUZZ_CHECK(spec.probability >= 0 && spec.probability <= 1);
  Built b = build(spec);
  FUZZ_CHECK(b.fault);
  if (auto* stream = dynamic_cast<StreamFault*>(b.fault.get())) {
    static const std::string bytes = [] {
      std::string s(64 * 1024, 0);  // a full read of the pump, every byte telling its place
      for (std::size_t i = 0; i < s.size(); ++i) s[i] = static_cast<char>('a' + i % 26);
      return s;
    }();
    RecordingPipe pipe;
    std::string given;
    asio::io_context io;
    for (std::size_t size : {std::size_t{1}, std::size_t{1000}, bytes.size()}) {
      if (pipe.ended) break;
      given.append(bytes.data(), size);
      asio::co_spawn(io, stream->on_chunk({bytes.data(), size}, pipe), asio::detached);
      io.run();
      io.restart();
    }
    // Whatever went on is a prefix of the bytes given, in order (a fault
    // may drop, never invent or reorder).
    FUZZ_CHECK(pipe.passed.size() <= given.size());
    FUZZ_CHECK(given.compare(0, pipe.passed.size(), pipe.passed) == 0);
  }
  if (auto* close = dynamic_cast<CloseFault*>(b.fault.get()))
    FUZZ_CHECK(close->close_delay_us() >= 0 && close->close_delay_us() <= max_hold_us);
  if (auto* request = dynamic_cast<RequestFault*>(b.fault.get())) {
    FlowState answer;
    for (int i = 0; i < 3; ++i) {
      const auto v = request->on_request(answer);
      FUZZ_CHECK(v.status == 0 || (v.status >= 100 && v.status <= 599));
      FUZZ_CHECK(answer.mark >= 0 && answer.mark <= max_hold_us);
    }
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text = firedrill::fuzz::text_of(data, size);
  std::vector<std::string> args;
  for (std::size_t start = 0; start <= text.size();) {
    auto end = text.find('\n', start);
    if (end == std::string_view::npos) end = text.size();
    args.emplace_back(text.substr(start, end - start));
    start = end + 1;
  }
  for (const auto& a : args) {
    auto f = parse_fault_flag(a);
    if (auto* spec = std::get_if<FaultSpec>(&f)) exercise(*spec);
    auto ep = parse_loopback_endpoint(a);
    if (auto* e = std::get_if<boost::asio::ip::tcp::endpoint>(&ep))
      FUZZ_CHECK(e->address().is_loopback() && e->port() != 0);
  }
  firedrill::cli::ProxyArgs o;
  if (firedrill::cli::parse_proxy_args(args, o).empty()) {
    FUZZ_CHECK(o.listen >= 0 && o.listen <= 65535);
    FUZZ_CHECK(o.threads >= 0 && o.threads <= 256);
  }
  return 0;
}
