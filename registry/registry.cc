#include "registry/registry.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "allocators/bump/bump_allocator.h"
#include "allocators/free_list/free_list_allocator.h"
#include "allocators/size_class/size_class_allocator.h"
#include "collectors/concurrent/concurrent_collector.h"
#include "collectors/marksweep/marksweep_collector.h"
#include "collectors/nogc/nogc_collector.h"
#include "registry/oneof.h"

namespace gclab {

std::vector<std::string> KnownAllocatorNames() { return KindNames(AllocatorConfig::descriptor()); }

std::vector<std::string> KnownCollectorNames() { return KindNames(CollectorConfig::descriptor()); }

absl::StatusOr<AllocatorConfig> AllocatorConfigForName(absl::string_view name) {
  AllocatorConfig config;
  absl::Status s = SelectKind(&config, "allocator", name);
  if (!s.ok()) return s;
  return config;
}

absl::StatusOr<CollectorConfig> CollectorConfigForName(absl::string_view name) {
  CollectorConfig config;
  absl::Status s = SelectKind(&config, "collector", name);
  if (!s.ok()) return s;
  return config;
}

std::string AllocatorName(const AllocatorConfig& config) { return SelectedKind(config); }
std::string CollectorName(const CollectorConfig& config) { return SelectedKind(config); }

absl::StatusOr<std::unique_ptr<Allocator>> MakeAllocator(const AllocatorConfig& config) {
  // Each case only translates the params to the allocator's config; the
  // factory validates it (InvalidArgument naming the field, e.g. bump.region_bytes).
  switch (config.kind_case()) {
    case AllocatorConfig::kBump: {
      BumpAllocatorConfig c;
      c.region_bytes = config.bump().region_bytes();
      return NewBumpAllocator(c);
    }
    case AllocatorConfig::kFreeList: {
      FreeListAllocatorConfig c;
      c.arena_bytes = config.free_list().arena_bytes();
      return NewFreeListAllocator(c);
    }
    case AllocatorConfig::kSizeClass:
      return NewSizeClassAllocator();
    case AllocatorConfig::KIND_NOT_SET:
      break;
  }
  return absl::InvalidArgumentError(absl::StrCat("no allocator selected; known allocators: ",
                                                 absl::StrJoin(KnownAllocatorNames(), ", ")));
}

absl::StatusOr<std::unique_ptr<Collector>> MakeCollector(const CollectorConfig& config) {
  switch (config.kind_case()) {
    case CollectorConfig::kNogc:
      return NewNoGcCollector();
    case CollectorConfig::kMarksweep: {
      const MarkSweepParams& p = config.marksweep();
      MarkSweepOptions o;
      o.growth.gogc = p.gogc();
      o.growth.min_heap_bytes = p.min_heap_bytes();
      return NewMarkSweepCollector(o);  // InvalidArgument names the field
    }
    case CollectorConfig::kConcurrent: {
      const ConcurrentParams& p = config.concurrent();
      ConcurrentOptions o;
      o.gogc = p.gogc();
      o.min_heap_bytes = p.min_heap_bytes();
      switch (p.barrier()) {
        case DIJKSTRA:
          o.barrier = BarrierKind::kDijkstra;
          break;
        case YUASA:
          o.barrier = BarrierKind::kYuasa;
          break;
        case HYBRID:
        case WRITE_BARRIER_UNSPECIFIED:
          o.barrier = BarrierKind::kHybrid;
          break;
      }
      o.marker_threads = p.marker_threads();
      o.memory_limit_bytes = p.memory_limit_bytes();
      o.assists = p.assists();
      return NewConcurrentCollector(o);  // InvalidArgument names the field
    }
    case CollectorConfig::KIND_NOT_SET:
      break;
  }
  return absl::InvalidArgumentError(absl::StrCat("no collector selected; known collectors: ",
                                                 absl::StrJoin(KnownCollectorNames(), ", ")));
}

absl::StatusOr<std::unique_ptr<Heap>> MakeHeap(const HeapConfig& heap_config,
                                               const AllocatorConfig& allocator,
                                               const CollectorConfig& collector) {
  absl::StatusOr<std::unique_ptr<Allocator>> a = MakeAllocator(allocator);
  if (!a.ok()) return a.status();
  absl::StatusOr<std::unique_ptr<Collector>> c = MakeCollector(collector);
  if (!c.ok()) return c.status();
  return Heap::Create(heap_config, *std::move(a), *std::move(c));
}

}  // namespace gclab
