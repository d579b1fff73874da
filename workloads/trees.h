// Complete binary trees of managed nodes, shared by GCBench and binary-trees.
//
// A tree node is a record {left, right, depth}: two pointer fields at offsets
// 0 and 8 and an int64 at data offset 16 holding the node's remaining depth
// (0 for leaves). A valid tree of depth d has 2^(d+1)-1 nodes, every inner
// node has two children, every leaf none, and depths decrease by one.
#ifndef GCLAB_WORKLOADS_TREES_H_
#define GCLAB_WORKLOADS_TREES_H_

#include <cstdint>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "heap/handles.h"
#include "heap/mutator.h"

namespace gclab {

inline constexpr uint32_t kTreeLeftOffset = 0;
inline constexpr uint32_t kTreeRightOffset = 8;
inline constexpr uint32_t kTreeDepthOffset = 16;

const TypeDescriptor* TreeNodeType();

// 2^(depth+1) - 1.
int64_t TreeNodeCount(int depth);

// A fresh childless node recording `depth`.
absl::StatusOr<Object*> NewTreeNode(Mutator* m, int64_t depth);

// Bottom-up construction: children first, then the parent (GCBench MakeTree).
absl::StatusOr<Object*> MakeTreeBottomUp(Mutator* m, int depth);

// Top-down construction: fills `node` (already holding `depth`) with children
// recursively (GCBench Populate).
absl::Status PopulateTopDown(Mutator* m, const Local& node, int depth);

// Checks that `root` is a complete tree of `depth` (structure, depth fields,
// node count); returns the node count or a ValidationError naming `what`.
// Does not allocate.
absl::StatusOr<int64_t> CheckTree(Mutator* m, Object* root, int depth, const char* what);

}  // namespace gclab

#endif  // GCLAB_WORKLOADS_TREES_H_
