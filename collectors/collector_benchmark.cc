// Collector microbenchmarks, over every collector the registry knows (each
// on the first allocator it runs on, AllocatorsCompatibleWith):
//
//   BM_Barrier/<collector>[/<barrier>]/<state>
//       ns per pointer store through Mutator::Store, batches of 4096 stores
//       into 4096 holder objects of values from a pool of 4096 objects.
//       A collector whose parameters have an enum field `barrier` runs once
//       per value of it (concurrent: dijkstra, yuasa, hybrid). States:
//         off      the collector declares no barrier (needs_write_barrier
//                  false: marksweep, nogc, boehm): the inline check only.
//         idle     it has one, but is not marking: barriers are disabled
//                  outside marking (Go's writeBarrier.enabled), so this too
//                  is the inline check only.
//         marking  held in the marking phase with the collector's stepping
//                  API (ConcurrentCollector::*ForTesting on a manual twin of
//                  the registry's collector, same barrier), globals and the
//                  thread's stack already scanned: the slow path. After the
//                  first batch the pool is grey, so the steady state measured
//                  is the barrier's "already shaded" path, not the shading
//                  CAS + push. A collector with a barrier but no stepping API
//                  here is an error row.
//   BM_Mark/<collector>/<list|tree|graph>
//       mark rate: 262144 nodes of 32 bytes (8 MiB; two pointer fields)
//       linked as a list in allocation order, a complete binary tree in
//       allocation (breadth-first) order, or a random graph (a chain through
//       the nodes in random order plus one random edge per node), rooted by
//       one handle. Each iteration is one full collection (CollectGarbage);
//       the time is the cycle's mark_ns (CycleRecord), bytes = its
//       heap_marked_bytes, so bytes_per_second is the mark rate. Collectors
//       that free memory. GCLAB_BENCHMARK_SMOKE (set by the smoke test):
//       4096 nodes instead.
//
// Run: bazel run --config=opt //collectors:collector_benchmark
#include <algorithm>
#include <cctype>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <numeric>
#include <random>
#include <string>
#include <utility>
#include <vector>

#include "benchmark/benchmark.h"
#include "collectors/concurrent/concurrent_collector.h"
#include "google/protobuf/descriptor.h"
#include "google/protobuf/message.h"
#include "heap/mutator.h"
#include "registry/registry.h"

namespace gclab {
namespace {

constexpr uint32_t kLeft = 0;
constexpr uint32_t kRight = 8;

const TypeDescriptor* Node() {
  static const TypeDescriptor* t = MakeRecordType("BenchNode", 2, 0);
  return t;
}

// A registry collector with one set of parameters: the row name and config.
struct Variant {
  std::string collector;  // registry name
  std::string name;       // row name: the registry name [/ barrier]
  CollectorConfig config;
};

std::string Lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

// Every registry collector with default parameters; one whose parameters
// have an enum field `barrier` once per value of it (0, "unspecified",
// skipped).
std::vector<Variant> CollectorVariants() {
  namespace pb = google::protobuf;
  std::vector<Variant> out;
  for (const std::string& name : KnownCollectorNames()) {
    const CollectorConfig config = *CollectorConfigForName(name);
    const pb::Reflection* r = config.GetReflection();
    const pb::FieldDescriptor* selected =
        r->GetOneofFieldDescriptor(config, config.GetDescriptor()->FindOneofByName("kind"));
    const pb::FieldDescriptor* barrier = selected->message_type()->FindFieldByName("barrier");
    if (barrier == nullptr || barrier->type() != pb::FieldDescriptor::TYPE_ENUM) {
      out.push_back({name, name, config});
      continue;
    }
    for (int i = 0; i < barrier->enum_type()->value_count(); ++i) {
      const pb::EnumValueDescriptor* value = barrier->enum_type()->value(i);
      if (value->number() == 0) continue;
      CollectorConfig c = config;
      pb::Message* params = c.GetReflection()->MutableMessage(&c, selected);
      params->GetReflection()->SetEnum(params, barrier, value);
      out.push_back({name, name + "/" + Lower(value->name()), c});
    }
  }
  return out;
}

std::unique_ptr<Collector> MakeOrDie(const CollectorConfig& config) {
  absl::StatusOr<std::unique_ptr<Collector>> c = MakeCollector(config);
  if (!c.ok()) {
    std::fprintf(stderr, "collector_benchmark: %s\n", c.status().ToString().c_str());
    std::abort();
  }
  return *std::move(c);
}

std::unique_ptr<Heap> NewHeapOrDie(const std::string& collector_name,
                                   std::unique_ptr<Collector> collector) {
  HeapConfig config;
  config.heap_limit_bytes = size_t{4} << 30;
  // GCLAB_VERIFY / GCLAB_CHECKMARK (set by `bazel test`: the smoke test
  // checks the benchmarks' heaps too).
  ApplyHeapEnvironment(&config);
  const std::string allocator = AllocatorsCompatibleWith(collector_name).front();
  absl::StatusOr<std::unique_ptr<Allocator>> a = MakeAllocator(*AllocatorConfigForName(allocator));
  absl::StatusOr<std::unique_ptr<Heap>> heap =
      a.ok() ? Heap::Create(config, *std::move(a), std::move(collector)) : a.status();
  if (!heap.ok()) {
    std::fprintf(stderr, "collector_benchmark: %s\n", heap.status().ToString().c_str());
    std::abort();
  }
  return *std::move(heap);
}

// A collector that can be held in its marking phase: a twin of the
// registry's collector (same barrier) whose phases the benchmark steps.
// Knows the concurrent collector's stepping API; Make returns nullptr for
// any other collector.
class MarkingHold {
 public:
  static std::unique_ptr<ConcurrentCollector> MakeTwin(const Collector& registry_made) {
    if (dynamic_cast<const ConcurrentCollector*>(&registry_made) == nullptr) return nullptr;
    ConcurrentOptions o;
    o.gogc = -1;  // no triggered cycles: the benchmark drives the only one
    o.barrier = registry_made.constraints().barrier;
    o.manual_ForTesting = true;
    o.assists_never_wait_ForTesting = true;
    return std::make_unique<ConcurrentCollector>(o);
  }
  // Marking, with globals and m's roots scanned.
  static void Begin(ConcurrentCollector* c, Mutator* m) {
    c->BeginCycleForTesting(m);
    c->ScanGlobalsForTesting();
    c->ScanStackForTesting(m, m);
  }
  static void End(ConcurrentCollector* c, Mutator* m) { c->FinishCycleForTesting(m); }
};

enum class BarrierState { kOff, kIdle, kMarking };

const char* BarrierStateName(BarrierState s) {
  switch (s) {
    case BarrierState::kOff:
      return "off";
    case BarrierState::kIdle:
      return "idle";
    case BarrierState::kMarking:
      return "marking";
  }
  return "?";
}

void BM_Barrier(benchmark::State& state, const Variant& v, BarrierState barrier_state) {
  std::unique_ptr<Collector> collector = MakeOrDie(v.config);
  ConcurrentCollector* held = nullptr;
  if (barrier_state == BarrierState::kMarking) {
    std::unique_ptr<ConcurrentCollector> twin = MarkingHold::MakeTwin(*collector);
    if (twin == nullptr) {
      state.SkipWithError(("no stepping API to hold " + v.collector + " in marking").c_str());
      return;
    }
    held = twin.get();
    collector = std::move(twin);
  }
  std::unique_ptr<Heap> heap = NewHeapOrDie(v.collector, std::move(collector));
  Mutator* m = heap->AttachCurrentThread();
  constexpr int kObjects = 4096;
  {
    HandleScope scope(m);
    std::vector<Object*> holders, values;
    for (int i = 0; i < kObjects; ++i) {
      holders.push_back(Local(m, m->TryAllocate(Node())).get());
      values.push_back(Local(m, m->TryAllocate(Node())).get());
      m->Store(holders.back(), kLeft, values.back());
    }
    if (held != nullptr) MarkingHold::Begin(held, m);
    if (barrier_state != BarrierState::kOff && heap->write_barrier_enabled() != (held != nullptr)) {
      state.SkipWithError("write_barrier_enabled does not match the state");
    }
    size_t round = 1;
    for (auto _ : state) {
      for (int i = 0; i < kObjects; ++i) {
        m->Store(holders[i], kLeft, values[(i + round) & (kObjects - 1)]);
      }
      ++round;
    }
    if (held != nullptr) MarkingHold::End(held, m);
  }
  const double stores = static_cast<double>(state.iterations()) * kObjects;
  state.SetItemsProcessed(static_cast<int64_t>(stores));
  state.counters["per_store"] =
      benchmark::Counter(stores, benchmark::Counter::kIsRate | benchmark::Counter::kInvert);
  heap->DetachCurrentThread(m);
}

enum class Shape { kList, kTree, kGraph };

const char* ShapeName(Shape s) {
  switch (s) {
    case Shape::kList:
      return "list";
    case Shape::kTree:
      return "tree";
    case Shape::kGraph:
      return "graph";
  }
  return "?";
}

// 8 MiB of 32-byte nodes; 128 KiB with GCLAB_BENCHMARK_SMOKE set (the smoke
// test, which also runs under the sanitizers with the verifier on).
size_t MarkNodes() {
  static const size_t n =
      std::getenv("GCLAB_BENCHMARK_SMOKE") != nullptr ? size_t{1} << 12 : size_t{1} << 18;
  return n;
}

// Builds `shape` over MarkNodes() new nodes; returns its root (node 0).
Object* BuildShape(Mutator* m, Shape shape) {
  static const TypeDescriptor* array_type = MakePointerArrayType("BenchNodes");
  const size_t n = MarkNodes();
  HandleScope scope(m);
  // Keeps every node reachable while the links are made (collections may
  // run); the collector never moves objects, so `nodes` stays valid.
  Local all(m, m->TryAllocate(array_type, n));
  std::vector<Object*> nodes(n);
  for (size_t i = 0; i < n; ++i) {
    nodes[i] = m->TryAllocate(Node());
    if (nodes[i] == nullptr || all.get() == nullptr) std::abort();
    m->StoreElement(all.get(), i, nodes[i]);
  }
  std::mt19937_64 rng(7);
  switch (shape) {
    case Shape::kList:
      for (size_t i = 0; i + 1 < n; ++i) m->Store(nodes[i], kLeft, nodes[i + 1]);
      break;
    case Shape::kTree:
      for (size_t i = 0; 2 * i + 1 < n; ++i) {
        m->Store(nodes[i], kLeft, nodes[2 * i + 1]);
        if (2 * i + 2 < n) m->Store(nodes[i], kRight, nodes[2 * i + 2]);
      }
      break;
    case Shape::kGraph: {
      std::vector<size_t> order(n);
      std::iota(order.begin(), order.end(), 0);
      std::shuffle(order.begin() + 1, order.end(), rng);  // node 0 first: the root
      for (size_t k = 0; k + 1 < n; ++k) {
        m->Store(nodes[order[k]], kLeft, nodes[order[k + 1]]);
      }
      for (size_t i = 0; i < n; ++i) m->Store(nodes[i], kRight, nodes[rng() % n]);
      break;
    }
  }
  return nodes[0];
}

void BM_Mark(benchmark::State& state, const Variant& v, Shape shape) {
  std::unique_ptr<Heap> heap = NewHeapOrDie(v.collector, MakeOrDie(v.config));
  Mutator* m = heap->AttachCurrentThread();
  const uint64_t live_bytes = MarkNodes() * ObjectSizeFor(Node());
  uint64_t marked_total = 0;
  {
    HandleScope scope(m);
    Local root(m, BuildShape(m, shape));
    m->CollectGarbage();  // frees the build's array; later cycles mark the same graph
    for (auto _ : state) {
      m->CollectGarbage();
      const CycleRecord last = heap->stats().cycles().back();
      if (last.heap_marked_bytes < live_bytes) {
        state.SkipWithError("the collection marked less than the live graph");
        break;
      }
      marked_total += last.heap_marked_bytes;
      state.SetIterationTime(static_cast<double>(std::max<int64_t>(last.mark_ns, 1)) * 1e-9);
    }
  }
  state.SetBytesProcessed(static_cast<int64_t>(marked_total));
  state.counters["marked_MB"] = static_cast<double>(live_bytes) / (1 << 20);
  heap->DetachCurrentThread(m);
}

void RegisterAll() {
  for (const Variant& v : CollectorVariants()) {
    const bool has_barrier = MakeOrDie(v.config)->constraints().needs_write_barrier;
    const std::vector<BarrierState> states =
        has_barrier ? std::vector<BarrierState>{BarrierState::kIdle, BarrierState::kMarking}
                    : std::vector<BarrierState>{BarrierState::kOff};
    for (BarrierState s : states) {
      benchmark::RegisterBenchmark(("BM_Barrier/" + v.name + "/" + BarrierStateName(s)).c_str(),
                                   [v, s](benchmark::State& st) { BM_Barrier(st, v, s); })
          ->Unit(benchmark::kMicrosecond);
    }
  }
  // Mark rate: each collector once, with default parameters.
  for (Shape shape : {Shape::kList, Shape::kTree, Shape::kGraph}) {
    for (const std::string& name : KnownCollectorNames()) {
      const Variant v{name, name, *CollectorConfigForName(name)};
      if (!MakeOrDie(v.config)->constraints().frees_memory) continue;
      benchmark::RegisterBenchmark(("BM_Mark/" + name + "/" + ShapeName(shape)).c_str(),
                                   [v, shape](benchmark::State& st) { BM_Mark(st, v, shape); })
          ->UseManualTime()
          ->Unit(benchmark::kMillisecond);
    }
  }
}

// Registered from a static initializer, like BENCHMARK(): the registry's
// protobuf descriptors are set up by initializers of higher priority.
const int registered = (RegisterAll(), 0);

}  // namespace
}  // namespace gclab
