#include "workloads/splay.h"

#include <random>

#include "gtest/gtest.h"
#include "testkit/heap_fixture.h"
#include "util/status_macros.h"
#include "workloads/mutator_threads.h"

namespace gclab {
namespace {

constexpr int kPayloadDepth = 2;

// Builds a tree of `n` random keys (payloads of depth 2), collects, then runs
// `body` with the tree and the model.
absl::Status WithTree(
    Heap* heap, int n,
    const std::function<absl::Status(Mutator*, ManagedSplayTree&, std::set<int64_t>&)>& body) {
  return RunAttached(heap, [&](Mutator* m) -> absl::Status {
    HandleScope scope(m);
    ManagedSplayTree tree(m);
    GCLAB_RETURN_IF_ERROR(tree.Init());
    std::set<int64_t> model;
    std::mt19937_64 rng(3);
    while (static_cast<int>(model.size()) < n) {
      const int64_t key = static_cast<int64_t>(rng() % 100000);
      HandleScope inner(m);
      GCLAB_ASSIGN_OR_RETURN(Object * raw, Splay::MakePayload(m, kPayloadDepth, key));
      Local payload(m, raw);
      GCLAB_ASSIGN_OR_RETURN(bool inserted, tree.Insert(key, payload));
      if (inserted != model.insert(key).second) return absl::InternalError("insert mismatch");
    }
    m->CollectGarbage();
    return body(m, tree, model);
  });
}

absl::Status CheckAll(Mutator* m, ManagedSplayTree& tree, const std::set<int64_t>& model) {
  return tree.Validate(model, [&](int64_t key, Object* value) {
    return Splay::CheckPayload(m, value, kPayloadDepth, key);
  });
}

TEST(SplayTest, RunValidates) {
  auto heap = testkit::MakeTestHeap("size_class", "marksweep", testkit::kCollectEarly);
  SplayParams p;
  p.set_tree_size(300);
  p.set_modifications(20);
  p.set_steps(20);
  p.set_payload_depth(3);
  Splay splay(p);
  absl::Status s = splay.Run(heap.get(), 7);
  EXPECT_TRUE(s.ok()) << s;
}

TEST(SplayTest, TreeOperationsMatchTheModel) {
  auto heap = testkit::MakeTestHeap("size_class", "marksweep", testkit::kCollectEarly);
  absl::Status s = WithTree(
      heap.get(), 200,
      [](Mutator* m, ManagedSplayTree& tree, std::set<int64_t>& model) -> absl::Status {
        GCLAB_RETURN_IF_ERROR(CheckAll(m, tree, model));
        for (auto it = model.begin(); it != model.end();) {
          if (!tree.Remove(*it)) return absl::InternalError("remove failed");
          it = model.erase(it);
          if (it != model.end()) ++it;  // remove every other key
        }
        if (tree.Remove(-5)) return absl::InternalError("removed an absent key");
        Object* g = tree.FindGreatestLessThan(*model.rbegin() + 1);
        if (g == nullptr || g->data_at<int64_t>(ManagedSplayTree::kKey) != *model.rbegin()) {
          return absl::InternalError("FindGreatestLessThan");
        }
        return CheckAll(m, tree, model);
      });
  EXPECT_TRUE(s.ok()) << s;
}

TEST(SplayTest, SwappedKeyBreaksOrderAndIsCaught) {
  auto heap = testkit::MakeTestHeap("size_class", "marksweep", testkit::kCollectEarly);
  absl::Status s =
      WithTree(heap.get(), 100, [](Mutator* m, ManagedSplayTree& tree, std::set<int64_t>& model) {
        tree.root()->data_at<int64_t>(ManagedSplayTree::kKey) = *model.rbegin() + 1;
        return CheckAll(m, tree, model);
      });
  EXPECT_TRUE(IsValidationError(s)) << s;
}

TEST(SplayTest, LostNodeIsCaught) {
  auto heap = testkit::MakeTestHeap("size_class", "marksweep", testkit::kCollectEarly);
  absl::Status s =
      WithTree(heap.get(), 100, [](Mutator* m, ManagedSplayTree& tree, std::set<int64_t>& model) {
        Object* root = tree.root();
        Object* side = m->Load(root, ManagedSplayTree::kLeft) != nullptr ? root : nullptr;
        if (side != nullptr)
          m->Store(root, ManagedSplayTree::kLeft, nullptr);
        else
          m->Store(root, ManagedSplayTree::kRight, nullptr);
        return CheckAll(m, tree, model);
      });
  EXPECT_TRUE(IsValidationError(s)) << s;
}

TEST(SplayTest, CorruptPayloadIsCaught) {
  auto heap = testkit::MakeTestHeap("size_class", "marksweep", testkit::kCollectEarly);
  absl::Status s =
      WithTree(heap.get(), 50, [](Mutator* m, ManagedSplayTree& tree, std::set<int64_t>& model) {
        Object* payload = m->Load(tree.root(), ManagedSplayTree::kValue);
        m->Store(payload, 0, m->Load(payload, 8));  // left := right: same tags, but...
        Object* leaf = m->Load(m->Load(payload, 0), 0);
        Object* array = m->Load(leaf, 16);
        array->data_at<int64_t>(8 * 3) = 42;  // ...a leaf array element changes
        return CheckAll(m, tree, model);
      });
  EXPECT_TRUE(IsValidationError(s)) << s;
}

}  // namespace
}  // namespace gclab
