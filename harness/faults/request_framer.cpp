#include "faults/request_framer.hpp"

#include <boost/asio/buffer.hpp>

namespace firedrill::faults {
namespace http = boost::beast::http;

RequestFramer::RequestFramer() {
  parser_.eager(true);
  parser_.header_limit(header_limit);
  parser_.body_limit(body_limit);
}

RequestFramer::State RequestFramer::feed(std::string_view buffered) {
  while (!parser_.is_done()) {
    if (used_ == buffered.size()) return State::need_more;
    boost::system::error_code ec;
    used_ += parser_.put(boost::asio::buffer(buffered.data() + used_, buffered.size() - used_), ec);
    if (ec == http::error::need_more) return State::need_more;
    // Not HTTP (or beyond our bounds): the caller stops looking.
    if (ec) return State::opaque;
  }
  return State::done;
}

}  // namespace firedrill::faults
