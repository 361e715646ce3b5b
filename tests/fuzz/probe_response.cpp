// Fuzz target: the probe client's handling of an answer (probes/probe_client:
// response parser with its body limit, keep-alive or one connection per
// request), which the readiness watch and the read-back probe both use; the
// read-back only maps the status (200 stored, 404 absent). Driven for real
// over loopback: a canned server answers every connection with the input
// bytes. A status is reported only for a complete response.
#include <boost/asio/co_spawn.hpp>

#include "fuzz_check.hpp"
#include "loopback.hpp"
#include "probes/probe_client.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace firedrill;
  const std::string_view bytes = fuzz::text_of(data, size);
  boost::asio::io_context io;
  fuzz::CannedServer server(io);
  server.answer_with(std::string(bytes));
  for (bool keep_alive : {true, false}) {
    probes::ProbeClient client(io.get_executor(), server.endpoint(), 5'000'000, keep_alive);
    // Twice: the second request finds the connection the first left open
    // (keep-alive) or closed.
    for (int i = 0; i < 2; ++i) {
      bool done = false;
      std::optional<int> status;
      boost::asio::co_spawn(io, client.get("/readyz"), [&](std::exception_ptr e, std::optional<int> s) {
        FUZZ_CHECK(!e);
        status = s;
        done = true;
      });
      fuzz::run_until(io, [&] { return done; });
      if (status) FUZZ_CHECK(*status >= 100 && *status <= 999 && bytes.starts_with("HTTP/"));
    }
  }  // the clients close their connections; the server's sessions see EOF
  server.close();
  fuzz::drain(io);
  return 0;
}
