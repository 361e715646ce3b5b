#include "pod/output_tail.hpp"

namespace firedrill::pod {

void OutputTail::append(std::string_view bytes) {
  total_ += bytes.size();
  if (bytes.size() >= capacity_) bytes = bytes.substr(bytes.size() - capacity_);
  for (char c : bytes) {
    if (ring_.size() < capacity_) {
      ring_.push_back(c);
    } else {
      ring_[head_] = c;
      head_ = (head_ + 1) % capacity_;
    }
  }
  kept_ = ring_.size();
}

std::string OutputTail::text() const {
  if (ring_.size() < capacity_) return ring_;
  return ring_.substr(head_) + ring_.substr(0, head_);
}

}  // namespace firedrill::pod
