// bandwidth: limit a direction to `rate` KB/s (1 KB = 1024 bytes) by
// holding each chunk for as long as its bytes take at that rate, then
// passing it on. Never drops or reorders bytes.
#include "faults/fault.hpp"
#include "faults/params.hpp"

namespace firedrill::faults {
namespace {

class Bandwidth final : public StreamFault {
 public:
  explicit Bandwidth(double bytes_per_us) : bytes_per_us_(bytes_per_us) {}
  boost::asio::awaitable<bool> on_chunk(Chunk chunk, Pipe& pipe) const override {
    const auto us = static_cast<std::int64_t>(static_cast<double>(chunk.size) / bytes_per_us_);
    const bool open = co_await pipe.hold(us);
    if (!open) co_return false;
    co_return co_await pipe.write(chunk.data, chunk.size);
  }

 private:
  double bytes_per_us_;
};

}  // namespace

Built make_bandwidth(const FaultSpec& spec) {
  Params p(spec, {"rate"});
  double kb_per_s = p.number("rate", 0.001, 1e9, 0, true);
  if (p.error()) return {nullptr, *p.error()};
  return {std::make_shared<Bandwidth>(kb_per_s * 1024.0 / 1e6), {}};
}

}  // namespace firedrill::faults
