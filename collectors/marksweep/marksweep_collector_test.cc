#include "collectors/marksweep/marksweep_collector.h"

#include <thread>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "heap/mutator.h"
#include "registry/registry.h"
#include "testkit/heap_fixture.h"

namespace gclab {
namespace {

using ::gclab::testkit::BuildTree;
using ::gclab::testkit::kLeft;
using ::gclab::testkit::MakeTestHeap;
using ::gclab::testkit::NewNode;
using ::gclab::testkit::NodeId;
using ::gclab::testkit::ScopedMutator;
using ::gclab::testkit::Summarize;

class MarkSweepTest : public ::testing::TestWithParam<std::string> {
 protected:
  std::unique_ptr<Heap> heap_ = MakeTestHeap(GetParam(), "marksweep");
};

TEST_P(MarkSweepTest, FreesUnreachableAndKeepsReachable) {
  ScopedMutator m(heap_.get());
  HandleScope scope(m);
  Local live(m, BuildTree(m, 12, 1));
  for (int i = 0; i < 5000; ++i) NewNode(m, 0);  // garbage
  m->CollectGarbage();
  const std::vector<CycleRecord> cycles = heap_->stats().cycles();
  ASSERT_EQ(cycles.size(), 1u);
  EXPECT_EQ(cycles[0].objects_marked, 4095u);
  EXPECT_GE(cycles[0].objects_freed, 5000u);
  EXPECT_EQ(Summarize(m, live.get()).id_sum, 4095u * 4096u / 2);
  EXPECT_EQ(heap_->allocator()->GetStats().objects, 4095u);
}

TEST_P(MarkSweepTest, MarksAHalfMillionNodeListWithoutRecursion) {
  ScopedMutator m(heap_.get());
  HandleScope scope(m);
  Local head(m);
  for (uint64_t i = 1; i <= 500000; ++i) {
    Object* n = NewNode(m, i);
    m->Store(n, kLeft, head.get());
    head.set(n);
  }
  m->CollectGarbage();
  uint64_t count = 0, sum = 0;
  for (Object* n = head.get(); n != nullptr; n = m->Load(n, kLeft)) {
    ++count;
    sum += NodeId(n);
  }
  EXPECT_EQ(count, 500000u);
  EXPECT_EQ(sum, 500000ull * 500001ull / 2);
}

TEST_P(MarkSweepTest, RecordsOnePausePerCollection) {
  ScopedMutator m(heap_.get());
  for (int i = 0; i < 3; ++i) m->CollectGarbage();
  const std::vector<PauseRecord> pauses = heap_->stats().pauses();
  ASSERT_EQ(pauses.size(), 3u);
  for (const PauseRecord& p : pauses) {
    EXPECT_EQ(p.phase, PausePhase::kFullCollection);
    EXPECT_GT(p.duration_ns, 0);
  }
  EXPECT_LE(pauses[0].start_ns + pauses[0].duration_ns, pauses[1].start_ns);
}

TEST_P(MarkSweepTest, TriggersAtTwiceTheLiveHeapWithGogc100) {
  ScopedMutator m(heap_.get());
  HandleScope scope(m);
  Local live(m, BuildTree(m, 17, 1));  // 131071 nodes of 40 bytes: ~5 MiB
  m->CollectGarbage();
  const uint64_t collections = heap_->stats().collections();
  auto* ms = static_cast<MarkSweepCollector*>(heap_->collector());
  const uint64_t marked = heap_->stats().cycles().back().heap_marked_bytes;
  EXPECT_EQ(ms->next_trigger_bytes(), std::max<uint64_t>(4u << 20, 2 * marked));
  const uint64_t trigger = ms->next_trigger_bytes();
  // Allocate garbage until the trigger fires on its own.
  while (heap_->stats().collections() == collections) NewNode(m, 0);
  const CycleRecord second = heap_->stats().cycles().back();
  EXPECT_EQ(second.cause, GcCause::kHeapTrigger);
  EXPECT_GE(second.heap_before_bytes, trigger);
  EXPECT_LT(second.heap_before_bytes, trigger + (1u << 20));
}

TEST_P(MarkSweepTest, FourThreadsAllocatingConcurrentlyKeepTheirTrees) {
  std::vector<std::thread> threads;
  std::atomic<int> failures{0};
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      ScopedMutator m(heap_.get());
      HandleScope scope(m);
      Local keep(m, BuildTree(m, 10, 1000 * t + 1));
      for (int round = 0; round < 200; ++round) {
        HandleScope inner(m);
        Local tmp(m, BuildTree(m, 9, 1));  // short-lived
        if (Summarize(m, tmp.get()).nodes != 511) failures.fetch_add(1);
      }
      const uint64_t first = 1000 * t + 1;
      const uint64_t expected = 1023 * first + 1023 * 1022 / 2;
      if (Summarize(m, keep.get()).id_sum != expected) failures.fetch_add(1);
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(failures.load(), 0);
  EXPECT_GT(heap_->stats().collections(), 0u);
}

INSTANTIATE_TEST_SUITE_P(AllAllocators, MarkSweepTest, ::testing::ValuesIn(KnownAllocatorNames()),
                         [](const auto& info) { return info.param; });

// The verifier must catch a collector that frees live objects: with the
// mutators' roots ignored, the tree below is freed while still reachable.
// One collection of a tree held by a Local, by a marksweep collector that
// ignores the mutators' roots: the tree is freed while reachable.
void CollectWithTheWrongRootSet(const testkit::TestHeapOptions& options) {
  auto heap = MakeTestHeap("size_class", "marksweep", options);
  static_cast<MarkSweepCollector*>(heap->collector())->set_ignore_mutator_roots_ForTesting(true);
  ScopedMutator m(heap.get());
  HandleScope scope(m);
  Local root(m, BuildTree(m, 6));
  m->CollectGarbage();
}

TEST(MarkSweepDeathTest, WrongRootSetFailsTheVerifier) {
  GTEST_FLAG_SET(death_test_style, "threadsafe");
  EXPECT_DEATH(CollectWithTheWrongRootSet({.checkmark = false}),
               "heap verification failed.*(unmarked|bad magic|outside the heap)");
}

TEST(MarkSweepDeathTest, WrongRootSetFailsTheCheckmarkWithThePathFromARoot) {
  GTEST_FLAG_SET(death_test_style, "threadsafe");
  EXPECT_DEATH(
      CollectWithTheWrongRootSet({.verify = false}),
      "marksweep/size_class: checkmark: reachable object 0x[0-9a-f]+ \\(TestNode\\) is white "
      ".*path: shadow stack slot #0 of mutator [0-9]+ -> 0x[0-9a-f]+ \\(TestNode\\)");
}

TEST(MarkSweepTest, CorrectRootSetPassesTheSameScenario) {
  auto heap = MakeTestHeap("size_class", "marksweep");
  ScopedMutator m(heap.get());
  HandleScope scope(m);
  Local root(m, BuildTree(m, 6));
  m->CollectGarbage();
  EXPECT_EQ(Summarize(m, root.get()).nodes, 63u);
}

}  // namespace
}  // namespace gclab
