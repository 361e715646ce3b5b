// Each Toxiproxy toxic type as the firedrill fault it becomes: names,
// units (ms; slicer's delay in µs; bandwidth in KB/s) and what a zero means.
#include <gtest/gtest.h>

#include <boost/json/parse.hpp>

#include "toxiproxy/toxics.hpp"

namespace firedrill::toxiproxy {
namespace {

using faults::Direction;
using Params = std::map<std::string, std::string>;

faults::FaultSpec spec_of(const std::string& body) {
  std::vector<std::string> warnings;
  auto made = new_toxic(boost::json::parse(body), [](std::string_view) { return false; }, warnings);
  if (auto* e = std::get_if<ApiError>(&made)) {
    ADD_FAILURE() << body << ": " << e->message;
    return {};
  }
  auto spec = fault_spec(std::get<Toxic>(made));
  EXPECT_EQ(faults::validate(spec), std::nullopt) << body;
  return spec;
}

TEST(ToxiproxyToxics, EachTypeMapsOntoAFiredrillFaultInItsUnits) {
  struct Case {
    const char* body;
    const char* type;
    Params params;
  } cases[] = {
      {R"({"type":"latency","attributes":{"latency":100,"jitter":20}})", "latency", {{"latency", "100ms"}, {"jitter", "20ms"}}},
      {R"({"type":"bandwidth","attributes":{"rate":64}})", "bandwidth", {{"rate", "62.5"}}},  // 64000 B/s in 1024-byte KB
      {R"({"type":"slow_close","attributes":{"delay":250}})", "slow-close", {{"delay", "250ms"}}},
      {R"({"type":"timeout","attributes":{"timeout":300}})", "blackhole", {{"close-after", "300ms"}}},
      {R"({"type":"timeout","attributes":{"timeout":0}})", "blackhole", {{"close-on-removal", "true"}}},
      {R"({"type":"reset_peer","attributes":{"timeout":50}})", "reset", {{"after", "50ms"}}},
      {R"({"type":"reset_peer"})", "reset", {{"after", "0ms"}}},
      {R"({"type":"slicer","attributes":{"average_size":8,"size_variation":3,"delay":500}})", "slicer",
       {{"size", "8"}, {"variation", "3"}, {"delay", "500us"}}},
      {R"({"type":"limit_data","attributes":{"bytes":1000}})", "cut", {{"bytes", "1000"}}},
      {R"({"type":"http-status","attributes":{"status":429}})", "http-status", {{"status", "429"}}},
  };
  for (const auto& c : cases) {
    auto spec = spec_of(c.body);
    EXPECT_EQ(spec.type, c.type) << c.body;
    EXPECT_EQ(spec.params, c.params) << c.body;
    EXPECT_EQ(spec.direction, spec.type.starts_with("http") ? Direction::both : Direction::downstream) << c.body;
    EXPECT_EQ(spec.probability, 1.0) << c.body;
  }
}

TEST(ToxiproxyToxics, StreamAndToxicityBecomeDirectionAndProbability) {
  auto spec = spec_of(R"({"type":"latency","stream":"UpStream","toxicity":0.25,"attributes":{"latency":1}})");
  EXPECT_EQ(spec.direction, Direction::upstream);
  EXPECT_EQ(spec.probability, 0.25);
  EXPECT_EQ(spec_of(R"({"type":"latency","toxicity":7})").probability, 1.0) << "above 1: always, as Toxiproxy";
}

TEST(ToxiproxyToxics, ANoopStaysOffTheDataPath) { EXPECT_EQ(spec_of(R"({"type":"noop"})").probability, 0.0); }

TEST(ToxiproxyToxics, BandwidthZeroHoldsEverythingUntilRemovedAsToxiproxysDoes) {
  auto spec = spec_of(R"({"type":"bandwidth","attributes":{"rate":0}})");
  EXPECT_EQ(spec.type, "latency");
  EXPECT_EQ(spec.params.at("latency"), "8760h");
  EXPECT_EQ(spec.probability, 1.0);
}

TEST(ToxiproxyToxics, AttributeNamesMatchInAnyCaseAsGoDecodes) {
  auto spec = spec_of(R"({"Type":"latency","ATTRIBUTES":{"Latency":30}})");
  EXPECT_EQ(spec.params.at("latency"), "30ms");
}

TEST(ToxiproxyToxics, AnUpdateMergesAttributesAndKeepsNameTypeAndStream) {
  std::vector<std::string> warnings;
  auto made = new_toxic(boost::json::parse(R"({"name":"n","type":"latency","attributes":{"latency":100,"jitter":5}})"),
                        [](std::string_view) { return false; }, warnings);
  auto updated = updated_toxic(std::get<Toxic>(made),
                               boost::json::parse(R"({"name":"m","type":"timeout","attributes":{"jitter":9}})"), warnings);
  const auto& t = std::get<Toxic>(updated);
  EXPECT_EQ(t.name, "n");
  EXPECT_EQ(t.type, "latency");
  EXPECT_EQ(to_text(t.attributes), R"({"latency":100,"jitter":9})");
}

}  // namespace
}  // namespace firedrill::toxiproxy
