// An order id in 8 bytes. The harness's own ids ("ord-<8 hex>-<serial>",
// made by load::OrderSource from the seed) are kept as their two numbers and
// spelled out only when asked; any other text (a hand-built history, an
// edited run folder) is kept as an owned string. Either way the id reads,
// compares and prints as the text it stands for, so a history of a million
// orders does not carry a million strings.
#pragma once
#include <cstdint>
#include <functional>
#include <ostream>
#include <string>
#include <string_view>

#include <fmt/format.h>

namespace firedrill::history {

class OrderId {
 public:
  // Longest generated id: "ord-" + 8 hex + "-" + 10 digits.
  static constexpr std::size_t max_generated_size = 23;
  static constexpr std::uint32_t max_serial = 0x7fffffffu;

  OrderId() = default;
  // Text in the generated form becomes the compact form, so equal text is
  // always an equal OrderId.
  OrderId(std::string_view text);
  OrderId(const std::string& text) : OrderId(std::string_view(text)) {}
  OrderId(const char* text) : OrderId(std::string_view(text)) {}
  // serial <= max_serial.
  static OrderId generated(std::uint32_t prefix, std::uint32_t serial);

  OrderId(const OrderId& o);
  OrderId(OrderId&& o) noexcept : bits_(o.bits_) { o.bits_ = 0; }
  OrderId& operator=(const OrderId& o);
  OrderId& operator=(OrderId&& o) noexcept;
  ~OrderId();

  std::string str() const;
  // So maps and lists keyed by the id text take an OrderId as they took the
  // string (it costs the spelling, as str() does).
  operator std::string() const { return str(); }
  // Writes the text into `out` and returns its length, or 0 if it needs
  // more than `capacity` bytes (a generated id needs max_generated_size at
  // most). No allocation.
  std::size_t write(char* out, std::size_t capacity) const;
  bool empty() const { return bits_ == 0; }
  bool is_generated() const { return bits_ & 1u; }

  friend bool operator==(const OrderId& a, const OrderId& b);
  // A strict order for sorted tables: the empty id, then generated ids (by
  // prefix and serial), then any other text (as text).
  friend bool operator<(const OrderId& a, const OrderId& b);
  // For hash tables keyed by id (boost::hash finds it): equal ids hash
  // equal, a generated id by its word, any other by its text.
  friend std::size_t hash_value(const OrderId& id);
  friend std::ostream& operator<<(std::ostream& os, const OrderId& id) { return os << id.str(); }

 private:
  const std::string* owned() const { return reinterpret_cast<const std::string*>(bits_); }
  // 0: empty; odd: generated, prefix << 32 | serial << 1 | 1; even: an owned
  // heap std::string (its address is at least 2-aligned).
  std::uintptr_t bits_ = 0;
};
static_assert(sizeof(OrderId) == 8, "an order id is one machine word");

}  // namespace firedrill::history

template <>
struct std::hash<firedrill::history::OrderId> {
  std::size_t operator()(const firedrill::history::OrderId& id) const { return hash_value(id); }
};

template <>
struct fmt::formatter<firedrill::history::OrderId> : fmt::formatter<std::string_view> {
  template <class Ctx>
  auto format(const firedrill::history::OrderId& id, Ctx& ctx) const {
    return fmt::formatter<std::string_view>::format(id.str(), ctx);
  }
};
