#include "collectors/concurrent/concurrent_collector.h"

#include <atomic>
#include <cstdio>
#include <string>
#include <thread>
#include <vector>

#include "collectors/concurrent/tricolor_checker.h"
#include "gtest/gtest.h"
#include "testkit/heap_fixture.h"

namespace gclab {
namespace {

using namespace testkit;  // NOLINT

constexpr size_t kMiB = size_t{1} << 20;

// The tri-color checker runs at every mark termination and aborts the test
// with its report on a violation.
ConcurrentOptions Checked(BarrierKind kind = BarrierKind::kHybrid) {
  ConcurrentOptions o;
  o.barrier = kind;
  o.min_heap_bytes = 2 * kMiB;
  TricolorMonitor::Install(&o);
  return o;
}

// No collector threads: the test drives every cycle (stepping API), mostly
// from the allocating thread itself, so an assist must not wait for credit.
ConcurrentOptions Manual(BarrierKind kind) {
  ConcurrentOptions o = Checked(kind);
  o.gogc = -1;
  o.manual_ForTesting = true;
  o.assists_never_wait_ForTesting = true;
  return o;
}

int CountPauses(Heap* heap, PausePhase phase) {
  int n = 0;
  for (const PauseRecord& p : heap->stats().pauses()) n += p.phase == phase;
  return n;
}

class ConcurrentCollectorTest : public ::testing::TestWithParam<BarrierKind> {};

TEST_P(ConcurrentCollectorTest, CollectNowKeepsTheReachableListAndFreesGarbage) {
  auto t = MakeTestHeapWith<ConcurrentCollector>(Checked(GetParam()));
  {
    ScopedMutator m(t.heap.get());
    HandleScope scope(m.get());
    Local list(m.get(), MakeList(m.get(), 1000));
    MakeGarbage(m.get(), kMiB);
    const uint64_t before = t.collector->completed_cycles();
    m->CollectGarbage();
    EXPECT_GT(t.collector->completed_cycles(), before);
    EXPECT_EQ(SumList(m.get(), list.get()), 1000 * 1001 / 2);
    const CycleRecord last = t.heap->stats().cycles().back();
    EXPECT_GT(last.bytes_freed, 0u);
    EXPECT_GE(last.heap_marked_bytes, 1000 * ObjectSizeFor(NodeType()));
  }
}

TEST_P(ConcurrentCollectorTest, EveryCycleHasTwoShortPausesRecordedSeparately) {
  auto t = MakeTestHeapWith<ConcurrentCollector>(Checked(GetParam()));
  ScopedMutator m(t.heap.get());
  for (int i = 0; i < 3; ++i) m->CollectGarbage();
  const uint64_t cycles = t.heap->stats().collections();
  EXPECT_GE(cycles, 3u);
  EXPECT_EQ(CountPauses(t.heap.get(), PausePhase::kSweepTermination), cycles);
  EXPECT_EQ(CountPauses(t.heap.get(), PausePhase::kMarkTermination), cycles);
  EXPECT_EQ(CountPauses(t.heap.get(), PausePhase::kFullCollection), 0);
  for (const CycleRecord& c : t.heap->stats().cycles()) {
    EXPECT_EQ(c.pause_total_ns, c.stw_start_ns + c.stw_end_ns);
    EXPECT_EQ(c.collector, "concurrent");
  }
}

TEST_P(ConcurrentCollectorTest, ObjectsAllocatedDuringMarkingAreBlack) {
  auto t = MakeTestHeapWith<ConcurrentCollector>(Manual(GetParam()));
  ScopedMutator m(t.heap.get());
  HandleScope scope(m.get());
  t.collector->BeginCycleForTesting(m.get());
  const uint8_t epoch = t.collector->epoch_ForTesting();
  Local fresh(m.get(), NewNode(m.get(), 7));
  EXPECT_TRUE(fresh.get()->IsMarked(epoch));
  t.collector->FinishCycleForTesting(m.get());
  EXPECT_EQ(ValueOf(fresh.get()), 7);
}

TEST_P(ConcurrentCollectorTest, HeapTriggerStartsCyclesWithoutBeingAsked) {
  auto t = MakeTestHeapWith<ConcurrentCollector>(Checked(GetParam()));
  {
    ScopedMutator m(t.heap.get());
    HandleScope scope(m.get());
    Local list(m.get(), MakeList(m.get(), 2000));
    MakeGarbage(m.get(), 24 * kMiB / kSanitizerDivisor);
    EXPECT_EQ(SumList(m.get(), list.get()), 2000 * 2001 / 2);
  }
  // The request was posted; the collector's thread serves it whenever the
  // scheduler lets it (no time limit: the verdict must not depend on speed).
  while (t.collector->completed_cycles() == 0) std::this_thread::yield();
  ASSERT_GE(t.heap->stats().collections(), 1u);
  EXPECT_EQ(t.heap->stats().cycles().front().cause, GcCause::kHeapTrigger);
}

TEST_P(ConcurrentCollectorTest, ParallelMarkersMarkAWideGraph) {
  ConcurrentOptions o = Checked(GetParam());
  o.marker_threads = 4;
  auto t = MakeTestHeapWith<ConcurrentCollector>(o);
  ScopedMutator m(t.heap.get());
  HandleScope scope(m.get());
  // 64 lists of 500 nodes hanging off one array: plenty of parallel slack.
  static const TypeDescriptor* kArray = MakePointerArrayType("ConcurrentTestArray");
  Local roots(m.get(), m->Allocate(kArray, 64).value());
  for (int i = 0; i < 64; ++i) m->StoreElement(roots.get(), i, MakeList(m.get(), 500));
  m->CollectGarbage();
  for (int i = 0; i < 64; ++i) {
    EXPECT_EQ(SumList(m.get(), m->LoadElement(roots.get(), i)), 500 * 501 / 2);
  }
  EXPECT_EQ(t.heap->stats().cycles().back().marker_threads, 4);
}

INSTANTIATE_TEST_SUITE_P(AllBarriers, ConcurrentCollectorTest,
                         ::testing::Values(BarrierKind::kDijkstra, BarrierKind::kYuasa,
                                           BarrierKind::kHybrid),
                         BarrierParamName);

TEST(ConcurrentSteppingTest, EachStepRunsItsPhaseWhenTheDriverSaysSo) {
  auto t = MakeTestHeapWith<ConcurrentCollector>(Manual(BarrierKind::kHybrid));
  ConcurrentCollector& gc = *t.collector;
  Mutator* m = t.heap->AttachCurrentThread();
  Object** global = t.heap->NewGlobalRoot();
  {
    HandleScope scope(m);
    Local on_stack(m, NewNode(m, 1));
    m->WriteGlobal(global, MakeList(m, 3));
    m->Park();  // the driver runs as no mutator: m's handshakes run here

    EXPECT_EQ(gc.step_phase_ForTesting(), ConcurrentCollector::StepPhase::kIdle);
    gc.BeginCycleForTesting(nullptr);
    const uint8_t epoch = gc.epoch_ForTesting();
    EXPECT_EQ(gc.step_phase_ForTesting(), ConcurrentCollector::StepPhase::kMarking);
    EXPECT_TRUE(t.heap->write_barrier_enabled());
    EXPECT_FALSE(on_stack.get()->IsMarked(epoch));
    EXPECT_FALSE((*global)->IsMarked(epoch));
    gc.ScanStackForTesting(nullptr, m);
    EXPECT_TRUE(on_stack.get()->IsMarked(epoch));
    EXPECT_FALSE((*global)->IsMarked(epoch));
    gc.ScanGlobalsForTesting();
    EXPECT_TRUE((*global)->IsMarked(epoch));
    Object* second = LoadPointer((*global)->slot_at(kLeft));
    EXPECT_FALSE(second->IsMarked(epoch));
    EXPECT_EQ(gc.MarkForTesting(1), 1u);    // the list's head
    EXPECT_TRUE(second->IsMarked(epoch));   // grey now
    EXPECT_EQ(gc.MarkForTesting(100), 3u);  // the stack's node, the rest of the list
    EXPECT_EQ(gc.MarkForTesting(100), 0u);
    gc.MarkTerminationForTesting(nullptr);
    EXPECT_EQ(gc.step_phase_ForTesting(), ConcurrentCollector::StepPhase::kSweeping);
    EXPECT_FALSE(t.heap->write_barrier_enabled());
    EXPECT_EQ(t.heap->stats().collections(), 0u);  // recorded at the end of the sweep
    while (gc.SweepForTesting()) {
    }
    gc.FinishCycleForTesting(nullptr);
    EXPECT_EQ(gc.step_phase_ForTesting(), ConcurrentCollector::StepPhase::kIdle);
    EXPECT_EQ(t.heap->stats().collections(), 1u);

    m->Unpark();
    EXPECT_EQ(SumList(m, *global), 6);
    EXPECT_EQ(ValueOf(on_stack.get()), 1);
  }
  t.heap->DetachCurrentThread(m);
  t.heap->DeleteGlobalRoot(global);
}

TEST(ConcurrentSteppingTest, ManualModeRecordsRequestsAndTheNextCycleServesThem) {
  ConcurrentOptions o = Manual(BarrierKind::kHybrid);
  o.gogc = 100;
  auto t = MakeTestHeapWith<ConcurrentCollector>(o);
  ScopedMutator m(t.heap.get());
  EXPECT_EQ(t.collector->pending_request_ForTesting(), std::nullopt);
  MakeGarbage(m.get(), 8 * kMiB);  // past the 2 MiB minimum heap's trigger
  EXPECT_EQ(t.collector->pending_request_ForTesting(), GcCause::kHeapTrigger);
  EXPECT_EQ(t.heap->stats().collections(), 0u) << "manual mode runs no cycle by itself";
  t.collector->BeginCycleForTesting(m.get());
  EXPECT_EQ(t.collector->pending_request_ForTesting(), std::nullopt);
  t.collector->FinishCycleForTesting(m.get());
  ASSERT_EQ(t.heap->stats().collections(), 1u);
  EXPECT_EQ(t.heap->stats().cycles()[0].cause, GcCause::kHeapTrigger);
}

// Pins defect 1 (hybrid barrier lost a reachable object): global g -> W, W
// has no other path. Pause 1 runs; then thread T attaches (its stack is
// black); it loads W from g, allocates O (black) and stores O.left = W (old
// value null, stack black: the hybrid barrier shades nothing); g is deleted
// before the concurrent global scan. The deletion was not barriered, so W
// stayed white and was freed under O. Go's argument for black stacks needs
// every pointer deletion outside stacks barriered, root deletions included.
class GlobalDeletionTest : public ::testing::TestWithParam<BarrierKind> {};

TEST_P(GlobalDeletionTest, AGlobalDeletedBeforeTheGlobalScanKeepsWhatABlackStackStored) {
  ConcurrentOptions o = Manual(GetParam());
  std::shared_ptr<TricolorMonitor> checks =
      TricolorMonitor::Install(&o, /*abort_on_violation=*/false);
  auto t = MakeTestHeapWith<ConcurrentCollector>(o, {.verify = false, .checkmark = false});
  Heap* heap = t.heap.get();
  Object** g = heap->NewGlobalRoot();
  Mutator* a = heap->AttachCurrentThread();  // some earlier thread
  a->WriteGlobal(g, NewNode(a, 42));         // W
  a->Park();

  t.collector->BeginCycleForTesting(nullptr);
  Mutator* late = heap->AttachCurrentThread();  // T: black from birth
  {
    HandleScope scope(late);
    Local o_local(late, nullptr);
    {
      HandleScope inner(late);
      Local w(late, LoadPointer(g));
      o_local.set(NewNode(late, 7));  // O: allocated black
      late->Store(o_local.get(), kLeft, w.get());
    }  // W is no longer on T's stack
    late->Park();
    heap->DeleteGlobalRoot(g);  // before the global scan
    t.collector->FinishCycleForTesting(nullptr);

    EXPECT_EQ(checks->violations(), 0u) << checks->last_report().ToString();
    late->Unpark();
    Object* w = late->Load(o_local.get(), kLeft);
    EXPECT_EQ(ValueOf(w), 42) << "W was freed while O pointed to it";
    late->Store(o_local.get(), kLeft, nullptr);  // drop it, freed or not
  }
  heap->DetachCurrentThread(late);
  a->Unpark();
  heap->DetachCurrentThread(a);
}

INSTANTIATE_TEST_SUITE_P(AllBarriers, GlobalDeletionTest,
                         ::testing::Values(BarrierKind::kDijkstra, BarrierKind::kYuasa,
                                           BarrierKind::kHybrid),
                         BarrierParamName);

// Pins defect 9: the concurrent collector verified before sweeping only, so a
// sweep that freed a live object was seen a cycle later, or never. Here the
// object is made white for the sweep after mark termination, as a broken
// sweep would treat it.
TEST(ConcurrentVerifyDeathTest, ASweepThatFreesALiveObjectFailsTheVerifierInTheSameCycle) {
  GTEST_FLAG_SET(death_test_style, "threadsafe");
  EXPECT_DEATH(
      {
        auto t = MakeTestHeapWith<ConcurrentCollector>(Manual(BarrierKind::kHybrid));
        ScopedMutator m(t.heap.get());
        HandleScope scope(m.get());
        Local live(m.get(), NewNode(m.get(), 1));
        t.collector->BeginCycleForTesting(m.get());
        const uint8_t epoch = t.collector->epoch_ForTesting();
        t.collector->MarkTerminationForTesting(m.get());    // marked, checked, sweep armed
        live.get()->TryMark(epoch == 255 ? 1 : epoch + 1);  // white for this sweep
        t.collector->FinishCycleForTesting(m.get());
        std::fprintf(stderr, "the cycle ended without noticing\n");
      },
      "heap verification failed after sweeping \\(concurrent/bump\\).*"
      "(bad magic|outside the heap)");
}

TEST(ConcurrentRootsTest, DijkstraRescansStacksInMarkTerminationOthersDoNot) {
  for (BarrierKind kind : {BarrierKind::kDijkstra, BarrierKind::kYuasa, BarrierKind::kHybrid}) {
    auto t = MakeTestHeapWith<ConcurrentCollector>(Checked(kind));
    ScopedMutator m(t.heap.get());
    HandleScope scope(m.get());
    Local a(m.get(), NewNode(m.get(), 1));
    Local b(m.get(), NewNode(m.get(), 2));
    m->CollectGarbage();
    const CycleRecord c = t.heap->stats().cycles().back();
    if (kind == BarrierKind::kDijkstra) {
      EXPECT_GE(c.roots_rescanned, 2u) << BarrierKindName(kind);
    } else {
      EXPECT_EQ(c.roots_rescanned, 0u) << BarrierKindName(kind);
    }
  }
}

TEST(ConcurrentRootsTest, YuasaShadesStacksInTheFirstPauseHybridByHandshakeLater) {
  for (BarrierKind kind : {BarrierKind::kYuasa, BarrierKind::kHybrid}) {
    auto t = MakeTestHeapWith<ConcurrentCollector>(Manual(kind));
    ScopedMutator m(t.heap.get());
    HandleScope scope(m.get());
    Local root(m.get(), NewNode(m.get(), 1));
    t.collector->BeginCycleForTesting(m.get());
    const bool marked_in_pause = root.get()->IsMarked(t.collector->epoch_ForTesting());
    EXPECT_EQ(marked_in_pause, kind == BarrierKind::kYuasa) << BarrierKindName(kind);
    t.collector->FinishCycleForTesting(m.get());
    EXPECT_EQ(CountPauses(t.heap.get(), PausePhase::kStackScan),
              kind == BarrierKind::kHybrid ? 1 : 0);
  }
}

TEST(ConcurrentRootsTest, GlobalsAndStackObjectsAreRoots) {
  auto t = MakeTestHeapWith<ConcurrentCollector>(Checked());
  ScopedMutator m(t.heap.get());
  Object** global = t.heap->NewGlobalRoot();
  m->WriteGlobal(global, MakeList(m.get(), 100));
  static const TypeDescriptor* kHolder = MakeRecordType("ConcurrentTestHolder", 1, 0);
  StackFrame frame(m.get());
  Object* on_stack = m->StackAllocate(kHolder);
  ASSERT_NE(on_stack, nullptr);
  m->Store(on_stack, 0, MakeList(m.get(), 50));
  MakeGarbage(m.get(), kMiB);
  m->CollectGarbage();
  EXPECT_EQ(SumList(m.get(), *global), 100 * 101 / 2);
  EXPECT_EQ(SumList(m.get(), m->Load(on_stack, 0)), 50 * 51 / 2);
  m->DeleteGlobalRoot(global);
}

TEST(ConcurrentAssistTest, AllocatingDuringMarkingPaysScanWork) {
  for (bool assists : {true, false}) {
    ConcurrentOptions o = Manual(BarrierKind::kYuasa);  // yuasa: grey objects at once
    o.assists = assists;
    auto t = MakeTestHeapWith<ConcurrentCollector>(o);
    ScopedMutator m(t.heap.get());
    HandleScope scope(m.get());
    static const TypeDescriptor* kArray = MakePointerArrayType("ConcurrentTestArray");
    Local roots(m.get(), m->Allocate(kArray, 256).value());
    for (int i = 0; i < 256; ++i) m->StoreElement(roots.get(), i, MakeList(m.get(), 40));
    t.collector->BeginCycleForTesting(m.get());  // manual: no markers
    MakeGarbage(m.get(), 2 * kMiB);              // allocation checks during marking
    t.collector->FinishCycleForTesting(m.get());
    if (assists) {
      EXPECT_GT(t.collector->assist_scan_bytes_ForTesting(), 0u);
      EXPECT_GT(t.heap->stats().cycles().back().assist_cpu_ns, 0);
    } else {
      EXPECT_EQ(t.collector->assist_scan_bytes_ForTesting(), 0u);
    }
    for (int i = 0; i < 256; ++i) {
      EXPECT_EQ(SumList(m.get(), m->LoadElement(roots.get(), i)), 40 * 41 / 2);
    }
  }
}

// Pins defect 6: objects_marked counted the background markers' objects only
// (0 when assists did the marking), and heap_marked_bytes counted the bytes a
// mutator allocated before pause 1 but had not yet flushed twice: once
// scanned, once as "allocated during the cycle" when it flushed later.
TEST(ConcurrentStatsTest, CycleRecordCountsWhatAssistsMarkedAndEveryByteOnce) {
  auto t = MakeTestHeapWith<ConcurrentCollector>(Manual(BarrierKind::kYuasa));
  ScopedMutator m(t.heap.get());
  HandleScope scope(m.get());
  const uint64_t node = ObjectSizeFor(NodeType());
  constexpr int kLive = 100;  // 4.8 KB: below the check interval, not flushed
  Local list(m.get(), MakeList(m.get(), kLive));
  t.collector->BeginCycleForTesting(m.get());  // yuasa: the list is grey now
  constexpr int kGarbage = 4000;               // 192 KB: several checks, so assists mark
  for (int i = 0; i < kGarbage; ++i) NewNode(m.get(), 0);
  t.collector->FinishCycleForTesting(m.get());
  const CycleRecord c = t.heap->stats().cycles().back();
  EXPECT_GT(t.collector->assist_scan_bytes_ForTesting(), 0u) << "assists did not mark";
  EXPECT_EQ(c.heap_marked_bytes, (kLive + kGarbage) * node);  // scanned + allocated black
  EXPECT_EQ(c.objects_marked, static_cast<uint64_t>(kLive + kGarbage));
  EXPECT_EQ(SumList(m.get(), list.get()), kLive * (kLive + 1) / 2);
}

// Pins defect 2 (second half): an assist that found no grey object kept its
// debt and the mutator went on allocating, so nothing throttled it once the
// grey work ran out and the heap overshot its goal. It now waits, parked, for
// the credit the markers earn, or for the end of marking. The driver (this
// thread) and the mutator (its own thread) take turns: each step waits for
// the other to reach a state the collector reports.
TEST(ConcurrentAssistTest, AnAssistWithNoGreyObjectLeftWaitsForTheMarkersCredit) {
  ConcurrentOptions o = Manual(BarrierKind::kHybrid);
  o.assists_never_wait_ForTesting = false;
  o.gogc = 100;
  auto t = MakeTestHeapWith<ConcurrentCollector>(o);
  ConcurrentCollector& gc = *t.collector;
  Heap* heap = t.heap.get();
  // A second thread's stack holds a list the driver can make grey later.
  Mutator* other = heap->AttachCurrentThread();
  auto other_scope = std::make_unique<HandleScope>(other);
  Local other_list(other, MakeList(other, 2000));
  other->Park();

  Notification cycle_begun;
  std::atomic<bool> done{false};
  std::thread mutator([&] {
    ScopedMutator m(heap);
    HandleScope scope(m.get());
    Local list(m.get(), MakeList(m.get(), 100));
    {
      ParkedScope parked(m.get());
      cycle_begun.WaitForNotification();
    }
    MakeGarbage(m.get(), 64 * kMiB);  // far more than the credit will cover
    done.store(true);
  });
  while (heap->mutator_count() < 2) std::this_thread::yield();
  gc.BeginCycleForTesting(nullptr);  // `other` is parked, `mutator` parked too
  cycle_begun.Notify();
  auto wait_for = [&](uint64_t waits) {
    while (!(gc.assists_waiting_ForTesting() == 1 && gc.assist_waits_ForTesting() >= waits) &&
           !done.load()) {
      std::this_thread::yield();
    }
  };
  // The mutator's assists scan its own stack's list (its stack is grey: the
  // insertion half shades what it stores) and the rest of what is grey, and
  // then find nothing: it waits.
  wait_for(1);
  ASSERT_FALSE(done.load()) << "the mutator allocated 64 MiB during marking without waiting";
  // Credit: the driver scans the other thread's list as a marker would.
  gc.ScanStackForTesting(nullptr, other);
  while (gc.MarkForTesting(64) > 0) {
  }
  wait_for(2);  // it took the credit, paid with it, and ran dry again
  ASSERT_FALSE(done.load());
  gc.MarkTerminationForTesting(nullptr);  // marking over: the waiter goes on
  mutator.join();
  EXPECT_TRUE(done.load());
  gc.FinishCycleForTesting(nullptr);
  other->Unpark();
  EXPECT_EQ(SumList(other, other_list.get()), 2000 * 2001 / 2);
  other_scope.reset();
  heap->DetachCurrentThread(other);
}

TEST(ConcurrentFallbackTest, AllocationFailureRunsAFullStopTheWorldCollection) {
  ConcurrentOptions o = Checked();
  o.gogc = -1;  // only failures collect
  auto t = MakeTestHeapWith<ConcurrentCollector>(o, {.heap_limit_bytes = 8 * kMiB});
  {
    ScopedMutator m(t.heap.get());
    HandleScope scope(m.get());
    Local list(m.get(), MakeList(m.get(), 1000));
    MakeGarbage(m.get(), 64 * kMiB / kSanitizerDivisor);  // >= 2.6x the limit
    EXPECT_EQ(SumList(m.get(), list.get()), 1000 * 1001 / 2);
  }
  EXPECT_GE(CountPauses(t.heap.get(), PausePhase::kFullCollection), 1);
  for (const CycleRecord& c : t.heap->stats().cycles()) {
    EXPECT_EQ(c.cause, GcCause::kAllocationFailure);
  }
}

TEST(ConcurrentFallbackTest, GogcOffNeverStartsACycleByItself) {
  ConcurrentOptions o = Checked();
  o.gogc = -1;
  auto t = MakeTestHeapWith<ConcurrentCollector>(o);
  {
    ScopedMutator m(t.heap.get());
    MakeGarbage(m.get(), 16 * kMiB);
  }
  EXPECT_EQ(t.heap->stats().collections(), 0u);
}

// Pins defect 4: a trigger reached while the previous cycle's sweep ran was
// dropped (the request was refused while a cycle "ran", and the fast-path
// flag stayed set for the whole next cycle), so cycles started far past their
// trigger (9.0-16.5 MiB against triggers of 7.6-9.1 MiB).
TEST(ConcurrentPacingTest, ATriggerReachedWhileThePreviousCycleSweepsIsNotDropped) {
  ConcurrentOptions o = Manual(BarrierKind::kHybrid);
  o.gogc = 100;
  auto t = MakeTestHeapWith<ConcurrentCollector>(o);
  ConcurrentCollector& gc = *t.collector;
  ScopedMutator m(t.heap.get());
  for (int cycle = 1; cycle <= 3; ++cycle) {
    gc.BeginCycleForTesting(m.get());
    gc.MarkTerminationForTesting(m.get());  // now sweeping
    ASSERT_EQ(gc.pending_request_ForTesting(), std::nullopt);
    MakeGarbage(m.get(), 2 * t.collector->pacer().trigger());
    EXPECT_EQ(gc.pending_request_ForTesting(), GcCause::kHeapTrigger) << "cycle " << cycle;
    gc.FinishCycleForTesting(m.get());
  }
  const std::vector<CycleRecord> cycles = t.heap->stats().cycles();
  ASSERT_EQ(cycles.size(), 3u);
  EXPECT_EQ(cycles[0].cause, GcCause::kExplicit);
  EXPECT_EQ(cycles[1].cause, GcCause::kHeapTrigger);  // served the request
  EXPECT_EQ(cycles[2].cause, GcCause::kHeapTrigger);
}

// Pins defect 2 (and item 10: this test used to race the collector's thread
// and failed 20 times out of 20 on a fresh machine, with goals of 9.0-21.8 MB
// against the 8 MiB limit). Driven step by step: whenever the trigger posts a
// request, a cycle runs while the mutator allocates 6 MiB of garbage (black),
// as a fast mutator does during a concurrent mark. That garbage is not live:
// the goal the limit sets must stay at the limit.
TEST(ConcurrentPacingTest, MemoryLimitBelowTheGogcGoalCausesLimitCycles) {
  ConcurrentOptions o = Manual(BarrierKind::kHybrid);
  o.gogc = 400;
  o.memory_limit_bytes = 8 * kMiB;
  auto t = MakeTestHeapWith<ConcurrentCollector>(o);
  {
    ScopedMutator m(t.heap.get());
    HandleScope scope(m.get());
    Local list(m.get(), MakeList(m.get(), 40000));  // ~2.2 MiB live
    for (size_t allocated = 0; allocated < 48 * kMiB; allocated += 256 * 1024) {
      MakeGarbage(m.get(), 256 * 1024);
      if (t.collector->pending_request_ForTesting().has_value()) {
        t.collector->BeginCycleForTesting(m.get());
        MakeGarbage(m.get(), 6 * kMiB);
        allocated += 6 * kMiB;
        t.collector->FinishCycleForTesting(m.get());
      }
    }
    EXPECT_EQ(SumList(m.get(), list.get()), int64_t{40000} * 40001 / 2);
  }
  int limit_cycles = 0;
  for (const CycleRecord& c : t.heap->stats().cycles()) {
    if (c.cause != GcCause::kMemoryLimit) continue;
    ++limit_cycles;
    EXPECT_LE(c.heap_goal_bytes, 8 * kMiB) << "cycle " << c.cycle;
  }
  EXPECT_GE(limit_cycles, 3);
}

TEST(ConcurrentLifecycleTest, MutatorsAttachAndDetachWhileCyclesRun) {
  auto t = MakeTestHeapWith<ConcurrentCollector>(Checked());
  std::atomic<bool> stop{false};
  std::vector<std::thread> threads;
  for (int i = 0; i < 3; ++i) {
    threads.emplace_back([&, i] {
      for (int round = 0; round < 20 && !stop.load(); ++round) {
        ScopedMutator m(t.heap.get());
        HandleScope scope(m.get());
        Local list(m.get(), MakeList(m.get(), 200 + i));
        MakeGarbage(m.get(), 256 * 1024);
        EXPECT_EQ(SumList(m.get(), list.get()), (200 + i) * (201 + i) / 2);
      }
    });
  }
  {
    ScopedMutator m(t.heap.get());
    for (int i = 0; i < 10; ++i) m->CollectGarbage();
  }
  stop.store(true);
  for (std::thread& th : threads) th.join();
  EXPECT_GE(t.heap->stats().collections(), 10u);
}

TEST(ConcurrentLifecycleTest, ShutdownWithACycleInProgressFinishesIt) {
  for (int i = 0; i < 10; ++i) {
    ConcurrentOptions o = Checked();
    o.min_heap_bytes = 1 * kMiB;
    auto t = MakeTestHeapWith<ConcurrentCollector>(o);
    {
      ScopedMutator m(t.heap.get());
      MakeGarbage(m.get(), 2 * kMiB);  // posts a request; the cycle may still run
    }
    t.heap.reset();  // joins the collector's threads; must neither hang nor leak
  }
}

TEST(ConcurrentTraceTest, GcTracePrintsOneLinePerCycle) {
  auto t = MakeTestHeapWith<ConcurrentCollector>(Checked(), {.gctrace = true});
  ScopedMutator m(t.heap.get());
  ::testing::internal::CaptureStderr();
  m->CollectGarbage();
  const std::string out = ::testing::internal::GetCapturedStderr();
  EXPECT_NE(out.find("gc 1 @"), std::string::npos) << out;
  EXPECT_NE(out.find("concurrent"), std::string::npos) << out;
  EXPECT_NE(out.find("cause explicit"), std::string::npos) << out;
}

TEST(ConcurrentOptionsTest, RejectsInvalidOptions) {
  ConcurrentOptions o;
  o.gogc = 0;
  EXPECT_FALSE(ValidateConcurrentOptions(o).ok());
  o = ConcurrentOptions();
  o.marker_threads = 0;
  EXPECT_FALSE(ValidateConcurrentOptions(o).ok());
  o = ConcurrentOptions();
  o.barrier = BarrierKind::kNone;
  EXPECT_FALSE(NewConcurrentCollector(o).ok());
  EXPECT_TRUE(NewConcurrentCollector(ConcurrentOptions()).ok());
}

}  // namespace
}  // namespace gclab
