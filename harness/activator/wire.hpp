// An HTTP/1.1 message as its bytes on the wire, in one contiguous buffer:
// the activator writes each forwarded request and each answer with one
// send of one buffer. Beast's serializer walks a view of several buffers
// per field, and the send then carries one iovec per piece; on a warm pod
// that was a fifth of the activator's own time per request (bench/activator).
// The message is written as it is: call prepare_payload() first, so its
// Content-Length matches its body and no Transfer-Encoding is left.
#pragma once
#include <string>

#include <boost/beast/http/message.hpp>
#include <boost/beast/http/string_body.hpp>

namespace firedrill::activator {

void append_wire(std::string& out, const boost::beast::http::request<boost::beast::http::string_body>& req);
void append_wire(std::string& out, const boost::beast::http::response<boost::beast::http::string_body>& res);

}  // namespace firedrill::activator
