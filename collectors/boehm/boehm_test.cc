// The boehm pair's own contract: the pairing constraint, precise roots and
// tracing, cycles and pauses from Boehm's collections, one heap at a time,
// parameters. Every workload and the randomized mutator also run on it
// (workloads/workload_matrix_test, tests/randomized_mutator_test).
#define GC_THREADS 1
#include <gc/gc.h>
#include <gc/gc_mark.h>

#include <algorithm>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "collectors/boehm/boehm_allocator.h"
#include "collectors/boehm/boehm_collector.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "heap/mutator.h"
#include "registry/registry.h"
#include "testkit/heap_fixture.h"

namespace gclab {
namespace {

using ::testing::Contains;
using ::testing::HasSubstr;
using ::testing::Not;
using ::testing::Pair;
using testkit::BuildTree;
using testkit::MakeTestHeap;
using testkit::ScopedMutator;
using testkit::Summarize;

bool IsMarkedByBoehm(const void* p) {
  struct Arg {
    const void* p;
    bool marked;
  } arg{p, false};
  GC_call_with_alloc_lock(
      [](void* a) -> void* {
        auto* arg = static_cast<Arg*>(a);
        arg->marked = GC_is_marked(arg->p) != 0;
        return nullptr;
      },
      &arg);
  return arg.marked;
}

TEST(BoehmPairingTest, OnlyCompatiblePairsAreListedAndBuilt) {
  const auto pairs = KnownCompatiblePairs();
  EXPECT_THAT(pairs, Contains(Pair("boehm", "boehm")));
  EXPECT_THAT(pairs, Contains(Pair("boehm", "nogc")));
  EXPECT_THAT(pairs, Not(Contains(Pair("boehm", "marksweep"))));
  EXPECT_THAT(pairs, Not(Contains(Pair("size_class", "boehm"))));
  EXPECT_THAT(AllocatorsCompatibleWith("boehm"), ::testing::ElementsAre("boehm"));
}

TEST(BoehmPairingTest, AnIncompatiblePairIsAClearError) {
  absl::StatusOr<std::unique_ptr<Heap>> heap = testkit::TryMakeTestHeap("size_class", "boehm");
  ASSERT_FALSE(heap.ok());
  EXPECT_EQ(heap.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(heap.status().message(), HasSubstr("requires an allocator with reclamation "
                                                 "external-collector"));
  EXPECT_THAT(heap.status().message(), HasSubstr("allocators it runs on: boehm"));
  heap = testkit::TryMakeTestHeap("boehm", "marksweep");
  ASSERT_FALSE(heap.ok());
  EXPECT_THAT(heap.status().message(), HasSubstr("sweep-by-header-mark"));
  // Heap::Create checks too, for pairs built without the registry.
  absl::StatusOr<std::unique_ptr<Heap>> direct =
      Heap::Create(HeapConfig(), NewBoehmAllocator().value(), NewBoehmCollector().value());
  EXPECT_TRUE(direct.ok()) << direct.status();
}

TEST(BoehmCollectorTest, CollectsGarbageKeepsTheLiveTreeAndRecordsTheCycle) {
  auto heap = MakeTestHeap("boehm", "boehm", testkit::kCollectEarly);
  ScopedMutator m(heap.get());
  HandleScope scope(m);
  Local tree(m, BuildTree(m, 12));
  testkit::MakeGarbage(m, 8 << 20);
  m->CollectGarbage();
  EXPECT_EQ(Summarize(m, tree.get()).nodes, (1u << 12) - 1);
  const std::vector<CycleRecord> cycles = heap->stats().cycles();
  ASSERT_FALSE(cycles.empty());
  const CycleRecord& last = cycles.back();
  EXPECT_EQ(last.collector, "boehm");
  EXPECT_EQ(last.cause, GcCause::kExplicit);
  // The tree's nodes (and nothing much else) are what the mark procedure traced.
  EXPECT_GE(last.objects_marked, (1u << 12) - 1);
  EXPECT_LT(last.objects_marked, (1u << 12) + 200);
  EXPECT_GT(last.mark_ns, 0);
  EXPECT_GE(last.marker_threads, 1);
  EXPECT_EQ(heap->stats().pauses().size(), cycles.size());
  EXPECT_GT(heap->stats().verifier_runs.load(), 0u);
  // The trigger fired on its own before the explicit collection.
  EXPECT_GE(cycles.size(), 2u);
}

TEST(BoehmCollectorTest, RootsArePreciseNotTheStack) {
  auto heap = MakeTestHeap("boehm", "boehm");
  ScopedMutator m(heap.get());
  HandleScope scope(m);
  Local rooted(m, testkit::NewNode(m, 1));
  // Only a C++ local refers to this one: Boehm would keep it if it scanned
  // stacks; gclab's roots do not include it.
  Object* volatile unrooted = testkit::NewNode(m, 2);
  m->CollectGarbage();
  EXPECT_TRUE(IsMarkedByBoehm(rooted.get()));
  EXPECT_FALSE(IsMarkedByBoehm(unrooted));
}

TEST(BoehmCollectorTest, CellsCachedForAllocationSurviveCollections) {
  auto heap = MakeTestHeap("boehm", "boehm", testkit::kCollectEarly);
  ScopedMutator m(heap.get());
  HandleScope scope(m);
  // A few rooted nodes, then many collections with the cache's batch of
  // cells half used: a cached cell Boehm freed would come back twice.
  std::vector<Local> keep;
  std::set<Object*> seen;
  for (int round = 0; round < 50; ++round) {
    Object* o = testkit::NewNode(m, round);
    ASSERT_TRUE(seen.insert(o).second) << "a live cell was handed out again";
    keep.emplace_back(m, o);
    m->CollectGarbage();
  }
  for (int i = 0; i < 50; ++i) EXPECT_EQ(testkit::NodeId(keep[i].get()), i);
}

TEST(BoehmCollectorTest, OneBoehmHeapAtATime) {
  auto heap = MakeTestHeap("boehm", "boehm");
  absl::StatusOr<std::unique_ptr<Heap>> second = testkit::TryMakeTestHeap("boehm", "nogc");
  ASSERT_FALSE(second.ok());
  EXPECT_THAT(second.status().message(), HasSubstr("one boehm heap at a time"));
  heap.reset();
  EXPECT_TRUE(testkit::TryMakeTestHeap("boehm", "nogc").ok());
}

TEST(BoehmCollectorTest, AnotherMarkerCountThanTheProcessRunsIsRefused) {
  auto heap = MakeTestHeap("boehm", "boehm");  // starts Boehm with its own choice
  const int markers = static_cast<BoehmCollector*>(heap->collector())->markers();
  ASSERT_GE(markers, 1);
  heap.reset();
  absl::StatusOr<CollectorConfig> config = CollectorConfigForName("boehm");
  config->mutable_boehm()->set_markers(markers + 1);
  absl::StatusOr<std::unique_ptr<Heap>> other =
      MakeHeap(HeapConfig(), AllocatorConfigForName("boehm").value(), *config);
  ASSERT_FALSE(other.ok());
  EXPECT_THAT(other.status().message(), HasSubstr("boehm.markers"));
}

TEST(BoehmCollectorTest, FactoryNamesTheBadField) {
  BoehmOptions o;
  o.free_space_divisor = 0;
  EXPECT_THAT(NewBoehmCollector(o).status().message(), HasSubstr("boehm.free_space_divisor"));
  o = BoehmOptions();
  o.gogc = -1;
  EXPECT_THAT(NewBoehmCollector(o).status().message(), HasSubstr("boehm.gogc"));
  o = BoehmOptions();
  o.markers = -2;
  EXPECT_THAT(NewBoehmCollector(o).status().message(), HasSubstr("boehm.markers"));
}

TEST(BoehmCollectorTest, GogcTriggerFollowsGosRule) {
  BoehmOptions o;
  o.gogc = 100;
  o.min_heap_bytes = 1 << 20;
  auto heap = Heap::Create(testkit::MakeTestHeapConfig(), NewBoehmAllocator().value(),
                           NewBoehmCollector(o).value());
  ASSERT_TRUE(heap.ok());
  auto* c = static_cast<BoehmCollector*>((*heap)->collector());
  ScopedMutator m(heap->get());
  HandleScope scope(m);
  Local tree(m, BuildTree(m, 15));  // ~1.5 MiB live
  m->CollectGarbage();
  const CycleRecord last = (*heap)->stats().cycles().back();
  EXPECT_EQ(c->next_trigger_bytes(), 2 * last.heap_marked_bytes);
}

}  // namespace
}  // namespace gclab
