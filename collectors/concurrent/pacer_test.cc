#include "collectors/concurrent/pacer.h"

#include "gtest/gtest.h"

namespace gclab {
namespace {

constexpr uint64_t kMiB = 1u << 20;

PacerConfig Gogc(int gogc, uint64_t limit = 0) {
  PacerConfig c;
  c.gogc = gogc;
  c.min_heap_bytes = 4 * kMiB;
  c.memory_limit_bytes = limit;
  c.procs = 2;
  return c;
}

// One mark that found `marked` live, ended at heap_live = marked_prev*(1+h_a)
// and used `utilization` of the CPUs.
PacerCycleResult Mark(uint64_t marked, uint64_t heap_live_at_end, double utilization) {
  PacerCycleResult r;
  r.marked_bytes = marked;
  r.heap_live_at_end = heap_live_at_end;
  r.mark_wall_ns = 1000000;
  r.mark_cpu_ns = static_cast<int64_t>(utilization * 2 * 1000000);
  return r;
}

TEST(PacerTest, FirstGoalIsTheMinimumHeapAndTriggersBeforeIt) {
  Pacer p(Gogc(100));
  EXPECT_EQ(p.goal(), 4 * kMiB);
  EXPECT_LT(p.trigger(), p.goal());
  EXPECT_GT(p.trigger(), 3 * kMiB);
}

TEST(PacerTest, GoalIsLiveHeapTimesOnePlusGogc) {
  Pacer p(Gogc(50));
  p.EndCycle(Mark(100 * kMiB, 0, 0));
  EXPECT_EQ(p.goal(), 150 * kMiB);
  EXPECT_GT(p.trigger(), 100 * kMiB);
  EXPECT_LT(p.trigger(), 150 * kMiB);
}

TEST(PacerTest, TriggerMovesEarlierWhenMarkingOvershootsTheGoal) {
  Pacer p(Gogc(100));
  p.EndCycle(Mark(100 * kMiB, 0, 0));
  const double before = p.trigger_ratio();
  // Marking ended at 2.3x the live heap (past the 2x goal) at goal utilization.
  p.EndCycle(Mark(100 * kMiB, 230 * kMiB, 0.30));
  EXPECT_LT(p.trigger_ratio(), before);
}

TEST(PacerTest, TriggerMovesLaterWhenMarkingFinishesEarlyAndCheaply) {
  Pacer p(Gogc(100));
  p.EndCycle(Mark(100 * kMiB, 0, 0));
  p.EndCycle(Mark(100 * kMiB, 100 * kMiB + 1, 0.30));  // pull the ratio down first
  p.EndCycle(Mark(100 * kMiB, 250 * kMiB, 0.30));
  const double before = p.trigger_ratio();
  p.EndCycle(Mark(100 * kMiB, 100 * kMiB + (uint64_t{60} * kMiB), 0.05));
  EXPECT_GT(p.trigger_ratio(), before);
}

TEST(PacerTest, TriggerRatioStaysWithinGosClamp) {
  Pacer p(Gogc(100));
  p.EndCycle(Mark(100 * kMiB, 0, 0));
  for (int i = 0; i < 20; ++i) p.EndCycle(Mark(100 * kMiB, 1000 * kMiB, 1.0));
  EXPECT_DOUBLE_EQ(p.trigger_ratio(), 0.6);
  for (int i = 0; i < 20; ++i) p.EndCycle(Mark(100 * kMiB, 100 * kMiB, 0.0));
  EXPECT_DOUBLE_EQ(p.trigger_ratio(), 0.95);
}

TEST(PacerTest, MemoryLimitLowersTheGoal) {
  Pacer p(Gogc(100, /*limit=*/150 * kMiB));
  p.EndCycle(Mark(100 * kMiB, 0, 0));
  EXPECT_EQ(p.goal(), 150 * kMiB);
  EXPECT_TRUE(p.goal_set_by_memory_limit());
  EXPECT_LT(p.trigger(), 150 * kMiB);
}

TEST(PacerTest, MemoryLimitBelowTheLiveHeapStillLeavesHeadroom) {
  Pacer p(Gogc(100, /*limit=*/50 * kMiB));
  p.EndCycle(Mark(100 * kMiB, 0, 0));
  EXPECT_GT(p.goal(), 100 * kMiB);
  EXPECT_GT(p.trigger(), 100 * kMiB);
}

TEST(PacerTest, GogcOffNeverTriggersWithoutALimit) {
  Pacer p(Gogc(-1));
  p.EndCycle(Mark(100 * kMiB, 0, 0));
  EXPECT_EQ(p.trigger(), Pacer::kNoTrigger);
  Pacer limited(Gogc(-1, 300 * kMiB));
  limited.EndCycle(Mark(100 * kMiB, 0, 0));
  EXPECT_EQ(limited.goal(), 300 * kMiB);
}

TEST(PacerTest, AssistRatioGrowsAsTheHeapApproachesTheGoal) {
  Pacer p(Gogc(100));
  p.EndCycle(Mark(100 * kMiB, 0, 0));
  p.BeginCycle(180 * kMiB);
  const double far = p.AssistRatio(180 * kMiB, 0);
  const double near = p.AssistRatio(195 * kMiB, 0);
  const double past = p.AssistRatio(219 * kMiB, 0);
  EXPECT_NEAR(far, 100.0 / 20.0, 0.01);  // 100 MiB to scan in 20 MiB of headroom
  EXPECT_GT(near, far);
  EXPECT_GT(past, near);
  EXPECT_LT(p.AssistRatio(180 * kMiB, 90 * kMiB), far);  // work done lowers it
}

}  // namespace
}  // namespace gclab
