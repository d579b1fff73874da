#include "experiments/gctrace.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace gclab {
namespace {

using ::testing::HasSubstr;

// Lines as go 1.19 prints them (binarytrees.go 14 and a runtime.GC()).
constexpr char kTrace[] =
    "gc 1 @0.009s 1%: 0.061+1.5+0.038 ms clock, 0.12+0.12/0.070/1.2+0.077 ms cpu, 3->3->0 MB, "
    "4 MB goal, 0 MB stacks, 0 MB globals, 2 P\n"
    "some output of the program\n"
    "gc 2 @1.250s 3%: 0.013+2.1+0.002 ms clock, 0.027+0.86/0/0+0.005 ms cpu, 300->310->120 MB, "
    "320 MB goal, 0 MB stacks, 0 MB globals, 2 P (forced)\n";

TEST(GcTraceTest, ParsesEveryField) {
  absl::StatusOr<std::vector<GoTraceCycle>> c = ParseGcTrace(kTrace);
  ASSERT_TRUE(c.ok()) << c.status();
  ASSERT_EQ(c->size(), 2u);
  const GoTraceCycle& a = (*c)[0];
  EXPECT_EQ(a.cycle, 1u);
  EXPECT_EQ(a.start_ns, 9000000);
  EXPECT_EQ(a.sweep_termination_ns, 61000);
  EXPECT_EQ(a.concurrent_mark_ns, 1500000);
  EXPECT_EQ(a.mark_termination_ns, 38000);
  EXPECT_EQ(a.assist_cpu_ns, 120000);
  EXPECT_EQ(a.marker_cpu_ns, 1270000);  // background 0.070 + idle 1.2
  EXPECT_EQ(a.heap_start_bytes, 3u << 20);
  EXPECT_EQ(a.heap_live_bytes, 0u);
  EXPECT_EQ(a.heap_goal_bytes, 4u << 20);
  EXPECT_EQ(a.procs, 2);
  EXPECT_FALSE(a.forced);
  const GoTraceCycle& b = (*c)[1];
  EXPECT_EQ(b.start_ns, 1250000000);
  EXPECT_EQ(b.heap_end_bytes, uint64_t{310} << 20);
  EXPECT_EQ(b.heap_live_bytes, uint64_t{120} << 20);
  EXPECT_TRUE(b.forced);
}

TEST(GcTraceTest, TwoPausesPerCycleOnTheProgramsClock) {
  GcFigures f = GcFiguresFromGcTrace(*ParseGcTrace(kTrace));
  EXPECT_EQ(f.collections, 2u);
  ASSERT_EQ(f.pauses.size(), 4u);
  EXPECT_EQ(f.pauses[0].phase, PausePhase::kSweepTermination);
  EXPECT_EQ(f.pauses[0].start_ns, 9000000);
  EXPECT_EQ(f.pauses[0].duration_ns, 61000);
  EXPECT_EQ(f.pauses[1].phase, PausePhase::kMarkTermination);
  EXPECT_EQ(f.pauses[1].start_ns, 9000000 + 61000 + 1500000);
  EXPECT_EQ(f.pauses[1].duration_ns, 38000);
  ASSERT_EQ(f.cycles.size(), 2u);
  EXPECT_EQ(f.cycles[1].cause, GcCause::kExplicit);
  EXPECT_EQ(f.cycles[0].cause, GcCause::kHeapTrigger);
  EXPECT_EQ(f.cycles[0].pause_total_ns, 99000);
  EXPECT_EQ(f.cycles[0].collector, "go");
  EXPECT_EQ(f.peak_heap_bytes, uint64_t{310} << 20);
}

TEST(GcTraceTest, ATraceFollowingOutputWithoutNewlineStillCounts) {
  absl::StatusOr<std::vector<GoTraceCycle>> c = ParseGcTrace(
      "no newline heregc 7 @0.100s 1%: 0.1+0.2+0.3 ms clock, 0.1+0.1/0.1/0.1+0.1 ms cpu, "
      "1->1->1 MB, 4 MB goal, 0 MB stacks, 0 MB globals, 1 P\n");
  ASSERT_TRUE(c.ok()) << c.status();
  ASSERT_EQ(c->size(), 1u);
  EXPECT_EQ((*c)[0].cycle, 7u);
}

TEST(GcTraceTest, OtherLinesAreSkippedAndAChangedFormatIsAnError) {
  EXPECT_TRUE(ParseGcTrace("scvg: 0 MB released\ngc is fun\n")->empty());
  absl::StatusOr<std::vector<GoTraceCycle>> bad = ParseGcTrace(
      "ok\ngc 1 @0.009s 1%: 0.061+1.5 ms clock, 0.12 ms cpu, 3->3 MB, 4 MB goal, 2 P\n");
  ASSERT_FALSE(bad.ok());
  EXPECT_THAT(std::string(bad.status().message()), HasSubstr("gctrace line 2"));
}

}  // namespace
}  // namespace gclab
