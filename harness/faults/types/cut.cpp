// cut: pass exactly `bytes` bytes in the fault's direction (counted from
// when this connection first met the fault), then close the connection.
#include <algorithm>

#include "faults/fault.hpp"
#include "faults/params.hpp"

namespace firedrill::faults {
namespace {

class Cut final : public StreamFault {
 public:
  explicit Cut(std::int64_t bytes) : bytes_(bytes) {}
  boost::asio::awaitable<bool> on_chunk(Chunk chunk, Pipe& pipe) const override {
    auto& seen = pipe.state().bytes;
    const std::int64_t left = std::max<std::int64_t>(bytes_ - seen, 0);
    if (static_cast<std::int64_t>(chunk.size) < left) {
      seen += static_cast<std::int64_t>(chunk.size);
      co_return co_await pipe.write(chunk.data, chunk.size);
    }
    seen = bytes_;
    const bool open = co_await pipe.write(chunk.data, static_cast<std::size_t>(left));
    if (!open) co_return false;
    pipe.close();
    co_return false;
  }

 private:
  std::int64_t bytes_;
};

}  // namespace

Built make_cut(const FaultSpec& spec) {
  Params p(spec, {"bytes"});
  auto bytes = p.integer("bytes", 0, std::int64_t{1} << 40, 0, true);
  if (p.error()) return {nullptr, *p.error()};
  return {std::make_shared<Cut>(bytes), {}};
}

}  // namespace firedrill::faults
