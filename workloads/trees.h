// Complete binary trees of managed nodes, shared by GCBench and binary-trees.
//
// Two node layouts, each the one of the program the workload reproduces:
// - GCBench's node (TreeNodeType) is a record {left, right, depth}: two
//   pointer fields at offsets 0 and 8 and an int64 at data offset 16 holding
//   the node's remaining depth (0 for leaves); 24 payload bytes, like the
//   original's {left, right, int i, int j}.
// - binary-trees' node (ItemNodeType) is {left, right} and nothing else, the
//   Benchmarks Game's Go program's struct{left, right *Node}: 16 payload
//   bytes. It is validated by the Game's item check (node count), done
//   structurally (ItemCheck).
// A valid tree of depth d has 2^(d+1)-1 nodes, every inner node has two
// children, every leaf none (and, with depth fields, depths decrease by one).
//
// The checks read a rooted tree (in a Local or a global root) and poll for
// safepoints as they go, so a long check does not hold up a collector's
// stop-the-world (time-to-safepoint); collectors that move objects are
// not polled for (the raw pointers of the walk would go stale).
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

// GCBench's node type {left, right, int64 depth}. Initialized before main,
// so the hot paths read a pointer instead of a function-local static's guard.
extern const TypeDescriptor* const kTreeNodeType;
inline const TypeDescriptor* TreeNodeType() { return kTreeNodeType; }

// binary-trees' node type {left, right} (no data).
extern const TypeDescriptor* const kItemNodeType;
inline const TypeDescriptor* ItemNodeType() { return kItemNodeType; }

// 2^(depth+1) - 1.
int64_t TreeNodeCount(int depth);

// A fresh childless node recording `depth`.
absl::StatusOr<Object*> NewTreeNode(Mutator* m, int64_t depth);

// Bottom-up construction: children first, then the parent (GCBench MakeTree).
absl::StatusOr<Object*> MakeTreeBottomUp(Mutator* m, int depth);

// Top-down construction: fills `node` (already holding `depth`) with children
// recursively (GCBench Populate).
absl::Status PopulateTopDown(Mutator* m, const Local& node, int depth);

// Checks that `root` (rooted by the caller) is a complete tree of `depth`
// (structure, depth fields, node count); returns the node count or a
// ValidationError naming `what`. Does not allocate; polls (see above).
absl::StatusOr<int64_t> CheckTree(Mutator* m, Object* root, int depth, const char* what);

// binary-trees' bottom-up construction of {left, right} nodes.
absl::StatusOr<Object*> MakeItemTreeBottomUp(Mutator* m, int depth);

// The Game's item check of an ItemNodeType tree (rooted by the caller): the
// node count, after checking that every node is a live item node, every node
// above depth 0 has two children and every leaf none, so the count is
// 2^(depth+1)-1 exactly when the tree is complete. Returns the count or a
// ValidationError naming `what`. Does not allocate; polls (see above).
absl::StatusOr<int64_t> ItemCheck(Mutator* m, Object* root, int depth, const char* what);

}  // namespace gclab

#endif  // GCLAB_WORKLOADS_TREES_H_
