#include "history/order_id.hpp"

#include <cstring>

namespace firedrill::history {
namespace {

constexpr char hex_digits[] = "0123456789abcdef";

std::size_t write_generated(char* out, std::uint32_t prefix, std::uint32_t serial) {
  std::memcpy(out, "ord-", 4);
  for (int i = 0; i < 8; ++i) out[4 + i] = hex_digits[(prefix >> (28 - 4 * i)) & 0xfu];
  out[12] = '-';
  // The serial in decimal, at least six digits (as "{:06}"), written from
  // the right two digits at a time.
  static constexpr char pairs[] =
      "00010203040506070809101112131415161718192021222324252627282930313233343536373839"
      "40414243444546474849505152535455565758596061626364656667686970717273747576777879"
      "8081828384858687888990919293949596979899";
  const int n = serial >= 1'000'000'000 ? 10 : serial >= 100'000'000 ? 9 : serial >= 10'000'000 ? 8
              : serial >= 1'000'000   ? 7
                                      : 6;
  char* p = out + 13 + n;
  while (p > out + 13 + 1) {
    const auto two = serial % 100;
    serial /= 100;
    p -= 2;
    std::memcpy(p, pairs + 2 * two, 2);
  }
  if (p > out + 13) *--p = static_cast<char>('0' + serial % 10);
  return 13 + static_cast<std::size_t>(n);
}

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  return -1;
}

// The generated form, exactly as write_generated spells it, or false.
bool parse_generated(std::string_view s, std::uint32_t& prefix, std::uint32_t& serial) {
  if (s.size() < 19 || s.size() > OrderId::max_generated_size || s.substr(0, 4) != "ord-" || s[12] != '-') return false;
  std::uint32_t p = 0;
  for (std::size_t i = 4; i < 12; ++i) {
    const int d = hex_value(s[i]);
    if (d < 0) return false;
    p = p << 4 | static_cast<std::uint32_t>(d);
  }
  std::uint64_t v = 0;
  for (std::size_t i = 13; i < s.size(); ++i) {
    if (s[i] < '0' || s[i] > '9') return false;
    v = v * 10 + static_cast<std::uint64_t>(s[i] - '0');
  }
  if (v > OrderId::max_serial) return false;
  // Extra leading zeros would not spell back the same: such text stays text.
  char back[OrderId::max_generated_size];
  if (std::string_view(back, write_generated(back, p, static_cast<std::uint32_t>(v))) != s) return false;
  prefix = p;
  serial = static_cast<std::uint32_t>(v);
  return true;
}

}  // namespace

OrderId::OrderId(std::string_view text) {
  std::uint32_t prefix, serial;
  if (text.empty()) return;
  if (parse_generated(text, prefix, serial)) {
    *this = generated(prefix, serial);
    return;
  }
  bits_ = reinterpret_cast<std::uintptr_t>(new std::string(text));
}

OrderId OrderId::generated(std::uint32_t prefix, std::uint32_t serial) {
  OrderId id;
  id.bits_ = static_cast<std::uintptr_t>(prefix) << 32 | static_cast<std::uintptr_t>(serial & max_serial) << 1 | 1u;
  return id;
}

OrderId::OrderId(const OrderId& o) : bits_(o.bits_) {
  if (bits_ && !is_generated()) bits_ = reinterpret_cast<std::uintptr_t>(new std::string(*o.owned()));
}

OrderId& OrderId::operator=(const OrderId& o) {
  if (this != &o) *this = OrderId(o);
  return *this;
}

OrderId& OrderId::operator=(OrderId&& o) noexcept {
  if (this != &o) {
    if (bits_ && !is_generated()) delete owned();
    bits_ = o.bits_;
    o.bits_ = 0;
  }
  return *this;
}

OrderId::~OrderId() {
  if (bits_ && !is_generated()) delete owned();
}

std::size_t OrderId::write(char* out, std::size_t capacity) const {
  if (is_generated()) {
    if (capacity < max_generated_size) return 0;
    return write_generated(out, static_cast<std::uint32_t>(bits_ >> 32),
                           static_cast<std::uint32_t>(bits_ >> 1) & max_serial);
  }
  if (!bits_) return 0;
  const std::string& s = *owned();
  if (capacity < s.size()) return 0;
  std::memcpy(out, s.data(), s.size());
  return s.size();
}

std::string OrderId::str() const {
  if (!bits_) return {};
  if (!is_generated()) return *owned();
  char buf[max_generated_size];
  return std::string(buf, write(buf, sizeof buf));
}

bool operator<(const OrderId& a, const OrderId& b) {
  const int ka = !a.bits_ ? 0 : a.is_generated() ? 1 : 2, kb = !b.bits_ ? 0 : b.is_generated() ? 1 : 2;
  if (ka != kb) return ka < kb;
  if (ka == 1) return a.bits_ < b.bits_;
  return ka == 2 && *a.owned() < *b.owned();
}

std::size_t hash_value(const OrderId& id) {
  if (id.bits_ == 0 || id.is_generated()) {
    // A mix of the word (splitmix64's finaliser): serials are dense, and an
    // open-addressing table wants its low bits spread.
    std::uint64_t x = id.bits_;
    x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ull;
    x = (x ^ (x >> 27)) * 0x94d049bb133111ebull;
    return static_cast<std::size_t>(x ^ (x >> 31));
  }
  return std::hash<std::string>{}(*id.owned());
}

bool operator==(const OrderId& a, const OrderId& b) {
  if (a.bits_ == b.bits_) return true;
  // Text in the generated form is always stored compact, so a generated id
  // never equals an owned one; two owned ones compare as text.
  if (!a.bits_ || !b.bits_ || a.is_generated() || b.is_generated()) return false;
  return *a.owned() == *b.owned();
}

}  // namespace firedrill::history
