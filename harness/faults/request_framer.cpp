#include "faults/request_framer.hpp"

#include <boost/asio/buffer.hpp>

namespace firedrill::faults {
namespace http = boost::beast::http;

RequestFramer::RequestFramer() { restart(); }

void RequestFramer::restart() {
  parser_.emplace();
  parser_->eager(true);
  parser_->header_limit(header_limit);
  parser_->body_limit(body_limit);
  used_ = 0;
}

RequestFramer::State RequestFramer::feed(std::string_view buffered) {
  // Once Beast found a header incomplete it only looks for the header's end
  // before it reads on, so an error in the request line or a field surfaced
  // only at that end (or 64 KB on): a stream that is not HTTP after all was
  // held when it came in pieces and passed on at once when it came whole.
  // Until the header is complete, parse it again from its first byte: at
  // most header_limit bytes per read, and a header comes in one or two.
  if (fed_ && !parser_->is_header_done()) restart();
  fed_ = true;
  while (!parser_->is_done()) {
    if (used_ == buffered.size()) return State::need_more;
    boost::system::error_code ec;
    used_ += parser_->put(boost::asio::buffer(buffered.data() + used_, buffered.size() - used_), ec);
    if (ec == http::error::need_more) return State::need_more;
    // Not HTTP (or beyond our bounds): the caller stops looking.
    if (ec) return State::opaque;
  }
  return State::done;
}

}  // namespace firedrill::faults
