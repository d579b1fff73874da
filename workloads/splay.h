// Splay: Octane's splay benchmark on the managed heap.
//
// A splay tree of `tree_size` nodes, each holding a payload tree of
// `payload_depth` (inner payload nodes have two children; leaves hold a
// 10-element array and the node's key), is built; then `steps` steps each do
// `modifications` times: insert a node with a fresh random key, find the
// greatest key below it, remove that key (or the new one if none). The live
// heap stays large while most allocation dies young: latency-sensitive.
//
// Validation: every find/remove is checked against a std::set shadow model
// kept outside the heap; at the end an in-order walk checks BST order, the
// size and the exact key set, and every payload tree (shape, tags, arrays).
#ifndef GCLAB_WORKLOADS_SPLAY_H_
#define GCLAB_WORKLOADS_SPLAY_H_

#include <cstdint>
#include <set>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "heap/handles.h"
#include "heap/mutator.h"
#include "workloads/workload.h"
#include "workloads/workloads.pb.h"

namespace gclab {

// A splay tree of int64 keys in the managed heap. Its root and a scratch node
// live in Locals of the owning mutator's current HandleScope.
//
// Valid call sequence: construct inside a HandleScope of `m`; then any of
// Insert/Find/Remove/FindGreatestLessThan; Validate; destroy before the scope.
class ManagedSplayTree {
 public:
  // Node: pointers left(0), right(8), value(16); int64 key at 24.
  static constexpr uint32_t kLeft = 0, kRight = 8, kValue = 16, kKey = 24;
  static const TypeDescriptor* NodeType();

  // Allocates the scratch node (OOM is reported by Init).
  explicit ManagedSplayTree(Mutator* m) : m_(m), root_(m), scratch_(m) {}
  absl::Status Init();

  bool empty() const { return root_.get() == nullptr; }
  Object* root() const { return root_.get(); }
  // Inserts key -> value unless present. Returns false if present.
  absl::StatusOr<bool> Insert(int64_t key, const Local& value);
  bool Contains(int64_t key);
  // Removes `key`; false if absent.
  bool Remove(int64_t key);
  // The node with the greatest key < key, or nullptr. Raw: valid until the
  // next safepoint.
  Object* FindGreatestLessThan(int64_t key);

  // In-order walk: strictly increasing keys equal to `expected`. Calls
  // check_value(key, value) for each node. Does not allocate.
  absl::Status Validate(const std::set<int64_t>& expected,
                        const std::function<absl::Status(int64_t, Object*)>& check_value);

 private:
  void Splay(int64_t key);
  int64_t KeyOf(Object* node) const { return node->data_at<int64_t>(kKey); }

  Mutator* m_;
  Local root_;
  Local scratch_;
};

class Splay : public Workload {
 public:
  explicit Splay(const SplayParams& params) : params_(params) {}
  absl::string_view name() const override { return "splay"; }
  absl::Status Run(Heap* heap, uint64_t seed) override;

  // Payload tree of `depth` tagged with `key`; and its check.
  static absl::StatusOr<Object*> MakePayload(Mutator* m, int depth, int64_t key);
  static absl::Status CheckPayload(Mutator* m, Object* payload, int depth, int64_t key);

 private:
  SplayParams params_;
};

}  // namespace gclab

#endif  // GCLAB_WORKLOADS_SPLAY_H_
