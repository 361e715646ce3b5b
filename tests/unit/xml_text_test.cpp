// Whatever an app prints, the report stays well-formed XML 1.0.
#include <gtest/gtest.h>

#include "reports/xml_text.hpp"

namespace firedrill::reports {
namespace {

TEST(XmlEscape, Markup) {
  EXPECT_EQ(xml_escape("<a href=\"x\">&'</a>"), "&lt;a href=&quot;x&quot;&gt;&amp;&apos;&lt;/a&gt;");
  EXPECT_EQ(xml_escape("]]>"), "]]&gt;");
}

TEST(XmlEscape, ForbiddenBytesBecomeVisible) {
  EXPECT_EQ(xml_escape(std::string("a\0b", 3)), "a\\x00b");
  EXPECT_EQ(xml_escape("\x1b[31mred\x1b[0m"), "\\x1b[31mred\\x1b[0m");
  EXPECT_EQ(xml_escape("\xff\xfe"), "\\xff\\xfe");
  EXPECT_EQ(xml_escape("\xc3("), "\\xc3(") << "truncated sequence";
  EXPECT_EQ(xml_escape("\xed\xa0\x80"), "\\xed\\xa0\\x80") << "UTF-16 surrogate";
  EXPECT_EQ(xml_escape("\xc0\xaf"), "\\xc0\\xaf") << "overlong encoding";
}

TEST(XmlEscape, ValidTextIsKept) {
  EXPECT_EQ(xml_escape("line\nnext"), "line\nnext");
  EXPECT_EQ(xml_escape("tab\there"), "tab&#9;here");
  EXPECT_EQ(xml_escape("caf\xc3\xa9 \xe2\x9c\x93 \xf0\x9f\x8d\x95"), "caf\xc3\xa9 \xe2\x9c\x93 \xf0\x9f\x8d\x95");
}

}  // namespace
}  // namespace firedrill::reports
