// Fuzz target: the load client's handling of the app's answer to POST
// /orders (load/order_client: first-byte read, response parser with its
// body limit (load/response_reader, Beast for the unusual), keep-alive release, stale-connection retry, classification).
// Driven for real over loopback: a canned server answers every connection
// with the input bytes. Two orders share one pool, so the second may take
// the first one's kept-alive connection. Whatever the bytes, an order ends
// with an outcome that agrees with its status, and never as accepted
// unless a status in the accepted set was read.
#include <algorithm>

#include <boost/asio/co_spawn.hpp>

#include "fuzz_check.hpp"
#include "load/order_client.hpp"
#include "loopback.hpp"

namespace {
using namespace firedrill;
using history::Outcome;
using history::Reason;

void check(const history::Operation& op, const history::StatusSets& sets) {
  auto in = [](const std::vector<int>& v, int s) { return std::find(v.begin(), v.end(), s) != v.end(); };
  FUZZ_CHECK(op.completed_us() >= op.intended_us());
  switch (op.outcome) {
    case Outcome::ok:
      FUZZ_CHECK(op.reason == Reason::accepted && in(sets.accepted, op.status));
      FUZZ_CHECK(op.first_byte_us() != history::never);
      break;
    case Outcome::fail:
      // Every connection was accepted, so only a refusing status can fail it.
      FUZZ_CHECK(op.reason == Reason::refused_status && in(sets.refused, op.status));
      break;
    case Outcome::info:
      FUZZ_CHECK(op.reason != Reason::accepted && op.reason != Reason::refused_status);
      if (op.reason == Reason::unexpected_status) FUZZ_CHECK(op.status >= 100 && op.status <= 999);
      break;
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  boost::asio::io_context io;
  fuzz::CannedServer server(io);
  server.answer_with(std::string(fuzz::text_of(data, size)));
  const suite::OrderApi api;  // SPEC §2 defaults: 201/202 accepted, 503/429 refused
  const history::Epoch epoch;
  {
    load::ConnectionPool pool(io.get_executor(), 4);
    load::OrderClient client(pool, server.endpoint(), api, 5'000'000, epoch);
    history::Operation ops[2];
    for (auto& op : ops) {
      op.id = "fuzz-order";
      op.set_intended_us(epoch.now_us());
      bool done = false;
      boost::asio::co_spawn(io, client.place(op), [&](std::exception_ptr e) {
        FUZZ_CHECK(!e);  // OrderClient promises never to throw
        done = true;
      });
      fuzz::run_until(io, [&] { return done; });
      check(op, api.statuses);
    }
  }  // the pool closes its connections; the server's sessions see EOF
  server.close();
  fuzz::drain(io);
  return 0;
}
