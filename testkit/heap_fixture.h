// testkit: the one fixture library for gclab's tests, so that each test is a
// few lines. Heaps from the registry (or with a collector the test built
// itself), attached-thread scopes, a node type and small graph builders.
//
//   auto heap = testkit::MakeTestHeap("size_class", "marksweep");
//   testkit::ScopedMutator m(heap.get());
//   HandleScope scope(m);
//   Local root(m, testkit::BuildTree(m, /*depth=*/10));
//
// The namespace is `gclab::testkit`, not `testing`, so it never shadows
// GoogleTest's `::testing`. Everything here is testonly.
#ifndef GCLAB_TESTKIT_HEAP_FIXTURE_H_
#define GCLAB_TESTKIT_HEAP_FIXTURE_H_

#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <utility>

#include "absl/status/statusor.h"
#include "gtest/gtest.h"
#include "heap/heap.h"
#include "heap/mutator.h"
#include "interfaces/collector.h"

namespace gclab::testkit {

inline constexpr size_t kMiB = size_t{1} << 20;

struct TestHeapOptions {
  size_t heap_limit_bytes = 256 * kMiB;
  // The verifier after every collection and poisoning of freed memory.
  // Tests of deliberately broken collectors turn it off and call
  // Heap::VerifyNow themselves, so the failure is an assertion, not an abort.
  bool verify = true;
  // Checkmark after every mark (heap/checkmark.h); tests of deliberately
  // broken collectors turn it off, like `verify`.
  bool checkmark = true;
  bool gctrace = false;
  // Nonzero: collectors with a `min_heap_bytes` parameter (found by
  // reflection on their registry config; no collector is named) get this
  // value, so that small tests do collect.
  uint64_t min_heap_bytes = 0;
};

// Small tests of workloads: the first collection comes at 256 KiB instead of
// the collectors' default 4 MiB, so that even short runs collect.
inline constexpr TestHeapOptions kCollectEarly{.min_heap_bytes = 256 * 1024};

// The HeapConfig a test heap uses (GCLAB_GCTRACE from the environment too).
HeapConfig MakeTestHeapConfig(const TestHeapOptions& options = {});

// A heap with registry modules `allocator` and `collector` (default
// parameters), or the registry's error.
absl::StatusOr<std::unique_ptr<Heap>> TryMakeTestHeap(const std::string& allocator,
                                                      const std::string& collector,
                                                      const TestHeapOptions& options = {});
// The same; aborts the test binary with the registry's message on failure
// (tests cannot proceed without a heap).
std::unique_ptr<Heap> MakeTestHeap(const std::string& allocator, const std::string& collector,
                                   const TestHeapOptions& options = {});

// A heap over a collector the test constructed itself (to reach its
// *ForTesting hooks); `collector` points into the heap, which owns it.
template <typename C>
struct TestHeapWith {
  std::unique_ptr<Heap> heap;
  C* collector = nullptr;
};
std::unique_ptr<Heap> MakeTestHeapWithCollector(std::unique_ptr<Collector> collector,
                                                const std::string& allocator,
                                                const TestHeapOptions& options);
template <typename C>
TestHeapWith<C> MakeTestHeapWith(std::unique_ptr<C> collector, const TestHeapOptions& options = {},
                                 const std::string& allocator = "bump") {
  C* raw = collector.get();
  return TestHeapWith<C>{MakeTestHeapWithCollector(std::move(collector), allocator, options), raw};
}

// The same, constructing the collector from its options:
//   auto t = MakeTestHeapWith<ConcurrentCollector>(options);
//   t.collector->BeginCycleForTesting(m);
template <typename C, typename Options>
TestHeapWith<C> MakeTestHeapWith(const Options& collector_options,
                                 const TestHeapOptions& options = {},
                                 const std::string& allocator = "bump") {
  return MakeTestHeapWith(std::make_unique<C>(collector_options), options, allocator);
}

// Names parameterized tests after a BarrierKind ("hybrid", ...).
inline std::string BarrierParamName(const ::testing::TestParamInfo<BarrierKind>& info) {
  return BarrierKindName(info.param);
}

// Attaches the current thread for the scope's lifetime.
class ScopedMutator {
 public:
  explicit ScopedMutator(Heap* heap) : heap_(heap), m_(heap->AttachCurrentThread()) {}
  ~ScopedMutator() { heap_->DetachCurrentThread(m_); }
  ScopedMutator(const ScopedMutator&) = delete;
  ScopedMutator& operator=(const ScopedMutator&) = delete;
  Mutator* get() const { return m_; }
  Mutator* operator->() const { return m_; }
  operator Mutator*() const { return m_; }

 private:
  Heap* heap_;
  Mutator* m_;
};

// A one-shot event on std primitives (ThreadSanitizer sees pthread mutexes;
// Debian's uninstrumented absl::Mutex would look like a race).
class Notification {
 public:
  void Notify() {
    std::lock_guard<std::mutex> lock(mu_);
    done_ = true;
    cv_.notify_all();
  }
  void WaitForNotification() {
    std::unique_lock<std::mutex> lock(mu_);
    cv_.wait(lock, [&] { return done_; });
  }
  bool HasBeenNotified() {
    std::lock_guard<std::mutex> lock(mu_);
    return done_;
  }

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  bool done_ = false;
};

// ---- The test node: two pointers and two int64 fields ----
inline constexpr uint32_t kLeft = 0;
inline constexpr uint32_t kRight = 8;
inline constexpr uint32_t kValue = 16;
inline constexpr uint32_t kId = 24;
const TypeDescriptor* NodeType();

// Allocates a node with `id` (value = id); aborts with the status on OOM.
Object* NewNode(Mutator* m, int64_t id);
Object* NewNode(Mutator* m, int64_t id, int64_t value);
inline int64_t NodeId(const Object* node) { return node->data_at<int64_t>(kId); }
inline int64_t ValueOf(const Object* node) { return node->data_at<int64_t>(kValue); }

// A complete binary tree of `depth` levels, ids first_id.. in breadth-first
// order; intermediate nodes stay rooted while it is built.
Object* BuildTree(Mutator* m, int depth, int64_t first_id = 1);
// A list of `n` nodes with ids 1..n linked through kLeft; returns the head.
Object* MakeList(Mutator* m, int n);
// Sum of the values along a kLeft-linked list.
int64_t SumList(Mutator* m, Object* head);
// At least `bytes` of unreachable nodes.
void MakeGarbage(Mutator* m, size_t bytes);

// Nodes and sum of ids reachable from `root` through kLeft/kRight (explicit
// stack, each node once).
struct GraphSummary {
  uint64_t nodes = 0;
  int64_t id_sum = 0;
};
GraphSummary Summarize(Mutator* m, Object* root);

// Sanitizers slow allocation-heavy tests down 3-10x: scale their volume.
#if defined(GCLAB_TSAN) || defined(GCLAB_ASAN)
inline constexpr size_t kSanitizerDivisor = 3;
#else
inline constexpr size_t kSanitizerDivisor = 1;
#endif

}  // namespace gclab::testkit

#endif  // GCLAB_TESTKIT_HEAP_FIXTURE_H_
