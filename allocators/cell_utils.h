// Cell helpers shared by the allocators: filler headers over free memory,
// poisoning of freed bytes, poison checks, and the address-ordered coalescing
// walk used by the bump and free-list sweepers.
//
// A *filler* is a free run disguised as a cell: an ObjectHeader with
// magic == kFreeMagic, type == nullptr, mark == 0 and `size` covering the
// whole run, so a unit (region, arena) stays parseable cell by cell. With
// poisoning on, every byte of a filler after its header (and after an
// optional link word, see SweepCellRange) holds kPoisonByte.
#ifndef GCLAB_ALLOCATORS_CELL_UTILS_H_
#define GCLAB_ALLOCATORS_CELL_UTILS_H_

#include <algorithm>
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
  for (char* p = begin; p < end;) {
    ObjectHeader* h = HeaderAt(p);
    const size_t size = h->size;
    GCLAB_CHECK(size >= kHeaderSize && size % kObjectAlignment == 0 &&
                    size <= static_cast<size_t>(end - p) && (IsObject(h) || IsFiller(h)),
                "heap corruption: bad cell header at %p (size %zu, magic 0x%x)",
                static_cast<void*>(p), size, static_cast<unsigned>(h->magic));
    if (IsObject(h) && h->mark.load(std::memory_order_relaxed) == live_epoch) {
      close_run(p);
      stats->live_objects++;
      stats->live_bytes += size;
    } else {
      const bool object = IsObject(h);
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
    }
    p += size;
  }
  close_run(end);
}

}  // namespace gclab

#endif  // GCLAB_ALLOCATORS_CELL_UTILS_H_
