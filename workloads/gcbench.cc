#include "workloads/gcbench.h"

#include <cmath>

#include "absl/strings/str_cat.h"
#include "heap/handles.h"
#include "heap/mutator.h"
#include "util/status_macros.h"
#include "workloads/mutator_threads.h"
#include "workloads/trees.h"

namespace gclab {
namespace {

const TypeDescriptor* DoubleArrayType() {
  static const TypeDescriptor* type = MakeDataArrayType("gcbench.double_array", 8);
  return type;
}

// The per-thread temporary-tree loop (GCBench's TimeConstruction per depth),
// with `stack_roots` extra handles to `shared` held throughout.
absl::Status TemporaryTrees(Mutator* m, const GcBenchParams& p, Object** shared) {
  HandleScope roots(m);
  for (int i = 0; i < p.stack_roots(); ++i) static_cast<void>(Local(m, LoadPointer(shared)));
  for (int depth = p.min_tree_depth(); depth <= p.max_tree_depth(); depth += 2) {
    const int64_t iters = GcBench::NumIters(p.stretch_tree_depth(), depth);
    for (int64_t i = 0; i < iters; ++i) {
      HandleScope scope(m);
      GCLAB_ASSIGN_OR_RETURN(Object * raw, NewTreeNode(m, depth));
      Local temp(m, raw);
      GCLAB_RETURN_IF_ERROR(PopulateTopDown(m, temp, depth));
      GCLAB_RETURN_IF_ERROR(CheckTree(m, temp.get(), depth, "top-down tree").status());
    }
    for (int64_t i = 0; i < iters; ++i) {
      HandleScope scope(m);
      GCLAB_ASSIGN_OR_RETURN(Object * raw, MakeTreeBottomUp(m, depth));
      Local temp(m, raw);
      GCLAB_RETURN_IF_ERROR(CheckTree(m, temp.get(), depth, "bottom-up tree").status());
    }
    m->Poll();
  }
  return absl::OkStatus();
}

absl::Status CheckArray(Object* array, int size) {
  if (array == nullptr || array->type() != DoubleArrayType() ||
      array->array_length() != static_cast<size_t>(size)) {
    return ValidationError("long-lived array is missing or has the wrong shape");
  }
  for (int i = 1; i < size / 2; ++i) {
    const double v = array->data_at<double>(i * 8);
    if (v != 1.0 / i) {
      return ValidationError(
          absl::StrCat("long-lived array element ", i, " is ", v, ", expected 1/", i));
    }
  }
  return absl::OkStatus();
}

}  // namespace

int64_t GcBench::NumIters(int stretch_depth, int depth) {
  return 2 * TreeNodeCount(stretch_depth) / TreeNodeCount(depth);
}

absl::Status GcBench::Run(Heap* heap, uint64_t /*seed*/) {
  const GcBenchParams& p = params_;
  Object** long_lived = heap->NewGlobalRoot();
  Object** array = heap->NewGlobalRoot();
  absl::Status status = RunAttached(heap, [&](Mutator* m) -> absl::Status {
    {
      HandleScope scope(m);
      GCLAB_ASSIGN_OR_RETURN(Object * raw, MakeTreeBottomUp(m, p.stretch_tree_depth()));
      Local stretch(m, raw);
      GCLAB_RETURN_IF_ERROR(
          CheckTree(m, stretch.get(), p.stretch_tree_depth(), "stretch tree").status());
    }
    {
      HandleScope scope(m);
      GCLAB_ASSIGN_OR_RETURN(Object * raw, NewTreeNode(m, p.long_lived_tree_depth()));
      Local tree(m, raw);
      GCLAB_RETURN_IF_ERROR(PopulateTopDown(m, tree, p.long_lived_tree_depth()));
      m->WriteGlobal(long_lived, tree.get());
      GCLAB_ASSIGN_OR_RETURN(Object * a, m->Allocate(DoubleArrayType(), p.array_size()));
      for (int i = 1; i < p.array_size() / 2; ++i) a->data_at<double>(i * 8) = 1.0 / i;
      m->WriteGlobal(array, a);
    }
    if (p.threads() == 1) {
      GCLAB_RETURN_IF_ERROR(TemporaryTrees(m, p, long_lived));
    } else {
      GCLAB_RETURN_IF_ERROR(RunOnMutatorThreads(m, p.threads(), [&](int, Mutator* worker) {
        return TemporaryTrees(worker, p, long_lived);
      }));
    }
    GCLAB_RETURN_IF_ERROR(
        CheckTree(m, LoadPointer(long_lived), p.long_lived_tree_depth(), "long-lived tree")
            .status());
    return CheckArray(LoadPointer(array), p.array_size());
  });
  heap->DeleteGlobalRoot(long_lived);
  heap->DeleteGlobalRoot(array);
  return status;
}

}  // namespace gclab
