#include "workloads/lru_cache.h"

#include "gtest/gtest.h"
#include "heap/mutator.h"
#include "testkit/heap_fixture.h"

namespace gclab {
namespace {

LruCacheParams Small() {
  LruCacheParams p;
  p.set_capacity(300);
  p.set_key_space(1500);
  p.set_requests(30000);
  p.set_min_value_bytes(16);
  p.set_max_value_bytes(200);
  p.set_hot_percent(80);
  return p;
}

TEST(LruCacheTest, RunValidatesWithHitsAndMisses) {
  auto heap = testkit::MakeTestHeap("size_class", "marksweep", testkit::kCollectEarly);
  LruCache lru(Small());
  absl::Status s = lru.Run(heap.get(), 9);
  ASSERT_TRUE(s.ok()) << s;
  EXPECT_EQ(lru.hits() + lru.misses(), 30000);
  // 80% of requests go to 150 hot keys that fit the cache: mostly hits.
  EXPECT_GT(lru.hits(), lru.misses());
  EXPECT_GT(heap->stats().collections(), 0u);
}

TEST(LruCacheTest, CorruptValueIsCaught) {
  auto heap = testkit::MakeTestHeap("size_class", "marksweep", testkit::kCollectEarly);
  LruCache lru(Small());
  lru.set_before_validation_hook([](Mutator* m, Object* sentinel) {
    Object* first = m->Load(sentinel, 8);
    Object* value = m->Load(first, 24);
    value->data_at<uint8_t>(value->array_length() - 1) ^= 1;
  });
  absl::Status s = lru.Run(heap.get(), 9);
  EXPECT_TRUE(IsValidationError(s)) << s;
}

TEST(LruCacheTest, ReorderedListIsCaught) {
  auto heap = testkit::MakeTestHeap("size_class", "marksweep", testkit::kCollectEarly);
  LruCache lru(Small());
  lru.set_before_validation_hook([](Mutator* m, Object* sentinel) {
    // Swap the first two entries' keys: recency order differs from the model.
    Object* a = m->Load(sentinel, 8);
    Object* b = m->Load(a, 8);
    std::swap(a->data_at<int64_t>(32), b->data_at<int64_t>(32));
  });
  absl::Status s = lru.Run(heap.get(), 9);
  EXPECT_TRUE(IsValidationError(s)) << s;
}

}  // namespace
}  // namespace gclab
