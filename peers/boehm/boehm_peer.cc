// Boehm-Demers-Weiser GC 8.2 peer: conservative, non-moving mark-sweep
// (Debian's libgc: parallel marking, lazy sweeping, not incremental).
// GC_MALLOC for nodes, GC_MALLOC_ATOMIC for the array (as GCBench does), no
// frees. Each collection is timed individually from GC_EVENT_START to
// GC_EVENT_END via GC_set_on_collection_event: in non-incremental mode the
// whole collection runs with the mutator stopped, so that interval is the
// pause (sweeping is lazy and happens later inside allocation, unmeasured).
#include <gc/gc.h>

#include <cstdint>
#include <new>

#include "absl/strings/str_format.h"
#include "peers/common/peer_main.h"

namespace gclab::peers {
namespace {

// Fixed storage: the callback runs inside the collector (allocation lock
// held) and must not allocate.
constexpr size_t kMaxPauses = 1 << 16;
Pause g_pauses[kMaxPauses];
size_t g_num_pauses = 0;
uint64_t g_dropped_pauses = 0;
double g_origin_s = 0;
double g_collection_start_s = 0;
GC_word g_gc_no_at_start = 0;  // GC_INIT collects once before the run

void OnCollectionEvent(GC_EventType event) {
  if (event == GC_EVENT_START) {
    g_collection_start_s = NowSeconds();
  } else if (event == GC_EVENT_END) {
    double end = NowSeconds();
    if (g_num_pauses < kMaxPauses) {
      g_pauses[g_num_pauses++] = {(g_collection_start_s - g_origin_s) * 1e3,
                                  (end - g_collection_start_s) * 1e3};
    } else {
      ++g_dropped_pauses;
    }
  }
}

struct BoehmPolicy {
  static constexpr const char* kName = "boehm";
  static inline uint64_t objects = 0;

  static Node* NewNode(Node* left, Node* right, int depth) {
    Node* n = static_cast<Node*>(GC_MALLOC(sizeof(Node)));
    if (n == nullptr) throw std::bad_alloc();
    ++objects;
    *n = Node{left, right, depth, 0};
    return n;
  }
  static void FreeTree(Node*) {}  // garbage once unreachable
  static double* NewArray(size_t n) {
    auto* a = static_cast<double*>(GC_MALLOC_ATOMIC((n ? n : 1) * sizeof(double)));
    if (a == nullptr) throw std::bad_alloc();
    ++objects;
    for (size_t i = 0; i < n; ++i) a[i] = 0;  // atomic memory is not zeroed
    return a;
  }
  static void FreeArray(double*, size_t) {}

  static void Init() {
    GC_INIT();
    GC_start_performance_measurement();
    g_gc_no_at_start = GC_get_gc_no();
    g_origin_s = NowSeconds();
    GC_set_on_collection_event(OnCollectionEvent);
  }
  static void Finish(PeerResult* r) {
    GC_set_on_collection_event(nullptr);
    GC_prof_stats_s stats;
    GC_get_prof_stats(&stats, sizeof(stats));
    r->collections = GC_get_gc_no() - g_gc_no_at_start;
    r->pauses.assign(g_pauses, g_pauses + g_num_pauses);
    r->peak_heap_bytes = stats.heapsize_full;  // the heap never shrinks
    r->bytes_allocated = GC_get_total_bytes();
    r->objects_allocated = objects;
    r->extra = absl::StrFormat("boehm_full_gc_total_ms=%d boehm_markers=%d dropped_pauses=%d",
                               GC_get_full_gc_total_time(), stats.markers_m1 + 1, g_dropped_pauses);
  }
};

}  // namespace
}  // namespace gclab::peers

int main(int argc, char** argv) {
  return gclab::peers::PeerMain<gclab::peers::BoehmPolicy>(argc, argv);
}
