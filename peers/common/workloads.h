// GCBench (Boehm/Ellis/Kovac) and binary-trees (Benchmarks Game) for the
// native peers, written once over an allocation policy so that the malloc
// and Boehm peers do exactly the same work. A policy provides:
//   static Node* NewNode(Node* left, Node* right, int depth);  // fields set
//   static void FreeTree(Node* root);   // explicit free, or nothing (GC)
//   static double* NewArray(size_t n);  // pointer-free
//   static void FreeArray(double* a, size_t n);
// Each Run* returns "" on success or a validation error message.
#ifndef GCLAB_PEERS_COMMON_WORKLOADS_H_
#define GCLAB_PEERS_COMMON_WORKLOADS_H_

#include <cstdint>
#include <cstdio>
#include <string>

#include "absl/strings/str_format.h"

namespace gclab::peers {

// As in the original GCBench: two children and two ints. `i` holds the
// node's remaining depth (leaves 0), checked by validation.
struct Node {
  Node* left;
  Node* right;
  int32_t i;
  int32_t j;
};

inline uint64_t TreeSize(int depth) { return (uint64_t{1} << (depth + 1)) - 1; }

// Structural check of a complete tree of `depth`: inner nodes have two
// children, leaves none, each node's `i` is its depth. Returns the node
// count, or 0 on a broken tree.
inline uint64_t CheckTree(const Node* n, int depth) {
  if (n == nullptr || n->i != depth) return 0;
  if (depth == 0) return (n->left == nullptr && n->right == nullptr) ? 1 : 0;
  uint64_t l = CheckTree(n->left, depth - 1);
  if (l == 0) return 0;
  uint64_t r = CheckTree(n->right, depth - 1);
  if (r == 0) return 0;
  return 1 + l + r;
}

inline std::string ExpectTree(const Node* n, int depth, const char* what) {
  uint64_t got = CheckTree(n, depth);
  if (got == TreeSize(depth)) return "";
  return absl::StrFormat("%s of depth %d: %d valid nodes, expected %d", what, depth, got,
                         TreeSize(depth));
}

// Removes a grandchild subtree of `root` (depth >= 2), so validation must
// fail; used by --corrupt_for_testing.
template <typename P>
void CorruptTree(Node* root) {
  if (root == nullptr || root->left == nullptr) return;
  P::FreeTree(root->left->left);
  root->left->left = nullptr;
}

struct GcBenchParams {
  int stretch_depth = 18;
  int long_lived_depth = 16;
  int64_t array_size = 500000;
  int min_depth = 4;
  int max_depth = 16;
  bool corrupt_for_testing = false;
};

template <typename P>
class GcBench {
 public:
  // Bottom-up construction.
  static Node* MakeTree(int depth) {
    if (depth <= 0) return P::NewNode(nullptr, nullptr, 0);
    Node* left = MakeTree(depth - 1);
    Node* right = MakeTree(depth - 1);
    return P::NewNode(left, right, depth);
  }

  // Top-down construction: children are stored into an existing node.
  static void Populate(int depth, Node* node) {
    node->i = depth;
    if (depth <= 0) return;
    node->left = P::NewNode(nullptr, nullptr, depth - 1);
    node->right = P::NewNode(nullptr, nullptr, depth - 1);
    Populate(depth - 1, node->left);
    Populate(depth - 1, node->right);
  }

  static std::string Run(const GcBenchParams& p) {
    // Stretch the heap, as the original does.
    Node* temp = MakeTree(p.stretch_depth);
    std::string err = ExpectTree(temp, p.stretch_depth, "stretch tree");
    P::FreeTree(temp);
    if (!err.empty()) return err;

    // Long-lived data.
    Node* long_lived = P::NewNode(nullptr, nullptr, 0);
    Populate(p.long_lived_depth, long_lived);
    double* array = P::NewArray(static_cast<size_t>(p.array_size));
    for (int64_t i = 0; i < p.array_size / 2; ++i) array[i] = 1.0 / i;
    if (p.corrupt_for_testing) CorruptTree<P>(long_lived);

    for (int d = p.min_depth; d <= p.max_depth; d += 2) {
      uint64_t iters = 2 * TreeSize(p.stretch_depth) / TreeSize(d);
      for (uint64_t k = 0; k < iters; ++k) {
        temp = P::NewNode(nullptr, nullptr, 0);
        Populate(d, temp);
        err = ExpectTree(temp, d, "top-down tree");
        P::FreeTree(temp);
        if (!err.empty()) return err;
      }
      for (uint64_t k = 0; k < iters; ++k) {
        temp = MakeTree(d);
        err = ExpectTree(temp, d, "bottom-up tree");
        P::FreeTree(temp);
        if (!err.empty()) return err;
      }
    }

    err = ExpectTree(long_lived, p.long_lived_depth, "long-lived tree");
    for (int64_t i = 1; err.empty() && i < p.array_size / 2; ++i) {
      if (array[i] != 1.0 / i) {
        err = absl::StrFormat("array[%d] = %g, expected %g", i, array[i], 1.0 / i);
      }
    }
    P::FreeTree(long_lived);
    P::FreeArray(array, static_cast<size_t>(p.array_size));
    return err;
  }
};

struct BinaryTreesParams {
  int max_depth = 21;
  int min_depth = 4;
  bool corrupt_for_testing = false;
};

template <typename P>
class BinaryTrees {
 public:
  static Node* BottomUp(int depth) {
    if (depth <= 0) return P::NewNode(nullptr, nullptr, 0);
    Node* left = BottomUp(depth - 1);
    Node* right = BottomUp(depth - 1);
    return P::NewNode(left, right, depth);
  }

  // Prints the Game's output lines; each check is the tree's node count
  // after a structural check, compared with the closed form.
  static std::string Run(const BinaryTreesParams& p) {
    int n = p.max_depth < p.min_depth + 2 ? p.min_depth + 2 : p.max_depth;
    Node* stretch = BottomUp(n + 1);
    uint64_t check = CheckTree(stretch, n + 1);
    P::FreeTree(stretch);
    std::printf("stretch tree of depth %d\t check: %lu\n", n + 1,
                static_cast<unsigned long>(check));
    if (check != TreeSize(n + 1)) {
      return absl::StrFormat("stretch tree check %d, expected %d", check, TreeSize(n + 1));
    }

    Node* long_lived = BottomUp(n);
    if (p.corrupt_for_testing) CorruptTree<P>(long_lived);
    for (int d = p.min_depth; d <= n; d += 2) {
      uint64_t iterations = uint64_t{1} << (n - d + p.min_depth);
      check = 0;
      for (uint64_t k = 0; k < iterations; ++k) {
        Node* t = BottomUp(d);
        check += CheckTree(t, d);
        P::FreeTree(t);
      }
      std::printf("%lu\t trees of depth %d\t check: %lu\n", static_cast<unsigned long>(iterations),
                  d, static_cast<unsigned long>(check));
      if (check != iterations * TreeSize(d)) {
        return absl::StrFormat("depth %d check %d, expected %d", d, check,
                               iterations * TreeSize(d));
      }
    }
    check = CheckTree(long_lived, n);
    std::printf("long lived tree of depth %d\t check: %lu\n", n, static_cast<unsigned long>(check));
    P::FreeTree(long_lived);
    if (check != TreeSize(n)) {
      return absl::StrFormat("long lived tree check %d, expected %d", check, TreeSize(n));
    }
    return "";
  }
};

}  // namespace gclab::peers

#endif  // GCLAB_PEERS_COMMON_WORKLOADS_H_
