// The tri-color abstraction of Dijkstra et al. (1978), made explicit for the
// concurrent collector. gclab stores one mark epoch per object
// (object/object.h); the three colors are:
//
//   white  header.mark != epoch                     not (yet) known live
//   grey   header.mark == epoch, on a MarkWorklist  known live, fields unscanned
//   black  header.mark == epoch, off every worklist known live, fields scanned
//
// Grey and black share the mark byte; what separates them is membership in a
// worklist (the shared pool, a marker's Local, or a mutator's barrier
// buffer). ShadeGrey is the only white->grey transition; Blacken the only
// grey->black one. Objects allocated while marking carry the epoch from birth:
// they are black without ever having been grey ("allocate black"), which is
// sound because a fresh object holds no pointers the mutator did not already
// have. Stack-region objects are never colored; their fields are roots.
//
// Ordering note. ShadeGrey reads the mark byte (an atomic) before any other
// header field. A marker may reach an object allocated during this cycle by
// another thread through a relaxed pointer load, with no happens-before edge
// to the plain header writes of its initialization; such an object is
// already black, so the marker returns after the atomic read and never
// touches its plain fields. Objects allocated before the cycle were published
// to markers by the sweep-termination stop-the-world.
#ifndef GCLAB_COLLECTORS_CONCURRENT_TRICOLOR_H_
#define GCLAB_COLLECTORS_CONCURRENT_TRICOLOR_H_

#include <cstdint>

#include "collectors/common/mark_worklist.h"
#include "object/object.h"

namespace gclab {

inline bool IsWhite(const Object* obj, uint8_t epoch) { return !obj->IsMarked(epoch); }

// white -> grey: marks the object the slot word `word` keeps alive (see
// ObjectStart) and pushes it on `grey` if it is a white heap object. Returns
// true iff this call greyed it (the mark CAS makes that exactly one caller
// among concurrent markers and barriers).
inline bool ShadeGrey(Object* word, uint8_t epoch, MarkWorklist::Local& grey) {
  Object* obj = ObjectStart(word);
  if (obj == nullptr || obj->IsMarked(epoch)) return false;
  if (obj->is_stack_allocated()) return false;
  if (!obj->TryMark(epoch)) return false;
  grey.Push(obj);
  return true;
}

// grey -> black: shades every object `obj` points to. Returns the bytes of
// scan work done (the object's size), the unit the pacer and assists count.
inline uint64_t Blacken(Object* obj, uint8_t epoch, MarkWorklist::Local& grey) {
  obj->ForEachPointerSlot([&](Object** slot) { ShadeGrey(LoadPointer(slot), epoch, grey); });
  return obj->size();
}

// Blackens grey objects from `grey` (its local segments first, then the shared
// pool) until it is empty or `budget_bytes` of scan work were done (0: no
// budget). Adds to *bytes / *objects; returns true if `grey` ran dry.
inline bool DrainGrey(uint8_t epoch, MarkWorklist::Local& grey, uint64_t budget_bytes,
                      uint64_t* bytes, uint64_t* objects) {
  const uint64_t start = *bytes;
  Object* obj;
  while (grey.Pop(&obj)) {
    *bytes += Blacken(obj, epoch, grey);
    ++*objects;
    if (budget_bytes != 0 && *bytes - start >= budget_bytes) return false;
  }
  return true;
}

}  // namespace gclab

#endif  // GCLAB_COLLECTORS_CONCURRENT_TRICOLOR_H_
