// Fuzz target: the fault proxy's HTTP request framing (faults/request_framer),
// fed as the proxy is fed — the stream arrives in reads of arbitrary sizes,
// and a client may pipeline requests. The first input byte picks the read
// sizes; the rest is the byte stream. Framing must never depend on how the
// stream was cut into reads: the same bytes framed in one piece must give
// the same request boundary (or the same "not HTTP" verdict).
#include <algorithm>

#include "faults/request_framer.hpp"
#include "fuzz_check.hpp"

namespace {
using firedrill::faults::RequestFramer;

// Read sizes from 1 byte to a few KB, reproducible from one byte.
class Reads {
 public:
  explicit Reads(std::uint8_t seed) : state_(seed * 2654435761u + 1) {}
  std::size_t next() {
    state_ = state_ * 1103515245u + 12345u;
    std::uint32_t r = state_ >> 16;
    return r % 4 == 0 ? 1 + r % 7 : 1 + r % 4096;
  }

 private:
  std::uint32_t state_;
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  Reads reads(data[0]);
  const std::string_view stream = firedrill::fuzz::text_of(data + 1, size - 1);
  std::size_t offset = 0;
  for (int requests = 0; offset < stream.size() && requests < 100; ++requests) {
    const std::string_view rest = stream.substr(offset);
    RequestFramer framer;
    std::size_t have = 0;
    RequestFramer::State state;
    do {
      have = std::min(rest.size(), have + reads.next());
      state = framer.feed(rest.substr(0, have));
      FUZZ_CHECK(framer.used() <= have);
    } while (state == RequestFramer::State::need_more && have < rest.size());

    RequestFramer whole;
    FUZZ_CHECK(whole.feed(rest) == state);
    if (state != RequestFramer::State::done) break;
    FUZZ_CHECK(framer.used() > 0 && whole.used() == framer.used());
    // What handle_request reads from a framed request to answer it.
    const auto& req = framer.request();
    FUZZ_CHECK(req.version() <= 99);  // HTTP/d.d, echoed in an injected answer
    (void)req.keep_alive();
    (void)req.method();
    offset += framer.used();
  }
  return 0;
}
