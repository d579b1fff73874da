#include "workloads/test_util.h"

#include <cstdio>
#include <cstdlib>

#include "google/protobuf/descriptor.h"
#include "registry/registry.h"

namespace gclab {
namespace {

// Tests use small heaps; collectors with a minimum heap size before the first
// collection (a `min_heap_bytes` parameter, found by reflection so that no
// collector is named here) get 256 KiB so that collections actually happen.
void LowerCollectionThreshold(CollectorConfig* config) {
  const google::protobuf::Reflection* r = config->GetReflection();
  const google::protobuf::OneofDescriptor* kind =
      CollectorConfig::descriptor()->FindOneofByName("kind");
  const google::protobuf::FieldDescriptor* set = r->GetOneofFieldDescriptor(*config, kind);
  if (set == nullptr) return;
  google::protobuf::Message* params = r->MutableMessage(config, set);
  const google::protobuf::FieldDescriptor* min =
      params->GetDescriptor()->FindFieldByName("min_heap_bytes");
  if (min != nullptr && min->cpp_type() == google::protobuf::FieldDescriptor::CPPTYPE_UINT64) {
    params->GetReflection()->SetUInt64(params, min, 256 * 1024);
  }
}

}  // namespace

absl::StatusOr<std::unique_ptr<Heap>> MakeTestHeap(const std::string& allocator,
                                                   const std::string& collector,
                                                   size_t heap_limit_bytes) {
  HeapConfig config;
  config.heap_limit_bytes = heap_limit_bytes;
  ApplyHeapEnvironment(&config);
  absl::StatusOr<AllocatorConfig> a = AllocatorConfigForName(allocator);
  if (!a.ok()) return a.status();
  absl::StatusOr<CollectorConfig> c = CollectorConfigForName(collector);
  if (!c.ok()) return c.status();
  LowerCollectionThreshold(&*c);
  return MakeHeap(config, *a, *c);
}

std::unique_ptr<Heap> NewTestHeap(const std::string& allocator, const std::string& collector,
                                  size_t heap_limit_bytes) {
  absl::StatusOr<std::unique_ptr<Heap>> heap = MakeTestHeap(allocator, collector, heap_limit_bytes);
  if (!heap.ok()) {
    std::fprintf(stderr, "NewTestHeap(%s, %s): %s\n", allocator.c_str(), collector.c_str(),
                 std::string(heap.status().message()).c_str());
    std::abort();
  }
  return std::move(heap).value();
}

}  // namespace gclab
