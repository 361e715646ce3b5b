#include "telemetry/gzip_body.hpp"

#include <zlib.h>

namespace firedrill::telemetry {

Inflated inflate_gzip(std::string_view gzip, std::size_t limit) {
  Inflated out;
  z_stream z{};
  // 16 + MAX_WBITS: a gzip header and trailer, not a raw zlib stream.
  if (inflateInit2(&z, 16 + MAX_WBITS) != Z_OK) {
    out.error = "zlib could not start";
    return out;
  }
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(gzip.data()));
  z.avail_in = static_cast<uInt>(gzip.size());
  char chunk[64 * 1024];
  int rc = Z_OK;
  while (rc == Z_OK) {
    z.next_out = reinterpret_cast<Bytef*>(chunk);
    z.avail_out = sizeof chunk;
    rc = inflate(&z, Z_NO_FLUSH);
    if (rc != Z_OK && rc != Z_STREAM_END) break;
    out.body.append(chunk, sizeof chunk - z.avail_out);
    if (out.body.size() > limit) {
      out.too_large = true;
      out.body.clear();
      break;
    }
    if (rc == Z_OK && z.avail_in == 0 && z.avail_out != 0) {
      rc = Z_BUF_ERROR;  // the input ended before the stream did
      break;
    }
  }
  inflateEnd(&z);
  if (!out.too_large && rc != Z_STREAM_END) {
    out.error = "not a complete gzip stream";
    out.body.clear();
  }
  return out;
}

}  // namespace firedrill::telemetry
