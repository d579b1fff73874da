#include "heap/heap.h"

#include <algorithm>
#include <atomic>
#include <chrono>
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
  absl::SleepFor(absl::Milliseconds(30));
  for (int t = 0; t < kThreads; ++t) EXPECT_GT(progress[t].load(), before[t]) << "thread " << t;
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
    last_holder = holder;
    StorePointerRaw(slot, value);
  }
  int calls = 0;
  Object* last_holder = nullptr;

 private:
  CollectorConstraints constraints_{.frees_memory = false, .needs_write_barrier = true};
};

TEST(HeapTest, StoresTakeTheBarrierSlowPathOnlyWhileEnabled) {
  auto allocator = MakeAllocator(*AllocatorConfigForName("size_class"));
  ASSERT_TRUE(allocator.ok());
  auto owned = std::make_unique<BarrierCountingCollector>();
  BarrierCountingCollector* collector = owned.get();
  auto heap = Heap::Create(HeapConfig{}, *std::move(allocator), std::move(owned));
  ASSERT_TRUE(heap.ok()) << heap.status();
  ScopedMutator m(heap->get());
  HandleScope scope(m);
  Local a(m, NewNode(m, 1)), b(m, NewNode(m, 2));
  m->Store(a.get(), kLeft, b.get());
  EXPECT_EQ(collector->calls, 0);
  (*heap)->SetWriteBarrierEnabled(true);
  m->Store(a.get(), kLeft, nullptr);
  Object** g = (*heap)->NewGlobalRoot();
  m->WriteGlobal(g, b.get());
  (*heap)->SetWriteBarrierEnabled(false);
  EXPECT_EQ(collector->calls, 2);
  EXPECT_EQ(collector->last_holder, nullptr);  // the global store
  EXPECT_EQ(m->Load(a.get(), kLeft), nullptr);
  EXPECT_EQ(*g, b.get());
  (*heap)->DeleteGlobalRoot(g);
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
