// Fuzz target: the load client's handling of the app's answer to POST
// /orders (load/order_client: first-byte read, response reader with its
// body limit (load/response_reader, Beast for the unusual shapes),
// keep-alive release, stale-connection retry, classification).
// Driven for real over loopback: a canned server answers every connection
// with the input bytes. An order ends with the status of the first final
// answer in those bytes (answer_oracle.hpp) and the outcome that status
// means, or as indeterminate when there is none. Two orders share one pool:
// the second may take the first one's kept-alive connection and must not
// read anything the server sent before it was asked.
#include <boost/asio/co_spawn.hpp>

#include "answer_oracle.hpp"
#include "fuzz_check.hpp"
#include "load/order_client.hpp"
#include "loopback.hpp"

namespace {
using namespace firedrill;
using history::Outcome;
using history::Reason;

void check(const history::Operation& op, std::optional<int> expected, const history::StatusSets& sets) {
  FUZZ_CHECK(op.completed_us() >= op.intended_us());
  if (!expected) {
    FUZZ_CHECK(op.outcome == Outcome::info && op.status == 0);
    FUZZ_CHECK(op.reason == Reason::eof || op.reason == Reason::bad_response || op.reason == Reason::reset);
    return;
  }
  const auto c = history::classify({history::Wire::complete, *expected}, sets);
  FUZZ_CHECK(op.status == *expected && op.outcome == c.outcome && op.reason == c.reason);
  FUZZ_CHECK(op.first_byte_us() != history::never);
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
    const std::optional<int> expected = fuzz::expected_status(fuzz::text_of(data, size));
    history::Operation ops[2];
    for (auto& op : ops) {
      op.id = "fuzz-order";
      op.set_intended_us(epoch.now_us());
      bool done = false;
      const auto started = std::chrono::steady_clock::now();
      boost::asio::co_spawn(io, client.place(op), [&](std::exception_ptr e) {
        FUZZ_CHECK(!e);  // OrderClient promises never to throw
        done = true;
      });
      fuzz::run_until(io, [&] { return done; });
      // The server always sent all it had and closed: never wait out the timeout.
      FUZZ_CHECK(std::chrono::steady_clock::now() - started < std::chrono::milliseconds(2500));
    }
    check(ops[0], expected, api.statuses);
    // The second order either got the answer afresh, or found its kept-alive
    // connection closed, retried on a new one and (not accepted there)
    // stays as indeterminate as the first try.
    if (!(ops[1].retried && ops[1].outcome == Outcome::info && ops[1].status == 0 && ops[0].outcome != Outcome::ok))
      check(ops[1], expected, api.statuses);
  }  // the pool closes its connections; the server's sessions see EOF
  server.close();
  fuzz::drain(io);
  return 0;
}
