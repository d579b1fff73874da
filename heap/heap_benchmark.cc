// Microbenchmarks of the heap facade's hot paths:
//
//   BM_Allocate/<alloc>/<bytes>      Mutator::TryAllocate of a 16, 32, 64 or
//                                    256-byte object (the inline path: budget
//                                    and poll checks, Allocator::Allocate,
//                                    header, zeroing), for every allocator the
//                                    registry knows, with the first collector
//                                    that frees memory on it. Batches of 8192;
//                                    between batches a collection with
//                                    nothing rooted (not timed) empties the
//                                    heap, so no triggered collection lands
//                                    in the timed loop. per_alloc = time per
//                                    object.
//   BM_AllocateAndCollect/<alloc>    allocation with marksweep's triggered
//                                    collections in the loop.
//   BM_Store/barrier_enabled:<0|1>   pointer stores with the write-barrier
//                                    check off and on (nogc, whose slow path
//                                    only performs the store: the difference
//                                    is the check + call). The collectors'
//                                    own barriers: collectors/collector_benchmark.cc.
//   BM_ScanRoots/<handles>           Heap::VisitMutatorRoots over a thread
//                                    with N handles (Locals), each visited
//                                    slot loaded (what a marker does before
//                                    shading). per_handle = time per handle.
//
//   bazel run --config=opt //heap:heap_benchmark
#include <memory>
#include <string>
#include <vector>

#include "benchmark/benchmark.h"
#include "heap/mutator.h"
#include "registry/registry.h"

namespace gclab {
namespace {

const TypeDescriptor* Node() {
  static const TypeDescriptor* t = MakeRecordType("BenchNode", 2, 8);
  return t;
}

std::unique_ptr<Heap> NewHeap(const std::string& allocator, const std::string& collector) {
  HeapConfig config;
  config.heap_limit_bytes = size_t{4} << 30;
  // GCLAB_VERIFY / GCLAB_CHECKMARK (set by `bazel test`: the smoke test
  // checks the benchmarks' heaps too).
  ApplyHeapEnvironment(&config);
  auto heap =
      MakeHeap(config, *AllocatorConfigForName(allocator), *CollectorConfigForName(collector));
  if (!heap.ok()) std::abort();
  return *std::move(heap);
}

// A byte array whose cells are exactly `bytes` (a multiple of 8, >= 16)
// with `*length` elements.
const TypeDescriptor* Bytes(size_t bytes, size_t* length) {
  static const TypeDescriptor* t = MakeDataArrayType("BenchBytes", 1);
  *length = bytes - kHeaderSize;
  return t;
}

// The first registry collector that frees memory and runs on `allocator`.
std::string ReclaimingCollectorFor(const std::string& allocator) {
  for (const auto& [a, c] : KnownCompatiblePairs()) {
    if (a != allocator) continue;
    if ((*MakeCollector(*CollectorConfigForName(c)))->constraints().frees_memory) return c;
  }
  return "";
}

void BM_Allocate(benchmark::State& state, std::string allocator, std::string collector,
                 size_t bytes) {
  auto heap = NewHeap(allocator, collector);
  Mutator* m = heap->AttachCurrentThread();
  size_t length;
  const TypeDescriptor* type = Bytes(bytes, &length);
  if (ObjectSizeFor(type, length) != bytes) std::abort();
  constexpr int kBatch = 8192;
  for (auto _ : state) {
    for (int i = 0; i < kBatch; ++i) benchmark::DoNotOptimize(m->TryAllocate(type, length));
    state.PauseTiming();
    m->CollectGarbage();
    state.ResumeTiming();
  }
  const double objects = static_cast<double>(state.iterations()) * kBatch;
  state.SetItemsProcessed(static_cast<int64_t>(objects));
  state.counters["per_alloc"] =
      benchmark::Counter(objects, benchmark::Counter::kIsRate | benchmark::Counter::kInvert);
  heap->DetachCurrentThread(m);
}

// Allocation with collections: marksweep reclaims, so the loop can run forever.
void BM_AllocateAndCollect(benchmark::State& state, std::string allocator) {
  auto heap = NewHeap(allocator, "marksweep");
  Mutator* m = heap->AttachCurrentThread();
  for (auto _ : state) benchmark::DoNotOptimize(m->TryAllocate(Node()));
  state.SetItemsProcessed(state.iterations());
  state.counters["collections"] = static_cast<double>(heap->stats().collections());
  heap->DetachCurrentThread(m);
}

// The allocator does not matter for stores: the first registered one.
void BM_Store(benchmark::State& state) {
  const bool barrier_on = state.range(0) != 0;
  auto heap = NewHeap(KnownAllocatorNames().front(), "nogc");
  Mutator* m = heap->AttachCurrentThread();
  {
    HandleScope scope(m);  // truncates m's shadow stack: before m detaches
    Local a(m, m->TryAllocate(Node())), b(m, m->TryAllocate(Node()));
    heap->SetWriteBarrierEnabled(barrier_on);
    Object* x = a.get();
    Object* y = b.get();
    for (auto _ : state) {
      m->Store(x, 0, y);
      m->Store(x, 8, nullptr);
    }
    heap->SetWriteBarrierEnabled(false);
  }
  state.SetItemsProcessed(2 * state.iterations());
  heap->DetachCurrentThread(m);
}

void BM_ScanRoots(benchmark::State& state) {
  const size_t handles = static_cast<size_t>(state.range(0));
  auto heap = NewHeap(KnownAllocatorNames().front(), "nogc");
  Mutator* m = heap->AttachCurrentThread();
  {
    HandleScope scope(m);
    for (size_t i = 0; i < handles; ++i) {
      Local handle(m, m->TryAllocate(Node()));
      benchmark::DoNotOptimize(handle.get());
    }
    for (auto _ : state) {
      size_t live = 0;
      heap->VisitMutatorRoots(m, [&live](Object** slot) { live += LoadPointer(slot) != nullptr; });
      if (live != handles) std::abort();
    }
  }
  const double visited = static_cast<double>(state.iterations()) * handles;
  state.SetItemsProcessed(static_cast<int64_t>(visited));
  state.counters["per_handle"] =
      benchmark::Counter(visited, benchmark::Counter::kIsRate | benchmark::Counter::kInvert);
  heap->DetachCurrentThread(m);
}

void RegisterAll() {
  for (size_t bytes : {16, 32, 64, 256}) {
    for (const std::string& name : KnownAllocatorNames()) {
      const std::string collector = ReclaimingCollectorFor(name);
      if (collector.empty()) continue;  // nothing could empty the heap between batches
      benchmark::RegisterBenchmark(("BM_Allocate/" + name + "/" + std::to_string(bytes)).c_str(),
                                   [name, collector, bytes](benchmark::State& st) {
                                     BM_Allocate(st, name, collector, bytes);
                                   })
          ->Unit(benchmark::kMicrosecond);
    }
  }
  for (const std::string& name : AllocatorsCompatibleWith("marksweep")) {
    benchmark::RegisterBenchmark(("BM_AllocateAndCollect/" + name).c_str(),
                                 [name](benchmark::State& st) { BM_AllocateAndCollect(st, name); });
  }
  benchmark::RegisterBenchmark("BM_Store", BM_Store)->Arg(0)->Arg(1)->ArgName("barrier_enabled");
  benchmark::RegisterBenchmark("BM_ScanRoots", BM_ScanRoots)->RangeMultiplier(16)->Range(16, 65536);
}

// Registered from a static initializer, like BENCHMARK(): the registry's
// protobuf descriptors are set up by initializers of higher priority.
const int registered = (RegisterAll(), 0);

}  // namespace
}  // namespace gclab

BENCHMARK_MAIN();
