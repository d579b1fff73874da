#include "heap/heap.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <future>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "heap/checkmark.h"
#include "heap/mutator.h"
#include "registry/registry.h"
#include "testkit/heap_fixture.h"

namespace gclab {
namespace {

using ::gclab::testkit::BuildTree;
using ::gclab::testkit::kId;
using ::gclab::testkit::kLeft;
using ::gclab::testkit::MakeTestHeap;
using ::gclab::testkit::NewNode;
using ::gclab::testkit::NodeId;
using ::gclab::testkit::NodeType;
using ::gclab::testkit::ScopedMutator;
using ::gclab::testkit::Summarize;
using ::testing::HasSubstr;

constexpr int kThreads = 4;

TEST(HeapTest, FourThreadsAttachAllocateAndDetach) {
  auto heap = MakeTestHeap("size_class", "marksweep");
  std::vector<std::thread> threads;
  std::atomic<int> attached{0};
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      ScopedMutator m(heap.get());
      attached.fetch_add(1);
      HandleScope scope(m);
      Local root(m, BuildTree(m, 10, 1));
      EXPECT_EQ(Summarize(m, root.get()).nodes, 1023u);
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(attached.load(), kThreads);
  EXPECT_EQ(heap->mutator_count(), 0u);
  EXPECT_EQ(heap->objects_allocated(), kThreads * 1023u);
}

TEST(HeapTest, StopTheWorldHaltsEveryRunningMutator) {
  auto heap = MakeTestHeap("size_class", "nogc");
  std::atomic<bool> stop{false};
  std::vector<std::atomic<uint64_t>> progress(kThreads);
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      ScopedMutator m(heap.get());
      while (!stop.load()) {
        progress[t].fetch_add(1);
        m->Poll();
      }
    });
  }
  while (heap->mutator_count() < kThreads) std::this_thread::yield();
  heap->StopTheWorld(nullptr);
  EXPECT_TRUE(heap->world_stopped());
  std::vector<uint64_t> before;
  for (auto& p : progress) before.push_back(p.load());
  absl::SleepFor(absl::Milliseconds(30));
  for (int t = 0; t < kThreads; ++t) EXPECT_EQ(progress[t].load(), before[t]) << "thread " << t;
  heap->ResumeTheWorld(nullptr);
  // Every thread runs again; however long the scheduler takes to show it
  // (a time limit here would make the verdict depend on the machine).
  for (int t = 0; t < kThreads; ++t) {
    while (progress[t].load() == before[t]) std::this_thread::yield();
  }
  stop = true;
  for (auto& t : threads) t.join();
}

TEST(HeapTest, ParkedMutatorDoesNotDelayStopTheWorldAndCannotUnparkUntilResume) {
  auto heap = MakeTestHeap("size_class", "nogc");
  ::gclab::testkit::Notification parked, release;
  std::atomic<Mutator*> mutator{nullptr};
  std::atomic<bool> unparking{false}, unparked{false};
  std::thread blocked([&] {
    ScopedMutator m(heap.get());
    mutator = m.get();
    {
      ParkedScope p(m);
      parked.Notify();
      release.WaitForNotification();
      unparking = true;
    }  // Unpark: must wait while the world is stopped.
    unparked = true;
  });
  parked.WaitForNotification();
  heap->StopTheWorld(nullptr);  // returns without the parked thread polling (else: timeout)
  EXPECT_TRUE(heap->world_stopped());
  EXPECT_EQ(mutator.load()->state(), Mutator::kParked);
  release.Notify();
  while (!unparking) std::this_thread::yield();
  // A correct heap keeps the thread parked however long this takes; a broken
  // one lets it run into the stopped world within this window.
  std::this_thread::sleep_for(std::chrono::milliseconds(20));
  EXPECT_FALSE(unparked.load()) << "a mutator unparked while the world was stopped";
  heap->ResumeTheWorld(nullptr);
  blocked.join();
  EXPECT_TRUE(unparked.load());
}

TEST(HeapTest, HandshakeRunsOnceForEveryMutatorRunningOrParked) {
  auto heap = MakeTestHeap("size_class", "nogc");
  std::atomic<bool> stop{false};
  ::gclab::testkit::Notification parked, release;
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&] {
      ScopedMutator m(heap.get());
      while (!stop.load()) m->Poll();
    });
  }
  threads.emplace_back([&] {
    ScopedMutator m(heap.get());
    ParkedScope p(m);
    parked.Notify();
    release.WaitForNotification();
  });
  parked.WaitForNotification();
  while (heap->mutator_count() < kThreads + 1) std::this_thread::yield();
  std::mutex mu;
  std::vector<int> seen;
  heap->Handshake(nullptr, [&](Mutator* m) {
    std::lock_guard<std::mutex> lock(mu);
    seen.push_back(m->id());
  });
  std::sort(seen.begin(), seen.end());
  EXPECT_EQ(seen.size(), static_cast<size_t>(kThreads + 1));
  EXPECT_EQ(std::unique(seen.begin(), seen.end()), seen.end()) << "a mutator ran it twice";
  stop = true;
  release.Notify();
  for (auto& t : threads) t.join();
}

// Pins defect 7: Handshake(self, fn) ran fn(self) and then waited for the
// safepoint lock while self was running. A StopTheWorld that took the lock
// first waited for self to park: neither moved. The stop is requested while
// fn(self) runs, so the interleaving is forced, not hoped for.
TEST(HeapTest, HandshakeFromAMutatorLetsAConcurrentStopTheWorldFinish) {
  auto heap = MakeTestHeap("size_class", "nogc");
  std::promise<void> finished;
  std::thread requester([&] {
    ScopedMutator m(heap.get());
    std::thread stopper;
    heap->Handshake(m, [&](Mutator* target) {
      if (target != m.get()) return;
      stopper = std::thread([&] {
        heap->StopTheWorld(nullptr);
        heap->ResumeTheWorld(nullptr);
      });
      while (!heap->stop_requested_ForTesting()) std::this_thread::yield();
    });
    stopper.join();
    finished.set_value();
  });
  if (finished.get_future().wait_for(std::chrono::seconds(60)) != std::future_status::ready) {
    std::fprintf(stderr, "Handshake(self) and StopTheWorld deadlocked\n");
    std::_Exit(1);  // the two threads cannot be joined
  }
  requester.join();
}

TEST(HeapTest, AllocationBeyondTheLimitIsResourceExhaustedNotACrash) {
  for (const char* collector : {"nogc", "marksweep"}) {
    auto heap = MakeTestHeap("size_class", collector, {.heap_limit_bytes = 8 * testkit::kMiB});
    ScopedMutator m(heap.get());
    HandleScope scope(m);
    Local list(m);
    absl::Status status;
    for (int i = 0; i < 1000000 && status.ok(); ++i) {
      absl::StatusOr<Object*> n = m->Allocate(NodeType());
      if (!n.ok()) {
        status = n.status();
        break;
      }
      m->Store(*n, kLeft, list.get());  // keep everything live
      list.set(*n);
    }
    EXPECT_EQ(status.code(), absl::StatusCode::kResourceExhausted) << collector;
    EXPECT_THAT(status.message(), HasSubstr("heap limit of 8388608 bytes")) << collector;
  }
}

TEST(HeapTest, StackObjectsAreRootsAndSurviveCollection) {
  auto heap = MakeTestHeap("size_class", "marksweep");
  ScopedMutator m(heap.get());
  StackFrame frame(m);
  Object* holder = m->StackAllocate(NodeType());
  ASSERT_NE(holder, nullptr);
  EXPECT_TRUE(holder->is_stack_allocated());
  m->Store(holder, kLeft, BuildTree(m, 8, 100));  // only the stack object holds it
  m->CollectGarbage();
  EXPECT_EQ(Summarize(m, m->Load(holder, kLeft)).nodes, 255u);
  EXPECT_EQ(heap->stats().collections(), 1u);
}

TEST(HeapTest, StackFrameReleasesItsObjects) {
  auto heap = MakeTestHeap("size_class", "nogc");
  ScopedMutator m(heap.get());
  const size_t top = m->stack_region().top();
  {
    StackFrame frame(m);
    for (int i = 0; i < 10; ++i) ASSERT_NE(m->StackAllocate(NodeType()), nullptr);
    EXPECT_GT(m->stack_region().top(), top);
  }
  EXPECT_EQ(m->stack_region().top(), top);
  EXPECT_EQ(m->stack_objects_allocated(), 10u);
}

TEST(HeapTest, VerifierRejectsHeapPointerIntoStackRegion) {
  auto heap = MakeTestHeap("size_class", "nogc");
  ScopedMutator m(heap.get());
  HandleScope scope(m);
  StackFrame frame(m);
  Local heap_obj(m, NewNode(m, 1));
  m->Store(heap_obj.get(), kLeft, m->StackAllocate(NodeType()));
  heap->StopTheWorld(m);
  absl::Status s = heap->VerifyNow(-1);
  heap->ResumeTheWorld(m);
  EXPECT_THAT(s.message(), HasSubstr("points into a stack region"));
}

// Pins defect 9: the verifier accepted roots of one thread pointing into
// another thread's stack region (they dangle once that frame returns).
TEST(HeapTest, VerifierRejectsRootsPointingIntoAnotherThreadsStackRegion) {
  auto heap = MakeTestHeap("size_class", "nogc");
  ::gclab::testkit::Notification allocated, release;
  Object* other_stack_object = nullptr;
  int other_id = 0;
  std::thread other([&] {
    ScopedMutator m(heap.get());
    StackFrame frame(m);
    other_stack_object = m->StackAllocate(NodeType());
    other_id = m->id();
    ParkedScope parked(m);
    allocated.Notify();
    release.WaitForNotification();
  });
  allocated.WaitForNotification();
  {
    ScopedMutator m(heap.get());
    HandleScope scope(m);
    StackFrame frame(m);
    Object* own_stack_object = m->StackAllocate(NodeType());
    Local own(m, own_stack_object);  // into its own region: fine
    heap->StopTheWorld(m);
    EXPECT_TRUE(heap->VerifyNow(-1).ok());
    heap->ResumeTheWorld(m);

    Local foreign(m, other_stack_object);
    heap->StopTheWorld(m);
    absl::Status s = heap->VerifyNow(-1);
    heap->ResumeTheWorld(m);
    EXPECT_THAT(s.message(),
                HasSubstr(absl::StrCat("shadow stack of mutator ", m->id(),
                                       " points into the stack region of mutator ", other_id)));
    foreign.set(nullptr);

    m->Store(own_stack_object, kLeft, other_stack_object);
    heap->StopTheWorld(m);
    s = heap->VerifyNow(-1);
    heap->ResumeTheWorld(m);
    EXPECT_THAT(s.message(), HasSubstr("field of a stack object of mutator"));
    EXPECT_THAT(s.message(), HasSubstr("points into the stack region of mutator"));
    m->Store(own_stack_object, kLeft, nullptr);
  }
  release.Notify();
  other.join();
}

TEST(HeapTest, VerifierRejectsCorruptHeader) {
  auto heap = MakeTestHeap("size_class", "nogc");
  ScopedMutator m(heap.get());
  HandleScope scope(m);
  Local root(m, BuildTree(m, 4));
  Object* child = m->Load(root.get(), kLeft);
  child->header().magic = 0;
  heap->StopTheWorld(m);
  absl::Status s = heap->VerifyNow(-1);
  heap->ResumeTheWorld(m);
  child->header().magic = kObjectMagic;
  EXPECT_THAT(s.message(), HasSubstr("bad magic"));
}

TEST(HeapTest, GlobalRootsKeepObjectsAlive) {
  auto heap = MakeTestHeap("size_class", "marksweep");
  Object** global = heap->NewGlobalRoot();
  {
    ScopedMutator m(heap.get());
    m->WriteGlobal(global, BuildTree(m, 6, 7));
    m->CollectGarbage();
    EXPECT_EQ(Summarize(m, *global).nodes, 63u);
  }
  heap->DeleteGlobalRoot(global);
}

TEST(CheckmarkTest, NamesTheFirstWhiteReachableObjectAndItsPathFromARoot) {
  auto heap = MakeTestHeap("size_class", "nogc");
  Object** global = heap->NewGlobalRoot();
  Object *a, *b;
  {
    ScopedMutator m(heap.get());
    HandleScope scope(m);
    Local first(m, NewNode(m, 1));
    m->Store(first.get(), kLeft, NewNode(m, 2));
    m->WriteGlobal(global, first.get());
    a = first.get();
    b = m->Load(a, kLeft);
  }
  const uint8_t epoch = heap->epoch();
  EXPECT_TRUE(Checkmark(*heap, epoch).ok());  // everything carries the epoch
  const uint8_t next = epoch == 255 ? 1 : epoch + 1;
  a->TryMark(next);  // a marked in the next epoch, b left white
  absl::Status s = Checkmark(*heap, next);
  EXPECT_EQ(s.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(s.message(),
              HasSubstr(absl::StrFormat(
                  "reachable object %p (TestNode) is white (mark %d, epoch %d)", b, epoch, next)));
  EXPECT_THAT(s.message(),
              HasSubstr(absl::StrFormat(
                  "path: global root #0 -> %p (TestNode, marked) .+0 -> %p (TestNode)", a, b)));
  heap->DeleteGlobalRoot(global);
}

TEST(HeapTest, EpochAdvancesAndNeverBecomesZero) {
  auto heap = MakeTestHeap("size_class", "nogc");
  uint8_t prev = heap->epoch();
  for (int i = 0; i < 600; ++i) {
    uint8_t e = heap->AdvanceEpoch();
    EXPECT_NE(e, 0);
    EXPECT_NE(e, prev);
    prev = e;
  }
}

// A collector that only counts barrier calls, to test the store path.
class BarrierCountingCollector final : public Collector {
 public:
  absl::string_view name() const override { return "counting"; }
  const CollectorConstraints& constraints() const override { return constraints_; }
  absl::Status Attach(Heap* heap) override { return absl::OkStatus(); }
  void OnAllocationBudgetExhausted(Mutator* m) override {}
  bool CollectForAllocationFailure(Mutator* m, size_t bytes) override { return false; }
  void CollectNow(Mutator* m) override {}
  void WriteBarrierSlow(Mutator* m, Object* holder, Object** slot, Object* value) override {
    ++calls;
    last_mutator = m;
    last_holder = holder;
    last_old_value = LoadPointer(slot);
    StorePointerRaw(slot, value);
  }
  int calls = 0;
  Mutator* last_mutator = nullptr;
  Object* last_holder = nullptr;
  Object* last_old_value = nullptr;

 private:
  CollectorConstraints constraints_{.frees_memory = false, .needs_write_barrier = true};
};

TEST(HeapTest, StoresTakeTheBarrierSlowPathOnlyWhileEnabled) {
  auto t = ::gclab::testkit::MakeTestHeapWith(std::make_unique<BarrierCountingCollector>(), {},
                                              "size_class");
  Heap* heap = t.heap.get();
  BarrierCountingCollector* collector = t.collector;
  ScopedMutator m(heap);
  HandleScope scope(m);
  Local a(m, NewNode(m, 1)), b(m, NewNode(m, 2));
  m->Store(a.get(), kLeft, b.get());
  EXPECT_EQ(collector->calls, 0);
  heap->SetWriteBarrierEnabled(true);
  m->Store(a.get(), kLeft, nullptr);
  Object** g = heap->NewGlobalRoot();
  m->WriteGlobal(g, b.get());
  heap->SetWriteBarrierEnabled(false);
  EXPECT_EQ(collector->calls, 2);
  EXPECT_EQ(collector->last_holder, nullptr);  // the global store
  EXPECT_EQ(m->Load(a.get(), kLeft), nullptr);
  EXPECT_EQ(*g, b.get());
  m->DeleteGlobalRoot(g);
}

// Defect 1's fix: deleting a root deletes a pointer, and a concurrent
// collector must see it like any other deletion.
TEST(HeapTest, DeletingAGlobalRootWhileBarriersAreOnIsABarrieredStoreOfNull) {
  auto t = ::gclab::testkit::MakeTestHeapWith(std::make_unique<BarrierCountingCollector>(), {},
                                              "size_class");
  Heap* heap = t.heap.get();
  BarrierCountingCollector* collector = t.collector;
  Object** by_heap = heap->NewGlobalRoot();
  Object** by_mutator = heap->NewGlobalRoot();
  Object* node;
  {
    ScopedMutator m(heap);
    node = NewNode(m, 1);
    m->WriteGlobal(by_heap, node);
    m->WriteGlobal(by_mutator, node);
    heap->SetWriteBarrierEnabled(true);
    m->DeleteGlobalRoot(by_mutator);  // from a running mutator
    EXPECT_EQ(collector->calls, 1);
    EXPECT_EQ(collector->last_mutator, m.get());
    EXPECT_EQ(collector->last_old_value, node);
  }
  heap->DeleteGlobalRoot(by_heap);  // from a thread that is no mutator
  EXPECT_EQ(collector->calls, 2);
  EXPECT_EQ(collector->last_mutator, nullptr);
  EXPECT_EQ(collector->last_holder, nullptr);
  EXPECT_EQ(collector->last_old_value, node);
  heap->SetWriteBarrierEnabled(false);
  int globals = 0;
  heap->VisitGlobalRoots([&](Object**) { ++globals; });
  EXPECT_EQ(globals, 0);
}

// Pins defect 5: an array length whose size overflows was allocated as a
// 24-byte cell (8 * (2^61 + 1) wraps to 8) and its elements lay past its end.
TEST(HeapTest, AnArrayWhoseSizeOverflowsIsNotAllocated) {
  auto heap = MakeTestHeap("size_class", "marksweep");
  ScopedMutator m(heap.get());
  static const TypeDescriptor* kArray = MakePointerArrayType("HeapTestHugeArray");
  absl::StatusOr<Object*> huge = m->Allocate(kArray, (size_t{1} << 61) + 1);
  ASSERT_FALSE(huge.ok());
  EXPECT_EQ(huge.status().code(), absl::StatusCode::kResourceExhausted);
  EXPECT_THAT(huge.status().message(),
              HasSubstr("HeapTestHugeArray' of length 2305843009213693953"));
  EXPECT_THAT(huge.status().message(), HasSubstr("overflows"));
  EXPECT_THAT(m->Allocate(kArray, size_t{1} << 30).status().message(),
              HasSubstr("more than the largest object"));
  StackFrame frame(m);
  EXPECT_EQ(m->StackAllocate(kArray, (size_t{1} << 61) + 1), nullptr);
}

// Each thread maps its stack region at attach, where failing can only abort:
// a size no mmap grants is rejected when the heap is created.
TEST(HeapTest, CreateRejectsAStackRegionBeyondOneGib) {
  HeapConfig config;
  config.stack_region_bytes = size_t{1} << 60;
  auto heap = MakeHeap(config, *AllocatorConfigForName("bump"), *CollectorConfigForName("nogc"));
  EXPECT_EQ(heap.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(heap.status().message(), HasSubstr("stack_region_bytes must be at most 1073741824"));
}

TEST(HeapTest, FlushCountersMakesTheHeapTotalsExactForTheThread) {
  auto heap = MakeTestHeap("size_class", "nogc");
  ScopedMutator m(heap.get());
  HandleScope scope(m);
  Local a(m, NewNode(m, 1));
  EXPECT_EQ(heap->objects_allocated(), 0u);  // below the flush interval
  m->FlushCounters();
  EXPECT_EQ(heap->objects_allocated(), 1u);
  EXPECT_EQ(heap->bytes_allocated(), m->bytes_allocated());
  m->FlushCounters();  // idempotent
  EXPECT_EQ(heap->objects_allocated(), 1u);
}

TEST(HeapTest, CreateRejectsTinyHeapLimit) {
  HeapConfig config;
  config.heap_limit_bytes = 1000;
  auto heap = MakeHeap(config, *AllocatorConfigForName("bump"), *CollectorConfigForName("nogc"));
  EXPECT_EQ(heap.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(heap.status().message(), HasSubstr("heap_limit_bytes"));
}

}  // namespace
}  // namespace gclab
