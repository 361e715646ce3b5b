// Keeps the last `capacity` bytes a container wrote to stdout/stderr and
// counts the rest, so a target that floods its output cannot grow the
// harness's memory. Reports show the tail and say how much was cut.
#pragma once
#include <cstddef>
#include <string>
#include <string_view>

namespace firedrill::pod {

class OutputTail {
 public:
  explicit OutputTail(std::size_t capacity = 64 * 1024) : capacity_(capacity) {}
  void append(std::string_view bytes);
  // The kept bytes, oldest first.
  std::string text() const;
  std::size_t total_bytes() const { return total_; }
  std::size_t dropped_bytes() const { return total_ - kept_; }

 private:
  std::size_t capacity_;
  std::string ring_;      // grows to capacity_, then wraps at head_
  std::size_t head_ = 0;  // next write position once full
  std::size_t kept_ = 0;
  std::size_t total_ = 0;
};

}  // namespace firedrill::pod
