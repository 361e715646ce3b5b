// Captured output is bounded: the newest bytes are kept, the rest counted.
#include <gtest/gtest.h>

#include "pod/output_tail.hpp"

namespace firedrill::pod {
namespace {

TEST(OutputTail, KeepsEverythingBelowCapacity) {
  OutputTail t(10);
  t.append("abc");
  t.append("def");
  EXPECT_EQ(t.text(), "abcdef");
  EXPECT_EQ(t.dropped_bytes(), 0u);
}

TEST(OutputTail, KeepsTheNewestBytes) {
  OutputTail t(5);
  t.append("abc");
  t.append("defg");
  EXPECT_EQ(t.text(), "cdefg");
  t.append("0123456789");
  EXPECT_EQ(t.text(), "56789");
  EXPECT_EQ(t.total_bytes(), 17u);
  EXPECT_EQ(t.dropped_bytes(), 12u);
}

TEST(OutputTail, MemoryStaysBoundedUnderAFlood) {
  OutputTail t(1024);
  std::string chunk(4096, 'x');
  for (int i = 0; i < 1000; ++i) t.append(chunk);
  EXPECT_EQ(t.text().size(), 1024u);
  EXPECT_EQ(t.total_bytes(), 4096u * 1000);
}

}  // namespace
}  // namespace firedrill::pod
