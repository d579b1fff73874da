// The module registry: maps configs (registry/modules.proto) and names to
// allocator and collector factories through one explicit switch per module
// kind (no static self-registration). Experiments, tests and tools create
// modules only through here, so a new module is visible everywhere once it
// has its oneof field and its case.
//
// Example
//   absl::StatusOr<CollectorConfig> c = CollectorConfigForName("marksweep");
//   absl::StatusOr<std::unique_ptr<Heap>> heap =
//       MakeHeap(HeapConfig{}, *AllocatorConfigForName("size_class"), *c);
#ifndef GCLAB_REGISTRY_REGISTRY_H_
#define GCLAB_REGISTRY_REGISTRY_H_

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "heap/heap.h"
#include "interfaces/allocator.h"
#include "interfaces/collector.h"
#include "registry/modules.pb.h"

namespace gclab {

// Registry names, in declaration order (the oneof field names).
std::vector<std::string> KnownAllocatorNames();
std::vector<std::string> KnownCollectorNames();

// A config selecting `name` with default parameters; NotFound listing the
// known names otherwise.
absl::StatusOr<AllocatorConfig> AllocatorConfigForName(absl::string_view name);
absl::StatusOr<CollectorConfig> CollectorConfigForName(absl::string_view name);

// The registry name a config selects ("" if none is set).
std::string AllocatorName(const AllocatorConfig& config);
std::string CollectorName(const CollectorConfig& config);

// Factories. InvalidArgument naming the field for bad parameters.
absl::StatusOr<std::unique_ptr<Allocator>> MakeAllocator(const AllocatorConfig& config);
absl::StatusOr<std::unique_ptr<Collector>> MakeCollector(const CollectorConfig& config);

// The (allocator, collector) pairs of registry modules that can run
// together, in KnownAllocatorNames x KnownCollectorNames order, decided by
// each pair's declared capabilities and constraints (CheckCompatible,
// interfaces/collector.h), never by names. Cross-module tests iterate these.
std::vector<std::pair<std::string, std::string>> KnownCompatiblePairs();
// The allocators the registry's collector `collector` can run on.
std::vector<std::string> AllocatorsCompatibleWith(absl::string_view collector);

// OK iff `collector` (built from `collector_config`) can run on `allocator`
// (CheckCompatible); otherwise FailedPrecondition naming the capability and
// the registry's allocators the collector runs on.
absl::Status CheckModulesFit(const Allocator& allocator, const Collector& collector,
                             const CollectorConfig& collector_config);

// Allocator + collector + Heap::Create in one step. An incompatible pair is
// FailedPrecondition naming the capability and the allocators that fit.
absl::StatusOr<std::unique_ptr<Heap>> MakeHeap(const HeapConfig& heap_config,
                                               const AllocatorConfig& allocator,
                                               const CollectorConfig& collector);

}  // namespace gclab

#endif  // GCLAB_REGISTRY_REGISTRY_H_
