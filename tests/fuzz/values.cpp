// Fuzz target: the scalar notations of a suite (durations, rates, signal
// names) and the "did you mean" search behind every unknown-key error. Each
// parser must return nullopt or a value in its documented range.
#include <cmath>
#include <csignal>
#include <string>

#include "fuzz_check.hpp"
#include "suite/values.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace firedrill::suite;
  const std::string_view text = firedrill::fuzz::text_of(data, size);

  if (auto us = parse_duration_us(text)) FUZZ_CHECK(*us >= 0 && *us <= 1'000'000'000'000'000);
  if (auto rate = parse_rate(text)) FUZZ_CHECK(std::isfinite(*rate) && *rate > 0 && *rate <= 10'000'000);
  if (auto sig = parse_signal(text)) FUZZ_CHECK(*sig > 0 && *sig < NSIG);

  // The hint is one of the choices, or nothing.
  static const std::vector<std::string_view> choices{"grace", "readiness-flip", "ready-within", "exit-codes",
                                                     "settle", "load", "checks", "error-budget", ""};
  std::string hint = nearest(text, choices);
  bool known = hint.empty();
  for (auto c : choices) known |= hint == c;
  FUZZ_CHECK(known);
  return 0;
}
