#include "workloads/trees.h"

#include "absl/strings/str_cat.h"
#include "util/status_macros.h"
#include "workloads/workload.h"

namespace gclab {

const TypeDescriptor* const kTreeNodeType = MakeRecordType("tree_node", 2, 8);
const TypeDescriptor* const kItemNodeType = MakeRecordType("item_node", 2, 0);

int64_t TreeNodeCount(int depth) { return (int64_t{1} << (depth + 1)) - 1; }

absl::StatusOr<Object*> NewTreeNode(Mutator* m, int64_t depth) {
  GCLAB_ASSIGN_OR_RETURN(Object * node, m->Allocate(TreeNodeType()));
  node->data_at<int64_t>(kTreeDepthOffset) = depth;
  return node;
}

absl::StatusOr<Object*> MakeTreeBottomUp(Mutator* m, int depth) {
  if (depth <= 0) return NewTreeNode(m, 0);
  HandleScope scope(m);
  GCLAB_ASSIGN_OR_RETURN(Object * left_raw, MakeTreeBottomUp(m, depth - 1));
  Local left(m, left_raw);
  GCLAB_ASSIGN_OR_RETURN(Object * right_raw, MakeTreeBottomUp(m, depth - 1));
  Local right(m, right_raw);
  GCLAB_ASSIGN_OR_RETURN(Object * node, NewTreeNode(m, depth));
  m->Store(node, kTreeLeftOffset, left.get());
  m->Store(node, kTreeRightOffset, right.get());
  return node;  // no safepoint before the caller roots it
}

absl::Status PopulateTopDown(Mutator* m, const Local& node, int depth) {
  if (depth <= 0) return absl::OkStatus();
  HandleScope scope(m);
  GCLAB_ASSIGN_OR_RETURN(Object * left_raw, NewTreeNode(m, depth - 1));
  Local left(m, left_raw);
  GCLAB_ASSIGN_OR_RETURN(Object * right_raw, NewTreeNode(m, depth - 1));
  Local right(m, right_raw);
  m->Store(node.get(), kTreeLeftOffset, left.get());
  m->Store(node.get(), kTreeRightOffset, right.get());
  GCLAB_RETURN_IF_ERROR(PopulateTopDown(m, left, depth - 1));
  return PopulateTopDown(m, right, depth - 1);
}

absl::StatusOr<Object*> MakeItemTreeBottomUp(Mutator* m, int depth) {
  if (depth <= 0) return m->Allocate(ItemNodeType());
  HandleScope scope(m);
  GCLAB_ASSIGN_OR_RETURN(Object * left_raw, MakeItemTreeBottomUp(m, depth - 1));
  Local left(m, left_raw);
  GCLAB_ASSIGN_OR_RETURN(Object * right_raw, MakeItemTreeBottomUp(m, depth - 1));
  Local right(m, right_raw);
  GCLAB_ASSIGN_OR_RETURN(Object * node, m->Allocate(ItemNodeType()));
  m->Store(node, kTreeLeftOffset, left.get());
  m->Store(node, kTreeRightOffset, right.get());
  return node;  // no safepoint before the caller roots it
}

namespace {

// One walk for both node layouts. Recursion depth is the tree depth (<= ~30).
class TreeChecker {
 public:
  TreeChecker(Mutator* m, const TypeDescriptor* type, bool depth_field)
      : m_(m),
        type_(type),
        depth_field_(depth_field),
        poll_(!m->heap()->constraints().moves_objects) {}

  absl::StatusOr<int64_t> Check(Object* root, int depth, const char* what) {
    if (!Rec(root, depth)) {
      return ValidationError(absl::StrCat(what, " of depth ", depth, ": ", defect_));
    }
    if (count_ != TreeNodeCount(depth)) {
      return ValidationError(absl::StrCat(what, " of depth ", depth, " has ", count_,
                                          " nodes, expected ", TreeNodeCount(depth)));
    }
    return count_;
  }

 private:
  static constexpr int64_t kPollEvery = 1024;  // nodes between safepoint polls

  // Returns false at the first defect, describing it.
  bool Rec(Object* node, int depth) {
    if (node == nullptr) {
      defect_ = absl::StrCat("missing node at depth ", depth);
      return false;
    }
    if (node->header().magic != kObjectMagic || node->type() != type_) {
      defect_ = absl::StrCat("node at depth ", depth, " is not a live ", type_->name);
      return false;
    }
    if (depth_field_) {
      const int64_t recorded = node->data_at<int64_t>(kTreeDepthOffset);
      if (recorded != depth) {
        defect_ = absl::StrCat("node records depth ", recorded, ", expected ", depth);
        return false;
      }
    }
    ++count_;
    if (poll_ && count_ % kPollEvery == 0) m_->Poll();  // the tree is rooted and stays put
    Object* left = m_->Load(node, kTreeLeftOffset);
    Object* right = m_->Load(node, kTreeRightOffset);
    if (depth == 0) {
      if (left != nullptr || right != nullptr) {
        defect_ = "leaf has children";
        return false;
      }
      return true;
    }
    return Rec(left, depth - 1) && Rec(right, depth - 1);
  }

  Mutator* const m_;
  const TypeDescriptor* const type_;
  const bool depth_field_;
  const bool poll_;
  int64_t count_ = 0;
  std::string defect_;
};

}  // namespace

absl::StatusOr<int64_t> CheckTree(Mutator* m, Object* root, int depth, const char* what) {
  return TreeChecker(m, TreeNodeType(), /*depth_field=*/true).Check(root, depth, what);
}

absl::StatusOr<int64_t> ItemCheck(Mutator* m, Object* root, int depth, const char* what) {
  return TreeChecker(m, ItemNodeType(), /*depth_field=*/false).Check(root, depth, what);
}

}  // namespace gclab
