// Small fixtures for the concurrent collector's tests, so each test is a few
// lines: a heap with a bump allocator and a ConcurrentCollector whose
// *_ForTesting hooks the test can reach, and a two-pointer node type.
#ifndef GCLAB_COLLECTORS_CONCURRENT_CONCURRENT_TEST_FIXTURE_H_
#define GCLAB_COLLECTORS_CONCURRENT_CONCURRENT_TEST_FIXTURE_H_

#include <cstdint>
#include <memory>
#include <utility>

#include "allocators/bump/bump_allocator.h"
#include "collectors/concurrent/concurrent_collector.h"
#include "gtest/gtest.h"
#include "heap/heap.h"
#include "heap/mutator.h"

namespace gclab {
namespace testing_internal {

// Node: payload = left (0), right (8), int64 value (16), int64 id (24).
inline const TypeDescriptor* NodeType() {
  static const TypeDescriptor* t = MakeRecordType("ConcurrentTestNode", 2, 16);
  return t;
}
inline constexpr uint32_t kLeft = 0;
inline constexpr uint32_t kRight = 8;
inline constexpr uint32_t kValue = 16;
inline constexpr uint32_t kId = 24;

inline int64_t ValueOf(Object* n) { return n->data_at<int64_t>(kValue); }

// Sanitizers slow allocation-heavy tests down 3-10x: scale their volume.
#if defined(GCLAB_TSAN) || defined(GCLAB_ASAN)
inline constexpr size_t kSanitizerDivisor = 3;
#else
inline constexpr size_t kSanitizerDivisor = 1;
#endif

struct TestHeap {
  std::unique_ptr<Heap> heap;
  ConcurrentCollector* collector = nullptr;  // owned by heap
};

// verify_from_env: honour GCLAB_VERIFY (tests set it); tests of broken
// configurations pass false and check non-fatally instead.
inline TestHeap MakeTestHeap(const ConcurrentOptions& options, HeapConfig config = {},
                             bool verify_from_env = true) {
  if (verify_from_env) ApplyHeapEnvironment(&config);
  auto collector = std::make_unique<ConcurrentCollector>(options);
  ConcurrentCollector* raw = collector.get();
  auto heap = Heap::Create(config, NewBumpAllocator(), std::move(collector));
  EXPECT_TRUE(heap.ok()) << heap.status();
  return TestHeap{std::move(heap).value(), raw};
}

// Attaches the calling thread for the scope's lifetime.
class AttachedScope {
 public:
  explicit AttachedScope(Heap* heap) : heap_(heap), m_(heap->AttachCurrentThread()) {}
  ~AttachedScope() { heap_->DetachCurrentThread(m_); }
  Mutator* get() const { return m_; }
  Mutator* operator->() const { return m_; }

 private:
  Heap* heap_;
  Mutator* m_;
};

inline Object* NewNode(Mutator* m, int64_t value) {
  Object* n = m->Allocate(NodeType()).value();
  n->data_at<int64_t>(kValue) = value;
  return n;
}

// A list of `n` nodes with values 1..n linked through kLeft; returns the head.
inline Object* MakeList(Mutator* m, int n) {
  HandleScope scope(m);
  Local head(m, nullptr);
  for (int i = n; i >= 1; --i) {
    Local node(m, NewNode(m, i));
    m->Store(node.get(), kLeft, head.get());
    head.set(node.get());
  }
  return head.get();
}

inline int64_t SumList(Mutator* m, Object* head) {
  int64_t sum = 0;
  for (Object* n = head; n != nullptr; n = m->Load(n, kLeft)) sum += ValueOf(n);
  return sum;
}

// Allocates `bytes` of unreachable nodes.
inline void MakeGarbage(Mutator* m, size_t bytes) {
  const size_t per = ObjectSizeFor(NodeType());
  for (size_t done = 0; done < bytes; done += per) NewNode(m, 0);
}

inline const char* BarrierName(const ::testing::TestParamInfo<BarrierKind>& info) {
  return BarrierKindName(info.param);
}

}  // namespace testing_internal
}  // namespace gclab

#endif  // GCLAB_COLLECTORS_CONCURRENT_CONCURRENT_TEST_FIXTURE_H_
