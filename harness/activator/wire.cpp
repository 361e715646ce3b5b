#include "activator/wire.hpp"

namespace firedrill::activator {
namespace http = boost::beast::http;
namespace {

void append_version(std::string& out, unsigned version) {
  out += "HTTP/";
  out += static_cast<char>('0' + version / 10);
  out += '.';
  out += static_cast<char>('0' + version % 10);
}

template <bool IsRequest>
void append_fields_and_body(std::string& out, const http::message<IsRequest, http::string_body>& m) {
  for (const auto& f : m) {
    out += f.name_string();
    out += ": ";
    out += f.value();
    out += "\r\n";
  }
  out += "\r\n";
  out += m.body();
}

}  // namespace

void append_wire(std::string& out, const http::request<http::string_body>& req) {
  out += req.method_string();
  out += ' ';
  out += req.target();
  out += ' ';
  append_version(out, req.version());
  out += "\r\n";
  append_fields_and_body(out, req);
}

void append_wire(std::string& out, const http::response<http::string_body>& res) {
  append_version(out, res.version());
  out += ' ';
  out += std::to_string(res.result_int());
  out += ' ';
  out += res.reason();
  out += "\r\n";
  append_fields_and_body(out, res);
}

}  // namespace firedrill::activator
