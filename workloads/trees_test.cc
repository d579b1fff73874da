#include "workloads/trees.h"

#include "gtest/gtest.h"
#include "testkit/heap_fixture.h"
#include "util/status_macros.h"
#include "workloads/mutator_threads.h"
#include "workloads/workload.h"

namespace gclab {
namespace {

using TreeBuilder = absl::StatusOr<Object*> (*)(Mutator*, int);
using TreeChecker = absl::StatusOr<int64_t> (*)(Mutator*, Object*, int, const char*);

// Builds a depth-`depth` tree bottom-up (GCBench's nodes unless `build` says
// otherwise) and hands it to `body`.
absl::Status WithTree(Heap* heap, int depth,
                      const std::function<absl::Status(Mutator*, Object*)>& body,
                      TreeBuilder build = MakeTreeBottomUp) {
  return RunAttached(heap, [&](Mutator* m) -> absl::Status {
    HandleScope scope(m);
    GCLAB_ASSIGN_OR_RETURN(Object * raw, build(m, depth));
    Local tree(m, raw);
    m->CollectGarbage();  // the tree must survive a collection intact
    return body(m, tree.get());
  });
}

TEST(TreesTest, BuiltTreesValidate) {
  auto heap = testkit::MakeTestHeap("size_class", "marksweep", testkit::kCollectEarly);
  EXPECT_TRUE(WithTree(heap.get(), 8, [](Mutator* m, Object* t) {
                return CheckTree(m, t, 8, "tree").status();
              }).ok());
  EXPECT_TRUE(RunAttached(heap.get(), [](Mutator* m) -> absl::Status {
                HandleScope scope(m);
                GCLAB_ASSIGN_OR_RETURN(Object * raw, NewTreeNode(m, 6));
                Local root(m, raw);
                GCLAB_RETURN_IF_ERROR(PopulateTopDown(m, root, 6));
                GCLAB_ASSIGN_OR_RETURN(int64_t n, CheckTree(m, root.get(), 6, "tree"));
                return n == 127 ? absl::OkStatus() : absl::InternalError("count");
              }).ok());
}

TEST(TreesTest, CorruptDepthFieldIsCaught) {
  auto heap = testkit::MakeTestHeap("size_class", "marksweep", testkit::kCollectEarly);
  absl::Status s = WithTree(heap.get(), 6, [](Mutator* m, Object* t) {
    Object* leftmost = t;
    while (m->Load(leftmost, kTreeLeftOffset) != nullptr)
      leftmost = m->Load(leftmost, kTreeLeftOffset);
    leftmost->data_at<int64_t>(kTreeDepthOffset) = 3;
    return CheckTree(m, t, 6, "tree").status();
  });
  EXPECT_TRUE(IsValidationError(s)) << s;
}

TEST(TreesTest, LostSubtreeIsCaught) {
  auto heap = testkit::MakeTestHeap("size_class", "marksweep", testkit::kCollectEarly);
  const std::pair<TreeBuilder, TreeChecker> layouts[] = {{MakeTreeBottomUp, CheckTree},
                                                         {MakeItemTreeBottomUp, ItemCheck}};
  for (const auto& [build, check] : layouts) {
    absl::Status s = WithTree(
        heap.get(), 6,
        [check = check](Mutator* m, Object* t) {
          m->Store(m->Load(t, kTreeRightOffset), kTreeLeftOffset, nullptr);
          return check(m, t, 6, "tree").status();
        },
        build);
    EXPECT_TRUE(IsValidationError(s)) << s;
  }
}

TEST(TreesTest, SharedSubtreeWithWrongDepthIsCaught) {
  auto heap = testkit::MakeTestHeap("size_class", "marksweep", testkit::kCollectEarly);
  absl::Status s = WithTree(heap.get(), 6, [](Mutator* m, Object* t) {
    // Right child replaced by the root's grandchild: one level too shallow.
    m->Store(t, kTreeRightOffset, m->Load(m->Load(t, kTreeLeftOffset), kTreeLeftOffset));
    return CheckTree(m, t, 6, "tree").status();
  });
  EXPECT_TRUE(IsValidationError(s)) << s;
}

TEST(TreesTest, ItemTreesHaveTwoPointerFieldsAndNoData) {
  EXPECT_EQ(ItemNodeType()->instance_size, 16u);
  EXPECT_EQ(ObjectSizeFor(ItemNodeType()), kHeaderSize + 16);
}

TEST(TreesTest, BuiltItemTreesPassTheItemCheck) {
  auto heap = testkit::MakeTestHeap("size_class", "marksweep", testkit::kCollectEarly);
  EXPECT_TRUE(WithTree(
                  heap.get(), 9,
                  [](Mutator* m, Object* t) -> absl::Status {
                    GCLAB_ASSIGN_OR_RETURN(int64_t n, ItemCheck(m, t, 9, "tree"));
                    return n == TreeNodeCount(9) ? absl::OkStatus() : absl::InternalError("count");
                  },
                  MakeItemTreeBottomUp)
                  .ok());
}

TEST(TreesTest, ItemCheckCatchesASubtreeAtTheWrongDepth) {
  auto heap = testkit::MakeTestHeap("size_class", "marksweep", testkit::kCollectEarly);
  absl::Status s = WithTree(
      heap.get(), 6,
      [](Mutator* m, Object* t) {
        m->Store(t, kTreeRightOffset, m->Load(m->Load(t, kTreeLeftOffset), kTreeLeftOffset));
        return ItemCheck(m, t, 6, "tree").status();
      },
      MakeItemTreeBottomUp);
  EXPECT_TRUE(IsValidationError(s)) << s;
}

TEST(TreesTest, ItemCheckRejectsATreeOfAnotherNodeType) {
  auto heap = testkit::MakeTestHeap("size_class", "marksweep", testkit::kCollectEarly);
  absl::Status s = WithTree(
      heap.get(), 4, [](Mutator* m, Object* t) { return ItemCheck(m, t, 4, "tree").status(); });
  EXPECT_TRUE(IsValidationError(s)) << s;
}

}  // namespace
}  // namespace gclab
