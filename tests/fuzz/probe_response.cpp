// Fuzz target: the probe client's handling of an answer (probes/probe_client:
// response parser with its body limit, keep-alive or one connection per
// request), which the readiness watch and the read-back probe both use; the
// read-back only maps the status (200 stored, 404 absent). Driven for real
// over loopback: a canned server answers every connection with the input
// bytes. A probe reports the status of the first final answer in those
// bytes (answer_oracle.hpp), or nothing; a second probe on a kept-alive
// connection must not read anything the server sent before it was asked.
#include <boost/asio/co_spawn.hpp>

#include "answer_oracle.hpp"
#include "fuzz_check.hpp"
#include "loopback.hpp"
#include "probes/probe_client.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace firedrill;
  const std::string_view bytes = fuzz::text_of(data, size);
  boost::asio::io_context io;
  fuzz::CannedServer server(io);
  server.answer_with(std::string(bytes));
  const std::optional<int> expected = fuzz::expected_status(bytes);
  for (bool keep_alive : {true, false}) {
    probes::ProbeClient client(io.get_executor(), server.endpoint(), 5'000'000, keep_alive);
    // Twice: the second request finds the connection the first left open
    // (keep-alive) or closed.
    for (int i = 0; i < 2; ++i) {
      bool done = false;
      std::optional<int> status;
      const auto started = std::chrono::steady_clock::now();
      boost::asio::co_spawn(io, client.get("/readyz"), [&](std::exception_ptr e, std::optional<int> s) {
        FUZZ_CHECK(!e);
        status = s;
        done = true;
      });
      fuzz::run_until(io, [&] { return done; });
      // The server always sent all it had and closed: never wait out the timeout.
      FUZZ_CHECK(std::chrono::steady_clock::now() - started < std::chrono::milliseconds(2500));
      // A fresh connection gets the canned answer; a kept-alive one may
      // find the server gone (nothing), never a stale answer.
      const bool fresh = i == 0 || !keep_alive;
      FUZZ_CHECK(status == expected || (!fresh && !status));
    }
  }  // the clients close their connections; the server's sessions see EOF
  server.close();
  fuzz::drain(io);
  return 0;
}
