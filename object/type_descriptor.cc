#include "object/type_descriptor.h"

#include <memory>
#include <mutex>
#include <utility>

#include "absl/container/flat_hash_set.h"

namespace gclab {
namespace {

struct Registry {
  std::mutex mu;
  std::vector<std::unique_ptr<TypeDescriptor>> owned;  // guarded by mu
  absl::flat_hash_set<const TypeDescriptor*> known;    // guarded by mu
};

Registry& GetRegistry() {
  static Registry* r = new Registry;
  return *r;
}

const TypeDescriptor* Register(TypeDescriptor t) {
  Registry& r = GetRegistry();
  std::lock_guard<std::mutex> lock(r.mu);
  t.id = static_cast<uint32_t>(r.owned.size() + 1);
  r.owned.push_back(std::make_unique<TypeDescriptor>(std::move(t)));
  const TypeDescriptor* p = r.owned.back().get();
  r.known.insert(p);
  return p;
}

}  // namespace

const TypeDescriptor* MakeRecordType(std::string name, uint32_t num_pointers, uint32_t data_bytes) {
  TypeDescriptor t;
  t.name = std::move(name);
  t.kind = TypeDescriptor::Kind::kRecord;
  t.instance_size = num_pointers * 8 + data_bytes;
  for (uint32_t i = 0; i < num_pointers; ++i) t.pointer_offsets.push_back(i * 8);
  return Register(std::move(t));
}

const TypeDescriptor* MakeRecordTypeWithOffsets(std::string name, uint32_t payload_bytes,
                                                std::vector<uint32_t> pointer_offsets) {
  TypeDescriptor t;
  t.name = std::move(name);
  t.kind = TypeDescriptor::Kind::kRecord;
  t.instance_size = payload_bytes;
  t.pointer_offsets = std::move(pointer_offsets);
  return Register(std::move(t));
}

const TypeDescriptor* MakePointerArrayType(std::string name) {
  TypeDescriptor t;
  t.name = std::move(name);
  t.kind = TypeDescriptor::Kind::kPointerArray;
  t.element_size = 8;
  return Register(std::move(t));
}

const TypeDescriptor* MakeDataArrayType(std::string name, uint32_t element_size) {
  TypeDescriptor t;
  t.name = std::move(name);
  t.kind = TypeDescriptor::Kind::kDataArray;
  t.element_size = element_size;
  return Register(std::move(t));
}

const TypeDescriptor* MakeRecordArrayType(std::string name, uint32_t element_size,
                                          std::vector<uint32_t> pointer_offsets) {
  TypeDescriptor t;
  t.name = std::move(name);
  t.kind = TypeDescriptor::Kind::kRecordArray;
  t.element_size = element_size;
  t.pointer_offsets = std::move(pointer_offsets);
  return Register(std::move(t));
}

bool IsRegisteredType(const TypeDescriptor* type) {
  Registry& r = GetRegistry();
  std::lock_guard<std::mutex> lock(r.mu);
  return r.known.contains(type);
}

}  // namespace gclab
