// binary-trees from the Computer Language Benchmarks Game.
//
// With n = max(min_depth + 2, max_depth): a stretch tree of depth n+1 is
// built, checked and dropped; a long-lived tree of depth n is kept; then for
// d = min_depth, min_depth+2, ..., n, 2^(n - d + min_depth) trees of depth d
// are built bottom-up and checked (the "check" is the node count); depths are
// spread round-robin over `threads` mutators. Finally the long-lived tree is
// checked.
//
// Nodes are {left, right} (trees.h ItemNodeType), the Game's Go program's
// struct{left, right *Node}, so node sizes compare with Go's (16 payload
// bytes).
//
// Validation: the known answer. Each tree's item check (trees.h ItemCheck)
// must be 2^(d+1)-1 and its structure complete; the per-depth sums are compared with
// iterations * (2^(d+1)-1), i.e. the benchmark's reference output.
#ifndef GCLAB_WORKLOADS_BINARY_TREES_H_
#define GCLAB_WORKLOADS_BINARY_TREES_H_

#include <cstdint>
#include <string>
#include <vector>

#include "workloads/workload.h"
#include "workloads/workloads.pb.h"

namespace gclab {

class BinaryTrees : public Workload {
 public:
  explicit BinaryTrees(const BinaryTreesParams& params) : params_(params) {}
  absl::string_view name() const override { return "binary_trees"; }
  absl::Status Run(Heap* heap, uint64_t seed) override;

  // The benchmark's reference output for `params` (one line per phase, as the
  // Benchmarks Game prints it), computed from the closed form.
  static std::vector<std::string> ExpectedOutput(const BinaryTreesParams& params);
  // The output of the last Run (same format), for tests and logs.
  const std::vector<std::string>& output() const { return output_; }

 private:
  BinaryTreesParams params_;
  std::vector<std::string> output_;
};

}  // namespace gclab

#endif  // GCLAB_WORKLOADS_BINARY_TREES_H_
