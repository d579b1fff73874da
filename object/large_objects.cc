// The registry behind FindLargeObject (object/object.h): interior pointers
// whose distance from their object's start does not fit in a tag are
// resolved by an interval lookup over the objects registered as large.
//
// Entries never overlap: registering an object forgets every entry that
// overlaps it, because overlapping memory can only be reused after the
// earlier object died. An entry of a dead object whose memory went to small
// objects stays until something large reuses the range; it is harmless,
// because only words of live slots are looked up and those point into live
// registered objects.
#include <map>
#include <mutex>
#include <shared_mutex>

#include "object/object.h"

namespace gclab {
namespace {

struct LargeObjects {
  std::shared_mutex mu;
  std::map<uintptr_t, uintptr_t> ranges;  // start -> end (inclusive end: one past the cell)
};

LargeObjects& Registry() {
  static LargeObjects* r = new LargeObjects;
  return *r;
}

}  // namespace

void RegisterLargeObject(const Object* obj) {
  const uintptr_t start = reinterpret_cast<uintptr_t>(obj);
  const uintptr_t end = start + obj->size();
  LargeObjects& r = Registry();
  std::unique_lock<std::shared_mutex> lock(r.mu);
  auto it = r.ranges.upper_bound(start);
  if (it != r.ranges.begin() && std::prev(it)->second >= start) --it;
  while (it != r.ranges.end() && it->first <= end) it = r.ranges.erase(it);
  r.ranges.emplace(start, end);
}

Object* FindLargeObject(uintptr_t address) {
  LargeObjects& r = Registry();
  std::shared_lock<std::shared_mutex> lock(r.mu);
  auto it = r.ranges.upper_bound(address);
  if (it == r.ranges.begin()) return nullptr;
  --it;
  if (address > it->second) return nullptr;
  return reinterpret_cast<Object*>(it->first);
}

}  // namespace gclab
