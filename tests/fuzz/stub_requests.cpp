// Fuzz target: the dependency stubs' request handling (fixtures/stubs: the
// stub server's request parser with its body limit and keep-alive loop, the
// payment gateway's and courier service's JSON bodies). Driven for real over
// loopback: the input (after its first byte, which picks the stub) is sent
// on one connection, possibly as several pipelined requests. Every answer is
// well-formed HTTP, and the ledgers only record what a valid request asked.
#include <boost/beast/http.hpp>

#include "fuzz_check.hpp"
#include "loopback.hpp"
#include "stubs/courier_service.hpp"
#include "stubs/payment_gateway.hpp"

namespace {
namespace http = boost::beast::http;

// The stubs' answers, read back with Beast: each must parse.
std::size_t count_answers(std::string_view bytes) {
  std::size_t n = 0;
  while (!bytes.empty()) {
    http::response_parser<http::string_body> parser;
    parser.eager(true);
    boost::system::error_code ec;
    std::size_t used = parser.put(boost::asio::buffer(bytes.data(), bytes.size()), ec);
    FUZZ_CHECK(!ec && parser.is_done());
    bytes.remove_prefix(used);
    ++n;
  }
  return n;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace firedrill;
  if (size == 0) return 0;
  const bool payment = data[0] & 1;
  const std::string_view request = fuzz::text_of(data + 1, size - 1);
  boost::asio::io_context io;
  {
    std::int64_t now = 0;
    stubs::PaymentGateway gateway(io, 0, [&] { return ++now; });
    stubs::CourierService courier(io, 0);
    const int port = payment ? gateway.port() : courier.port();
    const boost::asio::ip::tcp::endpoint to(boost::asio::ip::address_v4::loopback(), static_cast<unsigned short>(port));
    std::size_t answers = count_answers(fuzz::exchange(io, to, request));
    // One answer per request; a recorded attempt needs an answered request.
    const auto attempts = gateway.ledger().take_attempts();
    const std::size_t recorded = payment ? attempts.size() : courier.ledger().requests();
    FUZZ_CHECK(recorded <= answers);
    for (const auto& a : attempts) FUZZ_CHECK(a.new_charge || !a.key.empty());
  }
  fuzz::drain(io);
  return 0;
}
