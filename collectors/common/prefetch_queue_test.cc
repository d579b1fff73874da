#include "collectors/common/prefetch_queue.h"

#include <vector>

#include "gtest/gtest.h"

namespace gclab {
namespace {

// Fake objects: the queue only computes and prefetches their addresses.
Object* At(std::vector<uint64_t>& words, size_t i) {
  return reinterpret_cast<Object*>(&words[2 * i]);
}

TEST(PrefetchQueueTest, ObjectsLeaveInArrivalOrderAfterKDepthOthers) {
  std::vector<uint64_t> words(2 * (PrefetchQueue::kDepth + 3));
  PrefetchQueue q;
  for (size_t i = 0; i < PrefetchQueue::kDepth; ++i) EXPECT_EQ(q.Exchange(At(words, i)), nullptr);
  EXPECT_EQ(q.Exchange(At(words, PrefetchQueue::kDepth)), At(words, 0));
  EXPECT_EQ(q.Exchange(nullptr), nullptr);  // nothing to queue, nothing leaves
  EXPECT_EQ(q.Exchange(At(words, PrefetchQueue::kDepth + 1)), At(words, 1));
}

TEST(PrefetchQueueTest, FlushHandsOutEverythingOldestFirstAndEmpties) {
  std::vector<uint64_t> words(2 * 3);
  PrefetchQueue q;
  for (size_t i = 0; i < 3; ++i) q.Exchange(At(words, i));
  std::vector<Object*> out;
  q.Flush([&](Object* o) { out.push_back(o); });
  EXPECT_EQ(out, (std::vector<Object*>{At(words, 0), At(words, 1), At(words, 2)}));
  out.clear();
  q.Flush([&](Object* o) { out.push_back(o); });
  EXPECT_TRUE(out.empty());
}

TEST(PrefetchQueueTest, InteriorPointersAreQueuedAsTheirObject) {
  std::vector<uint64_t> words(8);
  Object* obj = At(words, 0);
  const uintptr_t field = reinterpret_cast<uintptr_t>(obj) + 24;
  PrefetchQueue q;
  q.Exchange(reinterpret_cast<Object*>(InteriorPointer(obj, field)));
  std::vector<Object*> out;
  q.Flush([&](Object* o) { out.push_back(o); });
  EXPECT_EQ(out, std::vector<Object*>{obj});
}

}  // namespace
}  // namespace gclab
