// Cell helpers shared by the allocators: filler headers over free memory,
// poisoning of freed bytes and poison checks. The walks over a unit's cells
// (ForEachObject, VerifyFreeMemory, the coalescing sweep) are in cell_walk.h.
//
// A *filler* is a free run disguised as a cell: an ObjectHeader with
// magic == kFreeMagic, type == nullptr, mark == 0 and `size` covering the
// whole run, so a unit (region, arena) stays parseable cell by cell. With
// poisoning on, every byte of a filler after its header (and after an
// optional link word, see SweepCellRange in cell_walk.h) holds kPoisonByte.
#ifndef GCLAB_ALLOCATORS_CELL_UTILS_H_
#define GCLAB_ALLOCATORS_CELL_UTILS_H_

#include <cstddef>
#include <cstdint>
#include <cstring>

#include "absl/status/status.h"
#include "absl/strings/str_format.h"
#include "interfaces/allocator.h"
#include "object/object.h"
#include "util/check.h"

namespace gclab {

inline ObjectHeader* HeaderAt(void* p) { return static_cast<ObjectHeader*>(p); }
inline const ObjectHeader* HeaderAt(const void* p) { return static_cast<const ObjectHeader*>(p); }

inline void PoisonBytes(void* p, size_t n, bool poison) {
  if (poison && n > 0) std::memset(p, kPoisonByte, n);
}

// Writes a filler header covering `size` bytes at `p` (payload untouched).
inline void WriteFiller(void* p, size_t size) {
  GCLAB_DCHECK(size >= kHeaderSize && size % kObjectAlignment == 0, "filler of %zu bytes", size);
  ObjectHeader* h = HeaderAt(p);
  h->type = nullptr;
  h->size = static_cast<uint32_t>(size);
  h->mark.store(0, std::memory_order_relaxed);
  h->flags = 0;
  h->magic = kFreeMagic;
}

inline bool IsFiller(const ObjectHeader* h) { return h->magic == kFreeMagic; }
inline bool IsObject(const ObjectHeader* h) { return h->magic == kObjectMagic; }

// Returns the first byte in [p, p+n) that is not kPoisonByte, or nullptr.
inline const uint8_t* FindUnpoisoned(const void* p, size_t n) {
  const uint8_t* b = static_cast<const uint8_t*>(p);
  size_t i = 0;
  // Word-at-a-time fast path.
  constexpr uint64_t kWord = 0x0101010101010101ull * kPoisonByte;
  for (; i + 8 <= n; i += 8) {
    uint64_t w;
    std::memcpy(&w, b + i, 8);
    if (w != kWord) break;
  }
  for (; i < n; ++i) {
    if (b[i] != kPoisonByte) return b + i;
  }
  return nullptr;
}

// OK iff [p, p+n) is all kPoisonByte; the error names the first bad address
// and the free cell it belongs to.
inline absl::Status CheckPoisoned(const void* cell, const void* p, size_t n,
                                  const char* allocator_name) {
  if (const uint8_t* bad = FindUnpoisoned(p, n)) {
    return absl::DataLossError(
        absl::StrFormat("%s: free memory at %p (free cell %p) is 0x%02x, expected poison 0x%02x",
                        allocator_name, static_cast<const void*>(bad), cell, *bad, kPoisonByte));
  }
  return absl::OkStatus();
}

}  // namespace gclab

#endif  // GCLAB_ALLOCATORS_CELL_UTILS_H_
