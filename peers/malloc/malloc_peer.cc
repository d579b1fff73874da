// glibc malloc/free peer: explicit memory management, every tree freed node
// by node as soon as the workload drops it. No collector, so no pauses;
// peak_heap_bytes is the peak of live requested bytes (no malloc overhead).
#include <cstdint>
#include <cstdlib>
#include <new>

#include "peers/common/peer_main.h"

namespace gclab::peers {
namespace {

struct MallocPolicy {
  static constexpr const char* kName = "malloc";
  static inline uint64_t bytes = 0, objects = 0, live = 0, peak = 0;

  static void Count(size_t n) {
    bytes += n;
    ++objects;
    live += n;
    if (live > peak) peak = live;
  }
  static Node* NewNode(Node* left, Node* right, int depth) {
    Node* n = static_cast<Node*>(std::malloc(sizeof(Node)));
    if (n == nullptr) throw std::bad_alloc();
    Count(sizeof(Node));
    *n = Node{left, right, depth, 0};
    return n;
  }
  static void FreeTree(Node* n) {
    if (n == nullptr) return;
    FreeTree(n->left);
    FreeTree(n->right);
    std::free(n);
    live -= sizeof(Node);
  }
  static double* NewArray(size_t n) {
    auto* a = static_cast<double*>(std::calloc(n ? n : 1, sizeof(double)));
    if (a == nullptr) throw std::bad_alloc();
    Count(n * sizeof(double));
    return a;
  }
  static void FreeArray(double* a, size_t n) {
    std::free(a);
    live -= n * sizeof(double);
  }
  static void Init() {}
  static void Finish(PeerResult* r) {
    r->peak_heap_bytes = peak;
    r->bytes_allocated = bytes;
    r->objects_allocated = objects;
  }
};

}  // namespace
}  // namespace gclab::peers

int main(int argc, char** argv) {
  return gclab::peers::PeerMain<gclab::peers::MallocPolicy>(argc, argv);
}
