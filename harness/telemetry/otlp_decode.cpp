#include "telemetry/otlp_decode.hpp"

#include <google/protobuf/io/coded_stream.h>
#include <google/protobuf/wire_format_lite.h>

#include <boost/json/parser.hpp>
#include <fmt/format.h>

namespace firedrill::telemetry {
namespace {

using google::protobuf::io::CodedInputStream;
using google::protobuf::internal::WireFormatLite;

constexpr std::string_view order_id_key = "order.id";

// ---- protobuf ----

// Reads one message's fields, calling `on(field, reader)` for each
// length-delimited one with a reader limited to it; skips the rest.
// False on malformed bytes.
template <class OnField>
bool each_field(CodedInputStream& in, OnField on) {
  for (;;) {
    const std::uint32_t tag = in.ReadTag();
    // The end of the message (its limit, or the whole body), not a bad tag.
    if (tag == 0) return in.BytesUntilLimit() == 0 || (in.BytesUntilLimit() < 0 && in.ExpectAtEnd());
    const int field = WireFormatLite::GetTagFieldNumber(tag);
    if (WireFormatLite::GetTagWireType(tag) == WireFormatLite::WIRETYPE_LENGTH_DELIMITED) {
      std::uint32_t size = 0;
      if (!in.ReadVarint32(&size) || static_cast<int>(size) < 0)
        return false;
      const auto limit = in.PushLimit(static_cast<int>(size));
      const bool ok = on(field, in);
      if (!ok) return false;
      if (!in.Skip(in.BytesUntilLimit())) return false;  // what `on` left unread
      in.PopLimit(limit);
    } else if (!WireFormatLite::SkipField(&in, tag)) {
      return false;
    }
  }
}

// AnyValue { string string_value = 1; int64 int_value = 3; ... }: the text
// of a string or an int, else "".
bool any_value(CodedInputStream& in, std::string& out) {
  for (;;) {
    const std::uint32_t tag = in.ReadTag();
    if (tag == 0) return true;
    const int field = WireFormatLite::GetTagFieldNumber(tag);
    const auto wire = WireFormatLite::GetTagWireType(tag);
    if (field == 1 && wire == WireFormatLite::WIRETYPE_LENGTH_DELIMITED) {
      if (!WireFormatLite::ReadString(&in, &out)) return false;
    } else if (field == 3 && wire == WireFormatLite::WIRETYPE_VARINT) {
      std::uint64_t v = 0;
      if (!in.ReadVarint64(&v)) return false;
      out = std::to_string(static_cast<std::int64_t>(v));
    } else if (!WireFormatLite::SkipField(&in, tag)) {
      return false;
    }
  }
}

// KeyValue { string key = 1; AnyValue value = 2; }: adds the value when the key is order.id.
bool key_value(CodedInputStream& in, std::vector<std::string>& ids) {
  std::string key, value;
  bool has_value = false;
  const bool ok = each_field(in, [&](int field, CodedInputStream& f) {
    if (field == 1) return f.ReadString(&key, f.BytesUntilLimit());
    if (field == 2) {
      has_value = true;
      return any_value(f, value);
    }
    return true;
  });
  if (ok && has_value && key == order_id_key && !value.empty()) ids.push_back(std::move(value));
  return ok;
}

// A span (attributes = 9) or a log record (attributes = 6).
bool record(CodedInputStream& in, int attributes_field, Decoded& out) {
  ++out.records;
  std::vector<std::string> ids;
  const bool ok = each_field(in, [&](int field, CodedInputStream& f) {
    return field == attributes_field ? key_value(f, ids) : true;
  });
  if (!ids.empty()) out.order_ids.push_back(ids.back());
  return ok;
}

// Scope{Spans,Logs}: the records are field 2.
bool scope(CodedInputStream& in, int attributes_field, Decoded& out) {
  return each_field(in, [&](int field, CodedInputStream& f) { return field == 2 ? record(f, attributes_field, out) : true; });
}

// Resource{Spans,Logs}: the scopes are field 2.
bool resource(CodedInputStream& in, int attributes_field, Decoded& out) {
  return each_field(in, [&](int field, CodedInputStream& f) { return field == 2 ? scope(f, attributes_field, out) : true; });
}

// ---- JSON ----

const boost::json::value* member(const boost::json::object& o, std::string_view camel, std::string_view snake) {
  if (auto* v = o.if_contains(camel)) return v;
  return o.if_contains(snake);
}

const boost::json::array* array_member(const boost::json::value& v, std::string_view camel, std::string_view snake) {
  if (!v.is_object()) return nullptr;
  auto* m = member(v.get_object(), camel, snake);
  return m && m->is_array() ? &m->get_array() : nullptr;
}

}  // namespace

std::variant<Decoded, std::string> decode_protobuf(Signal signal, std::string_view body) {
  Decoded out;
  CodedInputStream in(reinterpret_cast<const std::uint8_t*>(body.data()), static_cast<int>(body.size()));
  const int attributes_field = signal == Signal::traces ? 9 : 6;
  const bool ok = each_field(in, [&](int field, CodedInputStream& f) {
    return field == 1 ? resource(f, attributes_field, out) : true;
  });
  if (!ok) return fmt::format("malformed protobuf near byte {}", in.CurrentPosition());
  return out;
}

std::variant<Decoded, std::string> decode_json(Signal signal, std::string_view body) {
  boost::system::error_code ec;
  boost::json::parse_options options;
  options.max_depth = 64;
  boost::json::parser p({}, options);
  p.write(body.data(), body.size(), ec);
  if (ec) return fmt::format("malformed JSON: {}", ec.message());
  const auto doc = p.release();
  const bool traces = signal == Signal::traces;
  Decoded out;
  const auto* resources = array_member(doc, traces ? "resourceSpans" : "resourceLogs", traces ? "resource_spans" : "resource_logs");
  if (!resources) return out;
  for (const auto& r : *resources) {
    const auto* scopes = array_member(r, traces ? "scopeSpans" : "scopeLogs", traces ? "scope_spans" : "scope_logs");
    if (!scopes) continue;
    for (const auto& sc : *scopes) {
      const auto* records = array_member(sc, traces ? "spans" : "logRecords", traces ? "spans" : "log_records");
      if (!records) continue;
      for (const auto& rec : *records) {
        ++out.records;
        const auto* attributes = array_member(rec, "attributes", "attributes");
        if (!attributes) continue;
        for (const auto& kv : *attributes) {
          if (!kv.is_object()) continue;
          const auto* key = kv.get_object().if_contains("key");
          const auto* value = kv.get_object().if_contains("value");
          if (!key || !key->is_string() || key->get_string() != order_id_key || !value || !value->is_object()) continue;
          const auto& v = value->get_object();
          if (const auto* s = member(v, "stringValue", "string_value"); s && s->is_string())
            out.order_ids.emplace_back(s->get_string());
          else if (const auto* i = member(v, "intValue", "int_value")) {
            if (i->is_string()) out.order_ids.emplace_back(i->get_string());
            else if (i->is_int64()) out.order_ids.push_back(std::to_string(i->get_int64()));
          }
        }
      }
    }
  }
  return out;
}

}  // namespace firedrill::telemetry
