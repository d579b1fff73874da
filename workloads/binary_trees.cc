#include "workloads/binary_trees.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "heap/handles.h"
#include "heap/mutator.h"
#include "util/status_macros.h"
#include "workloads/mutator_threads.h"
#include "workloads/trees.h"

namespace gclab {
namespace {

int MaxDepth(const BinaryTreesParams& p) { return std::max(p.min_depth() + 2, p.max_depth()); }

int64_t Iterations(const BinaryTreesParams& p, int depth) {
  return int64_t{1} << (MaxDepth(p) - depth + p.min_depth());
}

std::string DepthLine(int64_t iterations, int depth, int64_t check) {
  return absl::StrCat(iterations, "\t trees of depth ", depth, "\t check: ", check);
}

// Builds and checks one tree; adds its check (node count) to *check.
absl::Status OneTree(Mutator* m, int depth, int64_t* check) {
  HandleScope scope(m);
  GCLAB_ASSIGN_OR_RETURN(Object * raw, MakeItemTreeBottomUp(m, depth));
  Local tree(m, raw);
  GCLAB_ASSIGN_OR_RETURN(int64_t nodes, ItemCheck(m, tree.get(), depth, "tree"));
  *check += nodes;
  return absl::OkStatus();
}

}  // namespace

std::vector<std::string> BinaryTrees::ExpectedOutput(const BinaryTreesParams& p) {
  const int n = MaxDepth(p);
  std::vector<std::string> out;
  out.push_back(absl::StrCat("stretch tree of depth ", n + 1, "\t check: ", TreeNodeCount(n + 1)));
  for (int d = p.min_depth(); d <= n; d += 2) {
    out.push_back(DepthLine(Iterations(p, d), d, Iterations(p, d) * TreeNodeCount(d)));
  }
  out.push_back(absl::StrCat("long lived tree of depth ", n, "\t check: ", TreeNodeCount(n)));
  return out;
}

absl::Status BinaryTrees::Run(Heap* heap, uint64_t /*seed*/) {
  const BinaryTreesParams& p = params_;
  const int n = MaxDepth(p);
  output_.clear();
  Object** long_lived = heap->NewGlobalRoot();
  absl::Status status = RunAttached(heap, [&](Mutator* m) -> absl::Status {
    int64_t stretch_check = 0;
    GCLAB_RETURN_IF_ERROR(OneTree(m, n + 1, &stretch_check));
    output_.push_back(absl::StrCat("stretch tree of depth ", n + 1, "\t check: ", stretch_check));
    {
      HandleScope scope(m);
      GCLAB_ASSIGN_OR_RETURN(Object * raw, MakeItemTreeBottomUp(m, n));
      m->WriteGlobal(long_lived, raw);
    }
    std::vector<int> depths;
    for (int d = p.min_depth(); d <= n; d += 2) depths.push_back(d);
    std::vector<int64_t> checks(depths.size(), 0);
    auto worker = [&](int index, Mutator* wm) -> absl::Status {
      for (size_t k = index; k < depths.size(); k += p.threads()) {
        for (int64_t i = 0; i < Iterations(p, depths[k]); ++i) {
          GCLAB_RETURN_IF_ERROR(OneTree(wm, depths[k], &checks[k]));
        }
      }
      return absl::OkStatus();
    };
    if (p.threads() == 1) {
      GCLAB_RETURN_IF_ERROR(worker(0, m));
    } else {
      GCLAB_RETURN_IF_ERROR(RunOnMutatorThreads(m, p.threads(), worker));
    }
    for (size_t k = 0; k < depths.size(); ++k) {
      output_.push_back(DepthLine(Iterations(p, depths[k]), depths[k], checks[k]));
    }
    GCLAB_ASSIGN_OR_RETURN(int64_t ll, ItemCheck(m, LoadPointer(long_lived), n, "long-lived tree"));
    output_.push_back(absl::StrCat("long lived tree of depth ", n, "\t check: ", ll));
    return absl::OkStatus();
  });
  heap->DeleteGlobalRoot(long_lived);
  if (!status.ok()) return status;
  const std::vector<std::string> expected = ExpectedOutput(p);
  if (output_ != expected) {
    return ValidationError(absl::StrCat("output differs from the known answer:\n",
                                        absl::StrJoin(output_, "\n"), "\nexpected:\n",
                                        absl::StrJoin(expected, "\n")));
  }
  return absl::OkStatus();
}

}  // namespace gclab
