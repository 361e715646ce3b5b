#include "history/operation.hpp"

#include <algorithm>
#include <array>
#include <cstdint>
#include <iterator>
#include <utility>

namespace firedrill::history {
namespace {
constexpr std::array<std::pair<Outcome, std::string_view>, 3> outcome_names{{
    {Outcome::ok, "ok"}, {Outcome::fail, "fail"}, {Outcome::info, "info"}}};
constexpr std::array<std::pair<Reason, std::string_view>, 10> reason_names{{
    {Reason::accepted, "accepted"},
    {Reason::refused_status, "refused"},
    {Reason::connect_refused, "connection-refused"},
    {Reason::connect_failed, "connect-failed"},
    {Reason::reset, "reset"},
    {Reason::eof, "eof"},
    {Reason::timeout, "timeout"},
    {Reason::unexpected_status, "unexpected-status"},
    {Reason::bad_response, "bad-response"},
    {Reason::not_sent, "not-sent"},
}};

template <class Table, class E>
std::string_view name_of(const Table& t, E e) {
  for (auto& [v, n] : t)
    if (v == e) return n;
  return "?";
}
template <class Table, class E>
bool value_of(const Table& t, std::string_view s, E& out) {
  for (auto& [v, n] : t)
    if (n == s) { out = v; return true; }
  return false;
}
}  // namespace

std::string_view to_string(Outcome o) { return name_of(outcome_names, o); }
std::string_view to_string(Reason r) { return name_of(reason_names, r); }
bool parse_outcome(std::string_view s, Outcome& o) { return value_of(outcome_names, s, o); }
bool parse_reason(std::string_view s, Reason& r) { return value_of(reason_names, s, r); }

void Operation::set(Time k, std::int64_t t) {
  if (t == never) {
    offset_[k] = absent;
    // With no time left, the next one set becomes the new base.
    based_ = std::any_of(std::begin(offset_), std::end(offset_), [](std::int32_t o) { return o != absent; });
    return;
  }
  if (!based_) {
    base_us_ = t;
    based_ = true;
  }
  // Saturating: t and the base may be any two times (never overflows).
  std::int64_t d;
  if (__builtin_sub_overflow(t, base_us_, &d)) d = t < base_us_ ? INT64_MIN : INT64_MAX;
  offset_[k] = static_cast<std::int32_t>(std::clamp<std::int64_t>(d, INT32_MIN + 1, INT32_MAX));
}

}  // namespace firedrill::history
