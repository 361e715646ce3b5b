// SPEC §2/§4 outcome rules: accepted → ok, refused → fail, anything we
// cannot be sure of → info; and when the stale keep-alive retry applies.
#include <gtest/gtest.h>

#include "history/classify.hpp"

namespace firedrill::history {
namespace {

const StatusSets defaults;

Classification of(Wire w, int status = 0) { return classify({w, status, 0}, defaults); }

TEST(Classify, AcceptedStatusesAreOk) {
  for (int s : {201, 202}) {
    EXPECT_EQ(of(Wire::complete, s).outcome, Outcome::ok);
    EXPECT_EQ(of(Wire::complete, s).reason, Reason::accepted);
  }
}

TEST(Classify, RefusedStatusesAreFail) {
  for (int s : {503, 429}) {
    EXPECT_EQ(of(Wire::complete, s).outcome, Outcome::fail);
    EXPECT_EQ(of(Wire::complete, s).reason, Reason::refused_status);
  }
}

TEST(Classify, OtherStatusesAreIndeterminate) {
  for (int s : {200, 400, 404, 500, 502, 504}) {
    EXPECT_EQ(of(Wire::complete, s).outcome, Outcome::info) << s;
    EXPECT_EQ(of(Wire::complete, s).reason, Reason::unexpected_status) << s;
  }
}

TEST(Classify, NoConnectionMeansDefinitelyNotTaken) {
  EXPECT_EQ(of(Wire::connect_refused).outcome, Outcome::fail);
  EXPECT_EQ(of(Wire::connect_failed).outcome, Outcome::fail);
}

TEST(Classify, CutConnectionsAreIndeterminateWithTheirReason) {
  EXPECT_EQ(of(Wire::reset).reason, Reason::reset);
  EXPECT_EQ(of(Wire::eof).reason, Reason::eof);
  EXPECT_EQ(of(Wire::timeout).reason, Reason::timeout);
  EXPECT_EQ(of(Wire::bad_response).reason, Reason::bad_response);
  for (Wire w : {Wire::reset, Wire::eof, Wire::timeout, Wire::bad_response}) EXPECT_EQ(of(w).outcome, Outcome::info);
}

TEST(Classify, SuiteCanRedefineTheStatusSets) {
  StatusSets custom{{200}, {409}};
  EXPECT_EQ(classify({Wire::complete, 200, 10}, custom).outcome, Outcome::ok);
  EXPECT_EQ(classify({Wire::complete, 409, 10}, custom).outcome, Outcome::fail);
  EXPECT_EQ(classify({Wire::complete, 201, 10}, custom).outcome, Outcome::info);
}

TEST(StaleKeepAlive, OnlyAReusedConnectionClosedBeforeAnyResponseByte) {
  EXPECT_TRUE(is_stale_keepalive({Wire::eof, 0, 0}, true));
  EXPECT_TRUE(is_stale_keepalive({Wire::reset, 0, 0}, true));
  EXPECT_FALSE(is_stale_keepalive({Wire::eof, 0, 0}, false)) << "a fresh connection is never stale";
  EXPECT_FALSE(is_stale_keepalive({Wire::eof, 0, 12}, true)) << "the server had started answering";
  EXPECT_FALSE(is_stale_keepalive({Wire::timeout, 0, 0}, true));
  EXPECT_FALSE(is_stale_keepalive({Wire::complete, 201, 100}, true));
}

TEST(Names, RoundTrip) {
  for (Outcome o : {Outcome::ok, Outcome::fail, Outcome::info}) {
    Outcome back;
    ASSERT_TRUE(parse_outcome(to_string(o), back));
    EXPECT_EQ(back, o);
  }
  for (Reason r : {Reason::accepted, Reason::refused_status, Reason::connect_refused, Reason::connect_failed,
                   Reason::reset, Reason::eof, Reason::timeout, Reason::unexpected_status, Reason::bad_response,
                   Reason::not_sent}) {
    Reason back;
    ASSERT_TRUE(parse_reason(to_string(r), back));
    EXPECT_EQ(back, r);
  }
}

}  // namespace
}  // namespace firedrill::history
