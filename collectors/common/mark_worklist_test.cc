#include "collectors/common/mark_worklist.h"

#include <atomic>
#include <thread>
#include <vector>

#include "absl/container/flat_hash_set.h"
#include "gtest/gtest.h"

namespace gclab {
namespace {

Object* Fake(uintptr_t i) { return reinterpret_cast<Object*>(i * 8); }

TEST(MarkWorklistTest, PopsEverythingPushedAcrossSegments) {
  MarkWorklist wl;
  MarkWorklist::Local local(&wl);
  const size_t n = 5 * MarkWorklist::kSegmentCapacity + 17;
  for (size_t i = 1; i <= n; ++i) local.Push(Fake(i));
  EXPECT_GT(wl.SegmentCountForTesting(), 0u);  // full segments were shared
  absl::flat_hash_set<Object*> seen;
  Object* o;
  while (local.Pop(&o)) EXPECT_TRUE(seen.insert(o).second);
  EXPECT_EQ(seen.size(), n);
  EXPECT_TRUE(wl.IsEmpty());
}

TEST(MarkWorklistTest, PublishMakesLocalWorkVisibleToOthers) {
  MarkWorklist wl;
  MarkWorklist::Local producer(&wl), consumer(&wl);
  producer.Push(Fake(1));
  Object* o;
  EXPECT_FALSE(consumer.Pop(&o));  // still private to the producer
  producer.Publish();
  ASSERT_TRUE(consumer.Pop(&o));
  EXPECT_EQ(o, Fake(1));
}

TEST(MarkWorklistTest, ConcurrentProducersAndConsumersLoseNothing) {
  MarkWorklist wl;
  constexpr int kThreads = 4;
  constexpr uintptr_t kPerThread = 20000;
  std::atomic<uint64_t> popped_sum{0}, popped{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      MarkWorklist::Local local(&wl);
      uint64_t sum = 0, count = 0;
      for (uintptr_t i = 1; i <= kPerThread; ++i) {
        local.Push(Fake(t * kPerThread + i));
        Object* o;
        if (i % 3 == 0 && local.Pop(&o)) {
          sum += reinterpret_cast<uintptr_t>(o) / 8;
          ++count;
        }
      }
      local.Publish();
      popped_sum += sum;
      popped += count;
    });
  }
  for (auto& th : threads) th.join();
  MarkWorklist::Local drain(&wl);
  Object* o;
  uint64_t sum = popped_sum, count = popped;
  while (drain.Pop(&o)) {
    sum += reinterpret_cast<uintptr_t>(o) / 8;
    ++count;
  }
  const uint64_t n = kThreads * kPerThread;
  EXPECT_EQ(count, n);
  EXPECT_EQ(sum, n * (n + 1) / 2);
}

}  // namespace
}  // namespace gclab
