// Fuzz target: the proxy's command line (`firedrill proxy`, bench/proxy) and
// through it every fault's parameter parsing. Input lines are argv words.
// A parser returns a value or a message, never throws; an accepted fault
// validates, and the toxic it builds keeps its holds within a timer's range.
#include <string>
#include <variant>
#include <vector>

#include "faults/proxy_flags.hpp"
#include "faults/registry.hpp"
#include "fuzz_check.hpp"

namespace {
using namespace firedrill::faults;

// Holds become steady_timer deadlines (nanoseconds in an int64): a hold of
// more than ~290 years would overflow now() + hold.
constexpr std::int64_t max_hold_us = 4'000'000'000'000'000;

void exercise(const FaultSpec& spec) {
  FUZZ_CHECK(!validate(spec));
  FUZZ_CHECK(spec.probability >= 0 && spec.probability <= 1);
  Built b = build(spec);
  FUZZ_CHECK(b.toxic);
  if (auto* stream = dynamic_cast<StreamToxic*>(b.toxic.get())) {
    static const std::string bytes(64 * 1024, 'x');  // a full read of the pump
    Rng rng(1);
    FlowState state;
    for (std::size_t size : {std::size_t{1}, std::size_t{1000}, bytes.size()}) {
      Chunk chunk{bytes.data(), size};
      stream->on_chunk(chunk, state, rng);
      FUZZ_CHECK(chunk.hold_us >= 0 && chunk.hold_us <= max_hold_us);
      FUZZ_CHECK(chunk.slice_delay_us >= 0 && chunk.slice_delay_us <= max_hold_us);
    }
  }
  if (auto* close = dynamic_cast<CloseToxic*>(b.toxic.get()))
    FUZZ_CHECK(close->close_delay_us() >= 0 && close->close_delay_us() <= max_hold_us);
  if (auto* request = dynamic_cast<RequestToxic*>(b.toxic.get())) {
    for (int i = 0; i < 3; ++i) {
      RequestVerdict v = request->on_request();
      FUZZ_CHECK(v.status == 0 || (v.status >= 100 && v.status <= 599));
      FUZZ_CHECK(v.response_delay_us >= 0 && v.response_delay_us <= max_hold_us);
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
  auto o = parse_proxy_options(args);
  if (auto* opts = std::get_if<ProxyOptions>(&o)) {
    FUZZ_CHECK(opts->listen_port >= 0 && opts->listen_port <= 65535);
    FUZZ_CHECK(opts->upstream.address().is_loopback() && opts->upstream.port() != 0);
    for (const auto& spec : opts->faults) FUZZ_CHECK(!validate(spec));
  }
  return 0;
}
