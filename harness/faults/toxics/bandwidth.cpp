// bandwidth: limit a direction to `rate` KB/s (1 KB = 1024 bytes) by
// holding each chunk for as long as its bytes take at that rate. Never
// drops or reorders bytes.
#include "faults/params.hpp"
#include "faults/toxic.hpp"

namespace firedrill::faults {
namespace {

class Bandwidth final : public StreamToxic {
 public:
  explicit Bandwidth(double bytes_per_us) : bytes_per_us_(bytes_per_us) {}
  void on_chunk(Chunk& chunk, FlowState&, Rng&) const override {
    chunk.hold_us += static_cast<std::int64_t>(static_cast<double>(chunk.size) / bytes_per_us_);
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
