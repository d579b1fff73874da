// Cell walks shared by the allocators: the one loop over a unit's cells behind
// every allocator's ForEachObject, VerifyFreeMemory and coalescing sweep.
//
// A unit (region, arena, span) lays its cells out in one of two ways:
// - a *cell range* [begin, end) (bump regions, free_list arenas): cells back
//   to back, each header's `size` leading to the next. Free runs are fillers
//   (cell_utils.h), so the range parses cell by cell.
// - *slots* of one size (size_class spans): a bitmap says which slots are
//   allocated. An allocated slot holds an object, or a filler after a
//   deferred Free; a free slot has no header and is wholly poisoned.
//
// When these may run is the allocator interface's rule (interfaces/allocator.h):
// ForEachObjectInRange and FreeMemoryVerifier with the world stopped and no
// sweep in progress, SweepCellRange on a unit the caller has claimed for
// sweeping (no cache allocates in it).
//
//   // VerifyFreeMemory of an allocator with cell ranges:
//   const FreeMemoryVerifier verify("bump", "region", options_.poison_freed);
//   for (Region* r : regions) {
//     absl::Status st = verify.CheckRange(r, RegionBegin(r), RegionEnd(r));
//     if (!st.ok()) return st;
//   }
#ifndef GCLAB_ALLOCATORS_CELL_WALK_H_
#define GCLAB_ALLOCATORS_CELL_WALK_H_

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <functional>

#include "absl/status/status.h"
#include "allocators/cell_utils.h"
#include "interfaces/allocator.h"
#include "object/object.h"
#include "util/check.h"

namespace gclab {

// True iff `h` can start a cell in the `room` bytes left of its unit: an object
// or a filler whose size is a multiple of kObjectAlignment in [kHeaderSize, room].
inline bool IsParseableCell(const ObjectHeader* h, size_t room) {
  const size_t size = h->size;
  return size >= kHeaderSize && size % kObjectAlignment == 0 && size <= room &&
         (IsObject(h) || IsFiller(h));
}

// Calls visit(cell, header, size) for every cell of [begin, end) in address
// order. `size` is read before visit runs, so visit may rewrite or poison the
// cell. Stops at the first cell that does not parse and returns it; returns
// nullptr when the whole range parsed.
template <typename Visit>
char* WalkCellRange(char* begin, char* end, Visit&& visit) {
  for (char* p = begin; p < end;) {
    ObjectHeader* h = HeaderAt(p);
    if (!IsParseableCell(h, static_cast<size_t>(end - p))) return p;
    const size_t size = h->size;
    visit(p, h, size);
    p += size;
  }
  return nullptr;
}

// Calls f on every object of the cell range [begin, end), in address order.
// Aborts naming the cell if the range does not parse (heap corruption).
void ForEachObjectInRange(char* begin, char* end, const std::function<void(Object*)>& f);

// VerifyFreeMemory's checks, unit by unit. Messages start with the allocator's
// name and name the first bad address and its unit.
class FreeMemoryVerifier {
 public:
  // `unit` names the allocator's units in messages ("region", "arena",
  // "span"). With `poison` false only parseability is checked. `link_bytes`
  // right after a filler's header are not poisoned (free_list's link word).
  FreeMemoryVerifier(const char* allocator, const char* unit, bool poison, size_t link_bytes = 0)
      : allocator_(allocator), unit_(unit), poison_(poison), link_bytes_(link_bytes) {}

  // The cell range [begin, end) of the unit at `unit_base` parses, and the
  // payload of every filler after its link word is poisoned.
  absl::Status CheckRange(const void* unit_base, char* begin, char* end) const;

  // An allocated slot of `slot_bytes` at `cell` holds an object or a filler;
  // a filler is poisoned after its header up to the end of the slot.
  absl::Status CheckAllocatedSlot(const void* unit_base, const char* cell, size_t slot_bytes) const;

  // A free slot of `slot_bytes` at `cell` is poisoned throughout.
  absl::Status CheckFreeSlot(const char* cell, size_t slot_bytes) const;

 private:
  absl::Status Unparseable(const void* unit_base, const char* cell) const;
  // The filler at `cell`, of which `extent` bytes belong to it, is poisoned
  // after its header and link word.
  absl::Status CheckFiller(const char* cell, size_t extent) const;

  const char* const allocator_;
  const char* const unit_;
  const bool poison_;
  const size_t link_bytes_;
};

// Sweeps the contiguous cells of [begin, end): a cell is live iff it is an
// object with mark == live_epoch. Dead objects and fillers are merged into
// maximal free runs; each run gets one filler header and, when `poison`, its
// payload is fully poisoned except `link_bytes` right after the header, which
// the caller may use for a free-list link. (Previously free fillers are
// assumed poisoned except their own header and link word, so only dead cells
// and old headers/links are re-poisoned: the walk costs O(cells) plus the
// bytes freed in this sweep.) Calls on_run(start, size) for every run, in
// address order, after its filler is written. Adds live/freed objects and
// bytes to *stats (fillers are not counted as freed: they were already free).
// Aborts with the address on a cell that is neither object nor filler.
template <typename OnRun>
void SweepCellRange(char* begin, char* end, uint8_t live_epoch, bool poison, size_t link_bytes,
                    SweepStats* stats, OnRun&& on_run) {
  char* run = nullptr;
  auto close_run = [&](char* at) {
    if (run == nullptr) return;
    WriteFiller(run, static_cast<size_t>(at - run));
    on_run(run, static_cast<size_t>(at - run));
    run = nullptr;
  };
  const char* bad = WalkCellRange(begin, end, [&](char* p, ObjectHeader* h, size_t size) {
    const bool object = IsObject(h);
    if (object && h->mark.load(std::memory_order_relaxed) == live_epoch) {
      close_run(p);
      stats->live_objects++;
      stats->live_bytes += size;
      return;
    }
    if (object) {
      stats->freed_objects++;
      stats->freed_bytes += size;
    }
    if (run == nullptr) {
      run = p;
      // Keep the header position (rewritten at close); poison the rest.
      PoisonBytes(p + kHeaderSize,
                  object ? size - kHeaderSize : std::min(link_bytes, size - kHeaderSize), poison);
    } else {
      PoisonBytes(p, object ? size : std::min(kHeaderSize + link_bytes, size), poison);
    }
  });
  GCLAB_CHECK(bad == nullptr, "heap corruption: bad cell header at %p (size %u, magic 0x%x)",
              static_cast<const void*>(bad), bad == nullptr ? 0u : HeaderAt(bad)->size,
              bad == nullptr ? 0u : static_cast<unsigned>(HeaderAt(bad)->magic));
  close_run(end);
}

}  // namespace gclab

#endif  // GCLAB_ALLOCATORS_CELL_WALK_H_
