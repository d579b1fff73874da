// Microbenchmarks of the heap facade's hot paths: allocation through a
// Mutator (for every allocator the registry knows, with nogc so no collection
// interferes, and with marksweep) and pointer stores with the write-barrier
// check off and on (a collector whose slow path only performs the store, so
// the difference is the check + call).
//
//   bazel run --config=opt //heap:heap_benchmark
#include <memory>
#include <string>

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
  auto heap =
      MakeHeap(config, *AllocatorConfigForName(allocator), *CollectorConfigForName(collector));
  if (!heap.ok()) std::abort();
  return *std::move(heap);
}

void BM_Allocate(benchmark::State& state, std::string allocator) {
  auto heap = NewHeap(allocator, "nogc");
  Mutator* m = heap->AttachCurrentThread();
  for (auto _ : state) benchmark::DoNotOptimize(m->TryAllocate(Node()));
  state.SetItemsProcessed(state.iterations());
  state.SetBytesProcessed(state.iterations() * ObjectSizeFor(Node()));
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
  HandleScope scope(m);
  Local a(m, m->TryAllocate(Node())), b(m, m->TryAllocate(Node()));
  heap->SetWriteBarrierEnabled(barrier_on);
  Object* x = a.get();
  Object* y = b.get();
  for (auto _ : state) {
    m->Store(x, 0, y);
    m->Store(x, 8, nullptr);
  }
  heap->SetWriteBarrierEnabled(false);
  state.SetItemsProcessed(2 * state.iterations());
  heap->DetachCurrentThread(m);
}

void RegisterAll() {
  for (const std::string& name : KnownAllocatorNames()) {
    benchmark::RegisterBenchmark(("BM_Allocate/" + name).c_str(), [name](benchmark::State& st) {
      BM_Allocate(st, name);
    })->Iterations(5'000'000);
  }
  for (const std::string& name : KnownAllocatorNames()) {
    benchmark::RegisterBenchmark(("BM_AllocateAndCollect/" + name).c_str(),
                                 [name](benchmark::State& st) { BM_AllocateAndCollect(st, name); });
  }
  benchmark::RegisterBenchmark("BM_Store", BM_Store)->Arg(0)->Arg(1)->ArgName("barrier_enabled");
}

// Registered from a static initializer, like BENCHMARK(): the registry's
// protobuf descriptors are set up by initializers of higher priority.
const int registered = (RegisterAll(), 0);

}  // namespace
}  // namespace gclab

BENCHMARK_MAIN();
