#include "load/response_reader.hpp"

#include <algorithm>
#include <array>
#include <cstring>
#include <string_view>

#include <boost/beast/http/error.hpp>

namespace firedrill::load {
namespace http = boost::beast::http;

namespace {

using CharClass = std::array<bool, 256>;
// RFC 7230 token characters (field names).
constexpr CharClass tchar = [] {
  CharClass t{};
  for (int c = 0; c < 256; ++c)
    t[c] = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
  for (char c : std::string_view("!#$%&'*+-.^_`|~")) t[static_cast<unsigned char>(c)] = true;
  return t;
}();
// What a field value or reason phrase may hold: HTAB, SP, VCHAR, obs-text.
constexpr CharClass field_char = [] {
  CharClass t{};
  for (int c = 0; c < 256; ++c) t[c] = c == '\t' || (c >= 0x20 && c != 0x7f);
  return t;
}();

bool iequals(std::string_view a, std::string_view lower) {
  return a.size() == lower.size() &&
         std::equal(a.begin(), a.end(), lower.begin(), [](char x, char y) { return (x | 0x20) == y; });
}

std::string_view trim(std::string_view v) {
  while (!v.empty() && (v.front() == ' ' || v.front() == '\t')) v.remove_prefix(1);
  while (!v.empty() && (v.back() == ' ' || v.back() == '\t')) v.remove_suffix(1);
  return v;
}

}  // namespace

ResponseReader::Beast::Beast() {
  body_limit(ResponseReader::body_limit);
  header_limit(ResponseReader::header_limit);
  eager(true);
}

bool ResponseReader::read_header(const char* p, std::size_t size) {
  std::string_view h(p, size);
  // Status line: "HTTP/1.x NNN reason\r\n".
  if (h.size() < 14 || h.substr(0, 7) != "HTTP/1." || (h[7] != '0' && h[7] != '1') || h[8] != ' ') return false;
  const bool http11 = h[7] == '1';
  for (int i = 9; i < 12; ++i)
    if (h[i] < '0' || h[i] > '9') return false;
  status_ = (h[9] - '0') * 100 + (h[10] - '0') * 10 + (h[11] - '0');
  // No body or a special one (1xx, 204, 304): Beast's rules.
  if (status_ < 200 || status_ == 204 || status_ == 304 || h[12] != ' ') return false;
  // One pass per line. The block ends with CRLF CRLF and CR is in neither
  // class, so no scan runs past it.
  auto at = [&h](std::size_t i) { return static_cast<unsigned char>(h[i]); };
  std::size_t i = 13;
  while (field_char[at(i)]) ++i;
  if (h[i] != '\r' || h[i + 1] != '\n') return false;
  i += 2;
  bool have_length = false, close = false, keep = false;
  std::uint64_t length = 0;
  while (h[i] != '\r') {
    const std::size_t name_at = i;
    while (tchar[at(i)]) ++i;
    if (i == name_at || h[i] != ':') return false;  // also an obs-fold line, which starts with SP
    const std::string_view name = h.substr(name_at, i - name_at);
    const std::size_t value_at = ++i;
    while (field_char[at(i)]) ++i;
    if (h[i] != '\r' || h[i + 1] != '\n') return false;
    const std::string_view value = trim(h.substr(value_at, i - value_at));
    i += 2;
    if (iequals(name, "content-length")) {
      if (have_length || value.empty() || value.size() > 18) return false;
      for (char c : value) {
        if (c < '0' || c > '9') return false;
        length = length * 10 + static_cast<std::uint64_t>(c - '0');
      }
      have_length = true;
    } else if (iequals(name, "transfer-encoding") || iequals(name, "upgrade")) {
      return false;
    } else if (iequals(name, "connection")) {
      std::string_view rest = value;
      while (true) {
        const auto comma = rest.find(',');
        const std::string_view token = trim(rest.substr(0, comma));
        if (iequals(token, "close")) close = true;
        else if (iequals(token, "keep-alive")) keep = true;
        else return false;
        if (comma == std::string_view::npos) break;
        rest.remove_prefix(comma + 1);
      }
    }
  }
  if (h[i + 1] != '\n') return false;
  if (!have_length || length > body_limit || (close && keep)) return false;
  remaining_ = length;
  keep_alive_ = http11 ? !close : keep;
  return true;
}

std::size_t ResponseReader::put(boost::asio::const_buffer bytes, boost::beast::error_code& ec) {
  ec = {};
  const char* p = static_cast<const char*>(bytes.data());
  std::size_t consumed = 0;
  switch (mode_) {
    case Mode::beast:
      return beast_.put(bytes, ec);
    case Mode::done:
      return 0;
    case Mode::header: {
      const std::string_view all(p, bytes.size());
      const auto end = all.substr(0, header_limit).find("\r\n\r\n");
      if (end == std::string_view::npos) {
        if (all.size() < header_limit) {
          ec = http::error::need_more;
          return 0;
        }
        mode_ = Mode::beast;  // Beast says what is wrong with it
        return beast_.put(bytes, ec);
      }
      if (!read_header(p, end + 4)) {
        mode_ = Mode::beast;
        return beast_.put(bytes, ec);
      }
      mode_ = Mode::body;
      consumed = end + 4;
      [[fallthrough]];
    }
    case Mode::body: {
      const std::uint64_t take = std::min<std::uint64_t>(remaining_, bytes.size() - consumed);
      remaining_ -= take;
      consumed += static_cast<std::size_t>(take);
      if (remaining_ == 0) mode_ = Mode::done;
      else ec = http::error::need_more;
      return consumed;
    }
  }
  return consumed;
}

void ResponseReader::put_eof(boost::beast::error_code& ec) {
  ec = {};
  if (mode_ == Mode::beast) return beast_.put_eof(ec);
  // The common shape always has a length: ending early cuts it.
  if (mode_ != Mode::done) ec = http::error::partial_message;
}

bool ResponseReader::is_done() const { return mode_ == Mode::beast ? beast_.is_done() : mode_ == Mode::done; }
int ResponseReader::status() const { return mode_ == Mode::beast ? beast_.status : status_; }
bool ResponseReader::keep_alive() const { return mode_ == Mode::beast ? beast_.keep_alive() : keep_alive_; }

}  // namespace firedrill::load
