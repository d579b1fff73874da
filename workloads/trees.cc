#include "workloads/trees.h"

#include "absl/strings/str_cat.h"
#include "util/status_macros.h"
#include "workloads/workload.h"

namespace gclab {

const TypeDescriptor* TreeNodeType() {
  static const TypeDescriptor* type = MakeRecordType("tree_node", 2, 8);
  return type;
}

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

namespace {

// Recursion depth is the tree depth (<= ~30). Returns false at the first
// defect, describing it.
bool CheckTreeRec(Mutator* m, Object* node, int depth, int64_t* count, std::string* defect) {
  if (node == nullptr) {
    *defect = absl::StrCat("missing node at depth ", depth);
    return false;
  }
  if (node->header().magic != kObjectMagic || node->type() != TreeNodeType()) {
    *defect = absl::StrCat("node at depth ", depth, " is not a live tree node");
    return false;
  }
  const int64_t recorded = node->data_at<int64_t>(kTreeDepthOffset);
  if (recorded != depth) {
    *defect = absl::StrCat("node records depth ", recorded, ", expected ", depth);
    return false;
  }
  ++*count;
  Object* left = m->Load(node, kTreeLeftOffset);
  Object* right = m->Load(node, kTreeRightOffset);
  if (depth == 0) {
    if (left != nullptr || right != nullptr) {
      *defect = "leaf has children";
      return false;
    }
    return true;
  }
  return CheckTreeRec(m, left, depth - 1, count, defect) &&
         CheckTreeRec(m, right, depth - 1, count, defect);
}

}  // namespace

absl::StatusOr<int64_t> CheckTree(Mutator* m, Object* root, int depth, const char* what) {
  int64_t count = 0;
  std::string defect;
  if (!CheckTreeRec(m, root, depth, &count, &defect)) {
    return ValidationError(absl::StrCat(what, " of depth ", depth, ": ", defect));
  }
  if (count != TreeNodeCount(depth)) {
    return ValidationError(absl::StrCat(what, " of depth ", depth, " has ", count,
                                        " nodes, expected ", TreeNodeCount(depth)));
  }
  return count;
}

}  // namespace gclab
