// pause_benchmark: stop-the-world pauses of `concurrent` (each barrier) against
// `marksweep` on one GCBench-like workload, in one process run.
//
// Workload (after Boehm's GCBench, Ellis/Kovac/Boehm): the main thread builds
// a long-lived complete binary tree of depth --depth (64-byte nodes; depth 21
// is 4.2 M nodes = 256 MiB) plus a 16 MiB long-lived data array, and keeps
// them live. Then --threads mutator threads (default 2) each allocate
// --bytes_per_thread bytes of GCBench short-lived trees: for depth 4, 6, ...,
// 16, trees built top-down (Populate: parent first, children stored into it)
// and bottom-up (MakeTree). The long-lived tree is checked at the end.
//
// Every collector runs on a fresh heap with the size_class allocator and the
// same heap limit, GOGC = 100, no verifier. Pauses are the GcStats
// PauseRecords: for marksweep its full-collection pauses, for concurrent its
// sweep-termination, mark-termination (and any full fallback) pauses. The
// per-thread stack-scan handshakes of concurrent stop only one thread; they
// are reported in their own column, not counted as stop-the-world.
//
//   bazel run --config=opt //collectors/concurrent:pause_benchmark
//   (flags after `--`: --depth, --threads, --bytes_per_thread, --collectors,
//   --marker_threads, --stack_roots, --gctrace)
#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_split.h"
#include "absl/time/clock.h"
#include "allocators/size_class/size_class_allocator.h"
#include "collectors/concurrent/concurrent_collector.h"
#include "collectors/marksweep/marksweep_collector.h"
#include "heap/heap.h"
#include "heap/mutator.h"

ABSL_FLAG(int, depth, 21, "depth of the long-lived tree (21: 256 MiB of nodes)");
ABSL_FLAG(int, threads, 2, "mutator threads allocating short-lived trees");
ABSL_FLAG(int64_t, bytes_per_thread, int64_t{1} << 30,
          "bytes of short-lived trees each mutator thread allocates");
ABSL_FLAG(std::string, collectors, "marksweep,dijkstra,yuasa,hybrid",
          "runs, in order: marksweep and/or concurrent barriers");
ABSL_FLAG(int, marker_threads, 1, "background marker threads of concurrent");
ABSL_FLAG(bool, gctrace, false, "print a gctrace line per cycle");
ABSL_FLAG(int, stack_roots, 0,
          "extra root slots (Locals) each mutator thread holds: big stacks show the "
          "stack-scan cost of each barrier (yuasa: first pause, dijkstra: re-scan)");

namespace gclab {
namespace {

constexpr uint32_t kLeft = 0, kRight = 8, kI = 16, kJ = 24;

const TypeDescriptor* NodeType() {
  // 2 pointers + 32 data bytes: 16 + 48 = 64-byte objects.
  static const TypeDescriptor* t = MakeRecordType("GCBenchNode", 2, 32);
  return t;
}

Object* NewNode(Mutator* m) { return m->Allocate(NodeType()).value(); }

int64_t TreeSize(int depth) { return (int64_t{1} << (depth + 1)) - 1; }

// Top-down: `node` (rooted by the caller) gets two children, recursively.
void Populate(Mutator* m, int depth, Object* node) {
  if (depth <= 0) return;
  HandleScope scope(m);
  Local n(m, node);
  Local l(m, NewNode(m));
  m->Store(n.get(), kLeft, l.get());
  Local r(m, NewNode(m));
  m->Store(n.get(), kRight, r.get());
  Populate(m, depth - 1, l.get());
  Populate(m, depth - 1, r.get());
}

// Bottom-up.
Object* MakeTree(Mutator* m, int depth) {
  if (depth <= 0) return NewNode(m);
  HandleScope scope(m);
  Local l(m, MakeTree(m, depth - 1));
  Local r(m, MakeTree(m, depth - 1));
  Object* n = NewNode(m);
  m->Store(n, kLeft, l.get());
  m->Store(n, kRight, r.get());
  return n;
}

int64_t CountTree(Mutator* m, Object* root) {
  int64_t n = 0;
  std::vector<Object*> stack = {root};
  while (!stack.empty()) {
    Object* o = stack.back();
    stack.pop_back();
    if (o == nullptr) continue;
    ++n;
    stack.push_back(m->Load(o, kLeft));
    stack.push_back(m->Load(o, kRight));
  }
  return n;
}

void ShortLivedTrees(Heap* heap, int64_t bytes) {
  Mutator* m = heap->AttachCurrentThread();
  HandleScope roots(m);
  {
    Local shared(m, NewNode(m));
    for (int i = 0; i < absl::GetFlag(FLAGS_stack_roots); ++i) {
      static_cast<void>(Local(m, shared.get()));
    }
  }
  const int64_t node_bytes = static_cast<int64_t>(ObjectSizeFor(NodeType()));
  int64_t done = 0;
  while (done < bytes) {
    for (int d = 4; d <= 16 && done < bytes; d += 2) {
      HandleScope scope(m);
      Local top(m, NewNode(m));
      Populate(m, d, top.get());
      Local bottom(m, MakeTree(m, d));
      bottom.get()->data_at<int64_t>(kI) = d;
      done += 2 * TreeSize(d) * node_bytes;
    }
  }
  heap->DetachCurrentThread(m);
}

struct RunResult {
  std::string name;
  double wall_s = 0;
  uint64_t collections = 0;
  double max_pause_ms = 0, p99_pause_ms = 0, total_pause_ms = 0, max_stack_scan_ms = 0;
  double max_ttsp_ms = 0;  // longest wait for threads to reach a safepoint
  double max_work_ms = 0;  // longest pause minus its time-to-safepoint
  double marker_cpu_s = 0, assist_cpu_s = 0;
  uint64_t roots_rescanned = 0;
  size_t pauses = 0;
  uint64_t peak_heap = 0;
  bool tree_ok = false;
};

RunResult Run(const std::string& which) {
  std::unique_ptr<Collector> collector;
  if (which == "marksweep") {
    collector = NewMarkSweepCollector();
  } else {
    ConcurrentOptions o;
    o.barrier = which == "dijkstra" ? BarrierKind::kDijkstra
                : which == "yuasa"  ? BarrierKind::kYuasa
                                    : BarrierKind::kHybrid;
    o.marker_threads = absl::GetFlag(FLAGS_marker_threads);
    collector = NewConcurrentCollector(o).value();
  }
  HeapConfig config;
  config.heap_limit_bytes = size_t{3} << 30;
  config.gctrace = absl::GetFlag(FLAGS_gctrace);
  auto heap_or = Heap::Create(config, NewSizeClassAllocator().value(), std::move(collector));
  if (!heap_or.ok()) {
    std::fprintf(stderr, "%s\n", heap_or.status().ToString().c_str());
    std::exit(1);
  }
  std::unique_ptr<Heap> heap = std::move(heap_or).value();
  RunResult r;
  r.name = which == "marksweep" ? "marksweep" : "concurrent/" + which;
  const int depth = absl::GetFlag(FLAGS_depth);
  const absl::Time start = absl::Now();
  {
    Mutator* m = heap->AttachCurrentThread();
    {
      HandleScope scope(m);
      static const TypeDescriptor* kData = MakeDataArrayType("GCBenchArray", 8);
      Local array(m, m->Allocate(kData, 2 << 20).value());  // 16 MiB long-lived
      Local tree(m, NewNode(m));
      Populate(m, depth, tree.get());
      std::vector<std::thread> threads;
      {
        ParkedScope parked(m);  // the main thread only waits from here on
        for (int i = 0; i < absl::GetFlag(FLAGS_threads); ++i) {
          threads.emplace_back(ShortLivedTrees, heap.get(), absl::GetFlag(FLAGS_bytes_per_thread));
        }
        for (std::thread& t : threads) t.join();
      }
      r.tree_ok = CountTree(m, tree.get()) == TreeSize(depth);
    }
    heap->DetachCurrentThread(m);
  }
  r.wall_s = absl::ToDoubleSeconds(absl::Now() - start);
  std::vector<int64_t> stw;
  for (const PauseRecord& p : heap->stats().pauses()) {
    if (p.phase == PausePhase::kStackScan) {
      r.max_stack_scan_ms = std::max(r.max_stack_scan_ms, p.duration_ns / 1e6);
    } else {
      stw.push_back(p.duration_ns);
      r.max_ttsp_ms = std::max(r.max_ttsp_ms, p.time_to_safepoint_ns / 1e6);
      r.max_work_ms = std::max(r.max_work_ms, (p.duration_ns - p.time_to_safepoint_ns) / 1e6);
    }
  }
  std::sort(stw.begin(), stw.end());
  r.pauses = stw.size();
  if (!stw.empty()) {
    r.max_pause_ms = stw.back() / 1e6;
    // Nearest-rank p99.
    const size_t rank = (stw.size() * 99 + 99) / 100;
    r.p99_pause_ms = stw[std::min(stw.size(), rank) - 1] / 1e6;
    for (int64_t d : stw) r.total_pause_ms += d / 1e6;
  }
  for (const CycleRecord& c : heap->stats().cycles()) {
    r.marker_cpu_s += c.marker_cpu_ns / 1e9;
    r.assist_cpu_s += c.assist_cpu_ns / 1e9;
    r.roots_rescanned += c.roots_rescanned;
  }
  r.collections = heap->stats().collections();
  r.peak_heap = heap->stats().peak_heap_bytes();
  return r;
}

}  // namespace
}  // namespace gclab

int main(int argc, char** argv) {
  absl::ParseCommandLine(argc, argv);
  using gclab::RunResult;
  const int depth = absl::GetFlag(FLAGS_depth);
  std::printf(
      "GCBench-like: long-lived tree depth %d (%.0f MiB of nodes) + 16 MiB array, "
      "%d mutator threads x %.0f MiB short-lived trees, size_class allocator, "
      "GOGC=100, %d extra stack roots per thread, %u hardware threads\n",
      depth, gclab::TreeSize(depth) * 64.0 / (1 << 20), absl::GetFlag(FLAGS_threads),
      absl::GetFlag(FLAGS_bytes_per_thread) / double(1 << 20), absl::GetFlag(FLAGS_stack_roots),
      std::thread::hardware_concurrency());
  std::fflush(stdout);
  std::vector<RunResult> results;
  for (absl::string_view c :
       absl::StrSplit(absl::GetFlag(FLAGS_collectors), ',', absl::SkipEmpty())) {
    results.push_back(gclab::Run(std::string(c)));
    const RunResult& r = results.back();
    std::fprintf(stderr, "done: %s in %.2f s\n", r.name.c_str(), r.wall_s);
  }
  const RunResult* base = nullptr;
  for (const RunResult& r : results) {
    if (r.name == "marksweep") base = &r;
  }
  std::printf("\n%-20s %8s %6s %7s %10s %10s %11s %9s %9s %10s %9s %9s %9s %10s %10s %s\n",
              "collector", "wall_s", "GCs", "pauses", "max_ms", "p99_ms", "total_ms", "ttsp_ms",
              "work_ms", "stkscan_ms", "mark_cpu", "assist", "rescans", "wall/ms", "maxpause/ms",
              "tree");
  for (const RunResult& r : results) {
    std::string wall_ratio = "-", pause_ratio = "-";
    if (base != nullptr && &r != base) {
      wall_ratio = absl::StrFormat("%.2fx", r.wall_s / base->wall_s);
      pause_ratio = absl::StrFormat("1/%.0f", base->max_pause_ms / std::max(r.max_pause_ms, 1e-6));
    }
    std::printf(
        "%-20s %8.2f %6llu %7zu %10.3f %10.3f %11.1f %9.3f %9.3f %10.3f %9.2f %9.2f %9llu %10s "
        "%10s %s\n",
        r.name.c_str(), r.wall_s, static_cast<unsigned long long>(r.collections), r.pauses,
        r.max_pause_ms, r.p99_pause_ms, r.total_pause_ms, r.max_ttsp_ms, r.max_work_ms,
        r.max_stack_scan_ms, r.marker_cpu_s, r.assist_cpu_s,
        static_cast<unsigned long long>(r.roots_rescanned), wall_ratio.c_str(), pause_ratio.c_str(),
        r.tree_ok ? "ok" : "BROKEN");
  }
  if (base != nullptr) {
    std::printf(
        "\ntargets: max pause <= marksweep/20 (%.3f ms), p99 < 1 ms, wall <= 1.3x "
        "marksweep (%.2f s)\n",
        base->max_pause_ms / 20, base->wall_s * 1.3);
    for (const RunResult& r : results) {
      if (&r == base) continue;
      std::printf("  %-20s max %s  p99 %s  wall %s\n", r.name.c_str(),
                  r.max_pause_ms <= base->max_pause_ms / 20 ? "MET " : "MISS",
                  r.p99_pause_ms < 1.0 ? "MET " : "MISS",
                  r.wall_s <= base->wall_s * 1.3 ? "MET " : "MISS");
    }
  }
  bool ok = true;
  for (const RunResult& r : results) ok = ok && r.tree_ok;
  return ok ? 0 : 1;
}
