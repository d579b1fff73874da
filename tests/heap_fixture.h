// Small helpers that make heap tests a few lines each.
//
//   auto heap = MakeTestHeap("size_class", "marksweep");
//   ScopedMutator m(heap.get());
//   HandleScope scope(m);
//   Object* node = NewNode(m, /*id=*/1);
#ifndef GCLAB_TESTS_HEAP_FIXTURE_H_
#define GCLAB_TESTS_HEAP_FIXTURE_H_

#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>

#include "heap/heap.h"
#include "heap/mutator.h"

namespace gclab {
namespace testing {

// A heap with the verifier on (whatever the environment says) and
// poisoning of freed memory. Aborts the test binary on a bad name.
std::unique_ptr<Heap> MakeTestHeap(const std::string& allocator, const std::string& collector,
                                   size_t heap_limit_bytes = size_t{256} << 20, bool verify = true);

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

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  bool done_ = false;
};

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

// Test node type: two pointer fields (kLeft = 0, kRight = 8) and a uint64 id
// at kId = 16.
inline constexpr uint32_t kLeft = 0;
inline constexpr uint32_t kRight = 8;
inline constexpr uint32_t kId = 16;
const TypeDescriptor* NodeType();

// Allocates a node with `id` (CHECK-fails on OOM).
Object* NewNode(Mutator* m, uint64_t id);
inline uint64_t NodeId(Object* node) { return node->data_at<uint64_t>(kId); }

// Builds a complete binary tree of `depth` levels (ids 1..2^depth-1 in
// breadth-first order); returns its root. Keeps intermediate nodes rooted.
Object* BuildTree(Mutator* m, int depth, uint64_t first_id = 1);
// Sum of ids and count of nodes reachable from `root` (explicit stack).
struct TreeSummary {
  uint64_t nodes = 0;
  uint64_t id_sum = 0;
};
TreeSummary Summarize(Mutator* m, Object* root);

}  // namespace testing
}  // namespace gclab

#endif  // GCLAB_TESTS_HEAP_FIXTURE_H_
