// MarkerPool on its own: objects built in plain memory (no heap), so the test
// isolates work distribution and termination detection. If any marker
// stopped while another still held shareable work, or a round ended with
// grey objects left, some reachable object would stay white.
#include "collectors/concurrent/marker.h"

#include <atomic>
#include <cstdint>
#include <memory>
#include <random>
#include <thread>
#include <vector>

#include "gtest/gtest.h"
#include "object/object.h"

namespace gclab {
namespace {

class Graph {
 public:
  // `n` two-pointer objects; a random tree over the first reachable_n plus
  // random cross edges among them; the rest is unreachable garbage.
  Graph(size_t n, size_t reachable_n, uint32_t seed) {
    static const TypeDescriptor* kType = MakeRecordType("MarkerTestNode", 2, 8);
    const size_t size = ObjectSizeFor(kType);
    memory_ = std::make_unique<uint64_t[]>(n * size / 8);
    std::mt19937 rng(seed);
    for (size_t i = 0; i < n; ++i) {
      objects_.push_back(InitializeObject(reinterpret_cast<char*>(memory_.get()) + i * size, kType,
                                          size, /*epoch=*/1, 0));
    }
    for (size_t i = 1; i < reachable_n; ++i) {  // tree: parent < child
      Object* parent = objects_[std::uniform_int_distribution<size_t>(0, i - 1)(rng)];
      Object** slot = parent->slot_at(LoadPointer(parent->slot_at(0)) == nullptr ? 0 : 8);
      if (LoadPointer(slot) == nullptr) {
        StorePointerRaw(slot, objects_[i]);
      } else {
        // Both slots taken: chain through a fresh grandchild slot instead.
        StorePointerRaw(objects_[i - 1]->slot_at(8), objects_[i]);
      }
    }
    bytes_per_object_ = size;
    reachable_n_ = reachable_n;
  }

  Object* root() const { return objects_[0]; }

  // Counts reachable objects by a plain DFS (the oracle).
  size_t CountReachable() const {
    std::vector<Object*> stack = {objects_[0]};
    std::vector<bool> seen(objects_.size());
    size_t n = 0;
    while (!stack.empty()) {
      Object* o = stack.back();
      stack.pop_back();
      const size_t index = Index(o);
      if (seen[index]) continue;
      seen[index] = true;
      ++n;
      o->ForEachPointerSlot([&](Object** s) {
        if (Object* t = LoadPointer(s)) stack.push_back(t);
      });
    }
    return n;
  }

  size_t CountMarked(uint8_t epoch) const {
    size_t n = 0;
    for (Object* o : objects_) n += o->IsMarked(epoch);
    return n;
  }

  size_t bytes_per_object() const { return bytes_per_object_; }

 private:
  size_t Index(Object* o) const {
    return (reinterpret_cast<char*>(o) - reinterpret_cast<char*>(memory_.get())) /
           bytes_per_object_;
  }

  std::unique_ptr<uint64_t[]> memory_;
  std::vector<Object*> objects_;
  size_t bytes_per_object_ = 0;
  size_t reachable_n_ = 0;
};

void MarkFromRoot(MarkerPool& pool, MarkWorklist& worklist, Object* root, uint8_t epoch) {
  {
    MarkWorklist::Local local(&worklist);
    root->TryMark(epoch);
    local.Push(root);
  }  // published
  pool.MarkUntilIdle(epoch);
}

class MarkerPoolTest : public ::testing::TestWithParam<int> {};

TEST_P(MarkerPoolTest, MarksExactlyTheReachableObjectsEveryRound) {
  Graph graph(/*n=*/60000, /*reachable_n=*/40000, /*seed=*/7);
  const size_t reachable = graph.CountReachable();
  MarkWorklist worklist;
  std::atomic<uint64_t> scan_done{0};
  std::atomic<int64_t> credit{0};
  MarkerPool pool(&worklist, GetParam(), &scan_done, &credit);
  pool.Start();
  uint8_t epoch = 1;
  for (int round = 0; round < 20; ++round) {
    epoch = epoch == 255 ? 1 : epoch + 1;
    scan_done.store(0);
    MarkFromRoot(pool, worklist, graph.root(), epoch);
    EXPECT_TRUE(worklist.IsEmpty());
    EXPECT_EQ(graph.CountMarked(epoch), reachable) << "round " << round;
    const MarkerStats stats = pool.TakeCycleStats();
    EXPECT_EQ(stats.objects, reachable) << "every object blackened exactly once";
    EXPECT_EQ(scan_done.load(), reachable * graph.bytes_per_object());
  }
  EXPECT_EQ(credit.load(), static_cast<int64_t>(20 * reachable * graph.bytes_per_object()));
  pool.Stop();
}

TEST_P(MarkerPoolTest, AnEmptyRoundEndsImmediately) {
  MarkWorklist worklist;
  std::atomic<uint64_t> scan_done{0};
  std::atomic<int64_t> credit{0};
  MarkerPool pool(&worklist, GetParam(), &scan_done, &credit);
  pool.Start();
  for (int i = 0; i < 100; ++i) pool.MarkUntilIdle(2);
  EXPECT_EQ(pool.TakeCycleStats().objects, 0u);
}

// A chain: node i points to node i + 1 and nothing else, so there is one grey
// object at a time.
std::vector<Object*> MakeChain(std::unique_ptr<uint64_t[]>* memory, size_t n) {
  static const TypeDescriptor* kType = MakeRecordType("MarkerTestChainNode", 1, 8);
  const size_t size = ObjectSizeFor(kType);
  *memory = std::make_unique<uint64_t[]>(n * size / 8);
  std::vector<Object*> nodes;
  for (size_t i = 0; i < n; ++i) {
    nodes.push_back(InitializeObject(reinterpret_cast<char*>(memory->get()) + i * size, kType, size,
                                     /*epoch=*/1, 0));
    if (i > 0) StorePointerRaw(nodes[i - 1]->slot_at(0), nodes[i]);
  }
  return nodes;
}

// Pins defect 8: on a chain-shaped heap a round ended as soon as the shared
// pool was empty while an assist held the only grey object, so the markers
// did no work and the mutator paid for all the marking. An assist now counts
// as busy, and hands its grey objects to a marker that waits for work.
TEST_P(MarkerPoolTest, AnAssistHoldingTheOnlyGreyObjectHandsTheChainToIdleMarkers) {
  std::unique_ptr<uint64_t[]> memory;
  constexpr size_t kNodes = 10000;
  std::vector<Object*> chain = MakeChain(&memory, kNodes);
  MarkWorklist worklist;
  std::atomic<uint64_t> scan_done{0};
  std::atomic<int64_t> credit{0};
  MarkerPool pool(&worklist, GetParam(), &scan_done, &credit);
  pool.Start();
  const uint8_t epoch = 2;
  MarkWorklist::Local assist_buffer(&worklist);  // a mutator's barrier buffer
  chain[0]->TryMark(epoch);
  assist_buffer.Push(chain[0]);
  uint64_t assist_bytes = 0, assist_objects = 0;
  std::atomic<bool> round_over{false};
  std::thread owner;
  {
    MarkerPool::AssistScope assist(&pool);
    owner = std::thread([&] {
      pool.MarkUntilIdle(epoch);
      round_over.store(true);
    });
    // Every marker finds the pool empty; the round must wait for the assist.
    while (pool.idle_markers_ForTesting() < GetParam() && !round_over.load()) {
      std::this_thread::yield();
    }
    EXPECT_FALSE(round_over.load()) << "the round ended while the assist held the only grey object";
    EXPECT_TRUE(assist.Drain(assist_buffer, epoch, /*budget_bytes=*/1 << 30, &assist_bytes,
                             &assist_objects));
    EXPECT_EQ(assist_objects, 1u) << "the assist kept the chain instead of handing it over";
    assist_buffer.Publish();
  }  // the assist ends: the markers finish the chain, then the round
  owner.join();
  EXPECT_EQ(pool.TakeCycleStats().objects, kNodes - 1);
  for (Object* node : chain) EXPECT_TRUE(node->IsMarked(epoch));
  pool.Stop();
}

INSTANTIATE_TEST_SUITE_P(Threads, MarkerPoolTest, ::testing::Values(1, 2, 4),
                         [](const ::testing::TestParamInfo<int>& info) {
                           return std::to_string(info.param) + "markers";
                         });

}  // namespace
}  // namespace gclab
