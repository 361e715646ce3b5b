// Reads one HTTP/1.1 response on the load generator's hot path and keeps
// only what a recorded order needs: the status and whether the connection
// stays open; the body is counted and dropped. The common shape (a status
// line, plain fields, a Content-Length body) is read by hand; anything else
// (chunked, 1xx, no length, obs-fold, odd bytes) goes to Beast's parser
// from its first byte, so the answer is always Beast's (Beast may notice a
// malformed field before the header ends, this waits for the end of the
// header or of the connection: either way the response is not done, and at
// the end both call it an error). Same contract as
// beast::http::basic_parser::put: returns the bytes consumed and sets
// http::error::need_more while the message is incomplete.
#pragma once
#include <cstdint>

#include <boost/asio/buffer.hpp>
#include <boost/beast/http/basic_parser.hpp>

namespace firedrill::load {

class ResponseReader {
 public:
  static constexpr std::size_t header_limit = 8 * 1024;
  static constexpr std::uint64_t body_limit = 1024 * 1024;

  ResponseReader() = default;
  ResponseReader(const ResponseReader&) = delete;
  ResponseReader& operator=(const ResponseReader&) = delete;

  std::size_t put(boost::asio::const_buffer bytes, boost::beast::error_code& ec);
  // The connection ended: completes a response that runs until the end,
  // otherwise http::error::partial_message.
  void put_eof(boost::beast::error_code& ec);
  bool is_done() const;
  int status() const;
  bool keep_alive() const;
  bool used_beast() const { return mode_ == Mode::beast; }  // for tests

 private:
  // Beast's parser, storing nothing.
  class Beast final : public boost::beast::http::basic_parser<false> {
   public:
    Beast();
    int status = 0;

   private:
    using ec_t = boost::beast::error_code;
    using sv = boost::beast::string_view;
    void on_request_impl(boost::beast::http::verb, sv, sv, int, ec_t&) override {}
    void on_response_impl(int code, sv, int, ec_t&) override { status = code; }
    void on_field_impl(boost::beast::http::field, sv, sv, ec_t&) override {}
    void on_header_impl(ec_t&) override {}
    void on_body_init_impl(const boost::optional<std::uint64_t>&, ec_t&) override {}
    std::size_t on_body_impl(sv body, ec_t&) override { return body.size(); }
    void on_chunk_header_impl(std::uint64_t, sv, ec_t&) override {}
    std::size_t on_chunk_body_impl(std::uint64_t, sv body, ec_t&) override { return body.size(); }
    void on_finish_impl(ec_t&) override {}
  };
  enum class Mode { header, body, done, beast };
  // The header block [0, size) ends with CRLF CRLF; false: not the common shape.
  bool read_header(const char* p, std::size_t size);

  Mode mode_ = Mode::header;
  std::uint64_t remaining_ = 0;  // body bytes still to come
  int status_ = 0;
  bool keep_alive_ = false;
  Beast beast_;
};

}  // namespace firedrill::load
