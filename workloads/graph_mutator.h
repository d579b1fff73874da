// Random pointer-graph mutator: a stress test for write barriers.
//
// A shared array of `nodes` graph nodes (each with `edges_per_node` edge
// slots, a payload byte array and an id) lives in a global root. `threads`
// mutators each own the nodes whose index is congruent to their number and,
// `operations_per_thread` times, re-link a random edge slot of a random owned
// node: to a random shared node, or (allocate_percent of the time) to a fresh
// node that itself points at a random shared node (the previous target becomes
// garbage). Every 8th operation also replaces the node's payload. Between
// stores, threads walk a few random edges of the whole graph (including nodes
// other threads are re-linking), which is what a concurrent marker races with.
//
// Validation: each thread keeps a shadow model of its nodes' edges (target
// ids) and payload stamps outside the heap, re-checks the node it just
// changed, and at the end the main thread checks every edge and payload
// against the union of the models and that the set of reachable nodes (count
// and id checksum) equals the model's.
#ifndef GCLAB_WORKLOADS_GRAPH_MUTATOR_H_
#define GCLAB_WORKLOADS_GRAPH_MUTATOR_H_

#include "workloads/workload.h"
#include "workloads/workloads.pb.h"

namespace gclab {

class GraphMutator : public Workload {
 public:
  explicit GraphMutator(const GraphMutatorParams& params) : params_(params) {}
  absl::string_view name() const override { return "graph_mutator"; }
  absl::Status Run(Heap* heap, uint64_t seed) override;

  // Test seam: called on the main mutator after all threads finished and
  // before the final validation, with the node array (for corruption tests).
  void set_before_validation_hook(std::function<void(Mutator*, Object* nodes)> hook) {
    before_validation_hook_ = std::move(hook);
  }

 private:
  GraphMutatorParams params_;
  std::function<void(Mutator*, Object*)> before_validation_hook_;
};

}  // namespace gclab

#endif  // GCLAB_WORKLOADS_GRAPH_MUTATOR_H_
