#include "workloads/binary_trees.h"

#include "gtest/gtest.h"
#include "testkit/heap_fixture.h"

namespace gclab {
namespace {

// The Benchmarks Game reference output for n = 10.
const std::vector<std::string> kReferenceOutputN10 = {
    "stretch tree of depth 11\t check: 4095", "1024\t trees of depth 4\t check: 31744",
    "256\t trees of depth 6\t check: 32512",  "64\t trees of depth 8\t check: 32704",
    "16\t trees of depth 10\t check: 32752",  "long lived tree of depth 10\t check: 2047",
};

BinaryTreesParams N10(int threads) {
  BinaryTreesParams p;
  p.set_max_depth(10);
  p.set_threads(threads);
  return p;
}

TEST(BinaryTreesTest, ExpectedOutputIsTheReferenceOutput) {
  EXPECT_EQ(BinaryTrees::ExpectedOutput(N10(1)), kReferenceOutputN10);
}

TEST(BinaryTreesTest, RunPrintsTheReferenceOutput) {
  auto heap = testkit::MakeTestHeap("size_class", "marksweep", testkit::kCollectEarly);
  BinaryTrees bt(N10(1));
  ASSERT_TRUE(bt.Run(heap.get(), 1).ok());
  EXPECT_EQ(bt.output(), kReferenceOutputN10);
}

TEST(BinaryTreesTest, ThreadedRunPrintsTheReferenceOutput) {
  auto heap = testkit::MakeTestHeap("size_class", "marksweep", testkit::kCollectEarly);
  BinaryTrees bt(N10(3));
  ASSERT_TRUE(bt.Run(heap.get(), 1).ok());
  EXPECT_EQ(bt.output(), kReferenceOutputN10);
}

}  // namespace
}  // namespace gclab
