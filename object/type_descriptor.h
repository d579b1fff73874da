// TypeDescriptor: what a collector needs to know to trace an object precisely.
//
// Four kinds:
//   kRecord        fixed payload of `instance_size` bytes; pointer fields at the
//                  byte offsets in `pointer_offsets` (8-byte aligned).
//   kPointerArray  variable length; every element is a pointer (element_size 8).
//   kDataArray     variable length; no pointers (element_size bytes each).
//   kRecordArray   variable length; every element of element_size bytes has
//                  pointers at the offsets in `pointer_offsets` (relative to
//                  the element), e.g. a Go []string or []struct{p *T; n int}.
//
// Descriptors are immutable and immortal once created; workloads usually keep
// them in function-local statics.
#ifndef GCLAB_OBJECT_TYPE_DESCRIPTOR_H_
#define GCLAB_OBJECT_TYPE_DESCRIPTOR_H_

#include <cstdint>
#include <initializer_list>
#include <string>
#include <vector>

namespace gclab {

struct TypeDescriptor {
  enum class Kind : uint8_t { kRecord, kPointerArray, kDataArray, kRecordArray };

  std::string name;
  Kind kind = Kind::kRecord;
  uint32_t instance_size = 0;             // records: payload bytes
  uint32_t element_size = 0;              // arrays: bytes per element
  std::vector<uint32_t> pointer_offsets;  // records, record arrays: byte offsets of pointers
  uint32_t id = 0;                        // assigned by the TypeRegistry

  bool is_array() const { return kind != Kind::kRecord; }
  bool has_pointers() const { return kind == Kind::kPointerArray || !pointer_offsets.empty(); }
};

// Factories return immortal descriptors owned by the process-wide TypeRegistry
// (so the verifier can tell a real type pointer from garbage). Thread-safe.
//
// A record of `num_pointers` pointer fields (offsets 0, 8, ...) followed by
// `data_bytes` bytes of data starting at offset 8*num_pointers.
const TypeDescriptor* MakeRecordType(std::string name, uint32_t num_pointers, uint32_t data_bytes);
// A record with pointers at arbitrary 8-aligned offsets inside `payload_bytes`.
const TypeDescriptor* MakeRecordTypeWithOffsets(std::string name, uint32_t payload_bytes,
                                                std::vector<uint32_t> pointer_offsets);
const TypeDescriptor* MakePointerArrayType(std::string name);
const TypeDescriptor* MakeDataArrayType(std::string name, uint32_t element_size);
// Elements of `element_size` bytes (a multiple of 8 if there are pointers)
// with pointers at `pointer_offsets` inside each element.
const TypeDescriptor* MakeRecordArrayType(std::string name, uint32_t element_size,
                                          std::vector<uint32_t> pointer_offsets);

// True iff `type` came from one of the factories above.
bool IsRegisteredType(const TypeDescriptor* type);

}  // namespace gclab

#endif  // GCLAB_OBJECT_TYPE_DESCRIPTOR_H_
