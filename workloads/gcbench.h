// GCBench (Boehm, Ellis, Kovac), optionally multi-threaded like Whippet's
// mt-gcbench.
//
// Phases: (1) a stretch tree of stretch_tree_depth is built bottom-up and
// dropped; (2) a long-lived tree of long_lived_tree_depth (top-down) and a
// double array of array_size are built and kept in global roots; (3) each of
// `threads` mutators runs the temporary-tree loop: for depth d = min..max step
// 2, NumIters(d) = 2*TreeNodeCount(stretch)/TreeNodeCount(d) trees built
// top-down and as many bottom-up, each dropped right away; (4) the long-lived
// tree and the array are checked.
//
// Validation: every temporary tree is checked (structure, depth fields, node
// count) right after construction, the stretch tree too, and at the end the
// long-lived tree and the array contents (a[i] = 1/i for i < size/2).
#ifndef GCLAB_WORKLOADS_GCBENCH_H_
#define GCLAB_WORKLOADS_GCBENCH_H_

#include "workloads/workload.h"
#include "workloads/workloads.pb.h"

namespace gclab {

class GcBench : public Workload {
 public:
  // `params` must have passed ValidateWorkloadConfig (registry.h).
  explicit GcBench(const GcBenchParams& params) : params_(params) {}
  absl::string_view name() const override { return "gcbench"; }
  absl::Status Run(Heap* heap, uint64_t seed) override;

  // Number of trees of `depth` built per direction per thread.
  static int64_t NumIters(int stretch_depth, int depth);

 private:
  GcBenchParams params_;
};

}  // namespace gclab

#endif  // GCLAB_WORKLOADS_GCBENCH_H_
