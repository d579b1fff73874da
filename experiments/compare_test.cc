#include "experiments/compare.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace gclab {
namespace {

using ::testing::HasSubstr;

ExperimentResults Results(const std::string& workload, std::vector<double> walls) {
  ExperimentResults r;
  for (size_t i = 0; i < walls.size(); ++i) {
    RunResult* run = r.add_runs();
    run->set_config("ms");
    run->set_workload(workload);
    run->set_repetition(static_cast<int>(i));
    run->set_status("ok");
    run->set_wall_s(walls[i]);
  }
  return r;
}

const ComparedMetric& Wall(const Comparison& c) { return c.cells.at(0).metrics.at(0); }

TEST(CompareTest, RatioOfMediansAndNoiseFlag) {
  Comparison c = CompareResults(Results("w", {1.0, 1.1, 1.2}), Results("w", {2.0, 2.2, 2.4}));
  ASSERT_EQ(c.cells.size(), 1u);
  EXPECT_EQ(Wall(c).name, "wall_s");
  EXPECT_DOUBLE_EQ(Wall(c).ratio, 2.0);
  EXPECT_FALSE(Wall(c).within_noise);
  Comparison overlap =
      CompareResults(Results("w", {1.0, 1.1, 1.2}), Results("w", {1.15, 1.3, 1.4}));
  EXPECT_TRUE(Wall(overlap).within_noise);
  const std::string text = FormatComparison(c, "a.json", "b.json");
  EXPECT_THAT(text, HasSubstr("| wall_s | 1 / 1.1 / 1.2 | 2 / 2.2 / 2.4 | 2.000 | + |"));
  EXPECT_THAT(FormatComparison(overlap, "a", "b"), HasSubstr("| ~ |"));
}

TEST(CompareTest, TimeToSafepointIsCompared) {
  ExperimentResults a = Results("w", {1.0});
  ExperimentResults b = Results("w", {1.0});
  a.mutable_runs(0)->set_ttsp_max_ms(2.0);
  b.mutable_runs(0)->set_ttsp_max_ms(0.5);
  Comparison c = CompareResults(a, b);
  ASSERT_EQ(c.cells.size(), 1u);
  bool found = false;
  for (const ComparedMetric& m : c.cells[0].metrics) {
    if (m.name != "ttsp_max_ms") continue;
    found = true;
    EXPECT_DOUBLE_EQ(m.ratio, 0.25);
  }
  EXPECT_TRUE(found);
}

TEST(CompareTest, UnmatchedCellsAreListed) {
  Comparison c = CompareResults(Results("x", {1}), Results("y", {1}));
  EXPECT_TRUE(c.cells.empty());
  EXPECT_THAT(c.only_in_a, ::testing::ElementsAre("ms / x"));
  EXPECT_THAT(c.only_in_b, ::testing::ElementsAre("ms / y"));
}

}  // namespace
}  // namespace gclab
