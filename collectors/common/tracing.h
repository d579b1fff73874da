// Tracing helpers shared by every marking collector.
//
// Tri-color in gclab's terms (object/object.h explains mark epochs):
//   white  header.mark != epoch
//   grey   header.mark == epoch and the object is on a MarkWorklist
//   black  header.mark == epoch and its fields have been scanned
// Stack-region objects are never colored: their fields are roots.
//
// Greying is a CAS on the mark byte (Object::TryMark), so several markers and
// write barriers may shade concurrently and each object is pushed once.
#ifndef GCLAB_COLLECTORS_COMMON_TRACING_H_
#define GCLAB_COLLECTORS_COMMON_TRACING_H_

#include <cstdint>

#include "collectors/common/mark_worklist.h"
#include "object/object.h"

namespace gclab {

struct MarkCounters {
  uint64_t objects = 0;  // objects blackened (scanned)
  uint64_t bytes = 0;    // bytes of those objects
  uint64_t roots = 0;    // root slots visited
};

// Shades the object that the slot word `word` keeps alive (an object
// address or an interior pointer, see ObjectStart) grey if it is a white heap
// object. Returns true if this call greyed it.
inline bool Shade(Object* word, uint8_t epoch, MarkWorklist::Local& worklist) {
  Object* obj = ObjectStart(word);
  if (obj == nullptr || obj->is_stack_allocated()) return false;
  if (!obj->TryMark(epoch)) return false;
  worklist.Push(obj);
  return true;
}

// Blackens a grey object: shades everything it points to.
inline void ScanObject(Object* obj, uint8_t epoch, MarkWorklist::Local& worklist,
                       MarkCounters& counters) {
  obj->ForEachPointerSlot([&](Object** slot) { Shade(LoadPointer(slot), epoch, worklist); });
  ++counters.objects;
  counters.bytes += obj->size();
}

// Scans grey objects until the local and shared worklists are empty, or until
// `byte_budget` bytes were scanned (0 = no budget). Returns true if drained.
inline bool Drain(uint8_t epoch, MarkWorklist::Local& worklist, MarkCounters& counters,
                  uint64_t byte_budget = 0) {
  const uint64_t start = counters.bytes;
  Object* obj;
  while (worklist.Pop(&obj)) {
    ScanObject(obj, epoch, worklist, counters);
    if (byte_budget != 0 && counters.bytes - start >= byte_budget) return false;
  }
  return true;
}

}  // namespace gclab

#endif  // GCLAB_COLLECTORS_COMMON_TRACING_H_
