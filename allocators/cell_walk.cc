#include "allocators/cell_walk.h"

#include "absl/strings/str_format.h"

namespace gclab {

void ForEachObjectInRange(char* begin, char* end, const std::function<void(Object*)>& f) {
  const char* bad = WalkCellRange(begin, end, [&](char* p, ObjectHeader* h, size_t) {
    if (IsObject(h)) f(reinterpret_cast<Object*>(p));
  });
  GCLAB_CHECK(bad == nullptr, "heap corruption: bad cell header at %p (size %u, magic 0x%x)",
              static_cast<const void*>(bad), bad == nullptr ? 0u : HeaderAt(bad)->size,
              bad == nullptr ? 0u : static_cast<unsigned>(HeaderAt(bad)->magic));
}

absl::Status FreeMemoryVerifier::Unparseable(const void* unit_base, const char* cell) const {
  const ObjectHeader* h = HeaderAt(cell);
  return absl::DataLossError(absl::StrFormat(
      "%s: unparseable cell at %p in %s %p (size %u, magic 0x%x)", allocator_,
      static_cast<const void*>(cell), unit_, unit_base, h->size, static_cast<unsigned>(h->magic)));
}

absl::Status FreeMemoryVerifier::CheckFiller(const char* cell, size_t extent) const {
  if (!poison_ || extent <= kHeaderSize + link_bytes_) return absl::OkStatus();
  return CheckPoisoned(cell, cell + kHeaderSize + link_bytes_, extent - kHeaderSize - link_bytes_,
                       allocator_);
}

absl::Status FreeMemoryVerifier::CheckRange(const void* unit_base, char* begin, char* end) const {
  absl::Status status;
  const char* bad = WalkCellRange(begin, end, [&](char* p, ObjectHeader* h, size_t size) {
    if (status.ok() && IsFiller(h)) status = CheckFiller(p, size);
  });
  if (!status.ok()) return status;
  if (bad != nullptr) return Unparseable(unit_base, bad);
  return absl::OkStatus();
}

absl::Status FreeMemoryVerifier::CheckAllocatedSlot(const void* unit_base, const char* cell,
                                                    size_t slot_bytes) const {
  const ObjectHeader* h = HeaderAt(cell);
  if (!IsParseableCell(h, slot_bytes)) return Unparseable(unit_base, cell);
  return IsFiller(h) ? CheckFiller(cell, slot_bytes) : absl::OkStatus();
}

absl::Status FreeMemoryVerifier::CheckFreeSlot(const char* cell, size_t slot_bytes) const {
  if (!poison_) return absl::OkStatus();
  return CheckPoisoned(cell, cell, slot_bytes, allocator_);
}

}  // namespace gclab
