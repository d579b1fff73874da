// Allocation by site decision, pointer stores, and the escape soundness
// checks (docs/GOCOMPILE.md, "Checking the analysis by execution").
#include <algorithm>
#include <cstdio>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "goruntime/internal.h"

namespace gort {

uint8_t g_mode_bit = 1 << kGoEscape;
bool g_checks = false;
Word g_zerobase = 0;

namespace {

// Stack descriptors of sites, for naming the site of a stack object.
absl::flat_hash_map<const gclab::TypeDescriptor*, const Site*>& SiteOfDescriptor() {
  static auto* m = new absl::flat_hash_map<const gclab::TypeDescriptor*, const Site*>;
  return *m;
}

Word Finish(Object* o) {
  if (o->size() >= gclab::kMaxTaggedDistance) gclab::RegisterLargeObject(o);
  return PayloadWord(o);
}

[[noreturn]] void OutOfMemory(G* g, uint64_t bytes) {
  // Go's words (mheap.grow, then mcache's throw); "in use" is the heap limit.
  const std::string line =
      absl::StrCat("runtime: out of memory: cannot allocate ", bytes, "-byte block (",
                   g->heap->config().heap_limit_bytes, " in use)\n");
  WriteStderr(line.data(), line.size());
  Throw(g, "out of memory");
}

}  // namespace

void InitSite(Site* s) {
  if (s->type == nullptr || s->stack_desc != nullptr) return;
  const Type* t = s->type;
  std::string name = absl::StrCat("stack object of ", s->pos, " ", s->what);
  std::vector<uint32_t> ptrs(t->ptrs, t->ptrs + t->nptrs);
  s->stack_desc = gclab::MakeRecordTypeWithOffsets(name, t->size, ptrs);
  if (t->size > 0) {
    s->stack_adesc = ptrs.empty() ? gclab::MakeDataArrayType(name + " (array)", t->size)
                                  : gclab::MakeRecordArrayType(name + " (array)", t->size, ptrs);
  }
  SiteOfDescriptor()[s->stack_desc] = s;
  if (s->stack_adesc != nullptr) SiteOfDescriptor()[s->stack_adesc] = s;
}

Word NewHeap(G* g, const Type* t) {
  if (t->size == 0) return g_zerobase;
  Object* o = g->m->TryAllocate(t->desc, 0);
  if (GORT_UNLIKELY(o == nullptr)) OutOfMemory(g, t->size);
  return Finish(o);
}

Word NewStack(G* g, Site* s) {
  if (s->type->size == 0) return g_zerobase;
  Object* o = g->m->StackAllocate(s->stack_desc, 0);
  if (GORT_UNLIKELY(o == nullptr)) StackOverflow(g);
  return Finish(o);
}

Word NewArray(G* g, Site* s, int64_t n) {
  const Type* t = s->type;
  if (t->size == 0 || n == 0) return g_zerobase;
  Object* o;
  if (OnStack(s)) {
    o = g->m->StackAllocate(s->stack_adesc, static_cast<size_t>(n));
    if (GORT_UNLIKELY(o == nullptr)) StackOverflow(g);
  } else {
    o = g->m->TryAllocate(t->adesc, static_cast<size_t>(n));
    if (GORT_UNLIKELY(o == nullptr)) OutOfMemory(g, t->size * n);
  }
  return Finish(o);
}

Word NewHeapArray(G* g, const Type* t, int64_t n) {
  if (t->size == 0 || n == 0) return g_zerobase;
  Object* o = g->m->TryAllocate(t->adesc, static_cast<size_t>(n));
  if (GORT_UNLIKELY(o == nullptr)) OutOfMemory(g, t->size * n);
  return Finish(o);
}

Word NewHeapBytes(G* g, int64_t n) { return NewHeapArray(g, ByteType(), n); }

Slice MakeSlice(G* g, Site* s, int64_t len, int64_t cap, const Pos* pos) {
  // Go's maxAlloc: larger requests panic; what fits in Go's address space
  // but not in a gclab cell (4 GiB) is out of memory.
  constexpr uint64_t kMaxAlloc = uint64_t{1} << 48;
  const uint64_t elem = s->type->size;
  const uint64_t max = elem == 0 ? kMaxAlloc : kMaxAlloc / elem;
  if (len < 0 || static_cast<uint64_t>(len) > max)
    PanicString(g, "makeslice: len out of range", pos);
  if (cap < len || static_cast<uint64_t>(cap) > max)
    PanicString(g, "makeslice: cap out of range", pos);
  if (elem * static_cast<uint64_t>(cap) > kMaxCellBytes)
    OutOfMemory(g, elem * static_cast<uint64_t>(cap));
  return Slice{NewArray(g, s, cap), len, cap};
}

// ---------------------------------------------------------------- stores

void StorePtrSlow(G* g, Word* slot, Word v, const Pos* pos) {
  if (g_checks) CheckStore(g, slot, v, pos);
  if (g->heap->write_barrier_enabled() && !g->region->Contains(slot)) {
    // A heap (or global) slot: the collector's barrier performs the store.
    // Stores into this goroutine's stack objects are never barriered (Go's
    // stack writes; the collector scans stacks as roots).
    g->heap->collector()->WriteBarrierSlow(g->m, nullptr, reinterpret_cast<Object**>(slot),
                                           reinterpret_cast<Object*>(v));
    return;
  }
  __atomic_store_n(slot, v, __ATOMIC_RELEASE);
}

// ---------------------------------------------------------------- escape checks

namespace {

size_t Offset(G* g, const void* p) { return static_cast<const char*>(p) - g->region_base; }

bool InOwnRegionMemory(G* g, const void* p) {
  const char* c = static_cast<const char*>(p);
  return c >= g->region_base && c < g->region_base + g->region->capacity();
}

// The memory reserved for each live goroutine's stack region. Its bounds
// never change while the goroutine lives, so other goroutines may test
// against them (the region's top belongs to its own thread only).
std::mutex g_regions_mu;
std::vector<std::pair<const char*, const char*>>& Regions() {
  static auto* v = new std::vector<std::pair<const char*, const char*>>;
  return *v;
}

// Whether `p` is in the region memory of some live goroutine (a live stack
// object, or one already popped: storing either is unsound).
bool InAnyRegionMemory(const void* p) {
  const char* c = static_cast<const char*>(p);
  std::lock_guard<std::mutex> lock(g_regions_mu);
  for (const auto& [lo, hi] : Regions())
    if (c >= lo && c < hi) return true;
  return false;
}

std::string DescribeStackObject(Object* o) {
  auto& sites = SiteOfDescriptor();
  auto it = sites.find(o->type());
  if (it != sites.end()) return absl::StrCat(it->second->what, " allocated at ", it->second->pos);
  return absl::StrCat("'", o->type()->name, "'");
}

std::string DescribePos(const Pos* pos) {
  if (pos == nullptr) return "?";
  return absl::StrCat(pos->file, ":", pos->line, ":", pos->col, " (", pos->func, ")");
}

[[noreturn]] void Unsound(G* g, const std::string& what) {
  std::string msg =
      absl::StrCat("gclab: escape check: ", what, " [--escape=", EscapeModeName(), "]\n");
  WriteStderr(msg.data(), msg.size());
  Throw(g, "unsound escape decision");
}

// The popped stack object a dangling pointer `v` refers to.
std::string DescribePopped(G* g, Word v) {
  const char* start =
      reinterpret_cast<const char*>(gclab::ObjectStart(reinterpret_cast<Object*>(v)));
  auto it = g->popped.find(start);
  if (it == g->popped.end()) return "a popped stack object";
  auto& sites = SiteOfDescriptor();
  auto site = sites.find(it->second);
  if (site != sites.end())
    return absl::StrCat("stack object ", site->second->what, " allocated at ", site->second->pos);
  return absl::StrCat("stack object '", it->second->name, "'");
}

// The region object that contains `p` (a slot address), or null.
Object* RegionObjectAt(G* g, const void* p) {
  Object* found = nullptr;
  g->region->ForEachObject([&](Object* o) {
    const char* c = reinterpret_cast<const char*>(o);
    if (p >= c && p < c + o->size()) found = o;
  });
  return found;
}

}  // namespace

void RegisterRegion(G* g) {
  std::lock_guard<std::mutex> lock(g_regions_mu);
  Regions().emplace_back(g->region_base, g->region_base + g->region->capacity());
}

void UnregisterRegion(G* g) {
  std::lock_guard<std::mutex> lock(g_regions_mu);
  auto& v = Regions();
  for (size_t i = 0; i < v.size(); ++i) {
    if (v[i].first == g->region_base) {
      v[i] = v.back();
      v.pop_back();
      return;
    }
  }
}

void CheckStore(G* g, Word* slot, Word v, const Pos* pos) {
  if (v == 0) return;
  const char* a = Addr(v);
  const bool own = InOwnRegionMemory(g, a);
  if (!own && !InAnyRegionMemory(a)) return;  // a heap value
  if (own && !g->region->Contains(a)) {
    Unsound(g,
            absl::StrCat(DescribePopped(g, v), " outlived its frame: a pointer to it is stored at ",
                         DescribePos(pos)));
  }
  Object* target = gclab::ObjectStart(reinterpret_cast<Object*>(v));
  if (!own || !g->region->Contains(slot)) {
    Unsound(g, absl::StrCat("stack object ", DescribeStackObject(target),
                            own ? " is stored into the heap or a global at "
                                : " of another goroutine is stored at ",
                            DescribePos(pos)));
  }
  // Stack to stack: the value must not live in a scope that ends before the
  // holder's.
  const size_t so = Offset(g, slot), vo = Offset(g, a);
  auto it = std::upper_bound(g->scopes.begin(), g->scopes.end(), so);
  if (it != g->scopes.end() && *it <= vo) {
    Object* holder = RegionObjectAt(g, slot);
    Unsound(g, absl::StrCat("stack object ", DescribeStackObject(target), " is stored at ",
                            DescribePos(pos), " into ",
                            holder ? DescribeStackObject(holder) : std::string("a stack slot"),
                            ", which outlives it"));
  }
}

void CheckFrameValue(G* g, Word v, const Pos* pos) {
  if (v == 0) return;
  const char* a = Addr(v);
  if (InOwnRegionMemory(g, a) && !g->region->Contains(a)) {
    Unsound(g, absl::StrCat(DescribePopped(g, v),
                            " outlived its frame: a pointer to it is used at ", DescribePos(pos)));
  }
}

void PushScopeChecked(G* g, size_t start) { g->scopes.push_back(start); }

void PopScopeChecked(G* g, size_t start, size_t end, const char* what) {
  while (!g->scopes.empty() && g->scopes.back() >= start) g->scopes.pop_back();
  if (end <= start) return;
  // Nothing that stays alive may point into [start, end).
  const char* lo = g->region_base + start;
  const char* hi = g->region_base + end;
  g->region->ForEachObject([&](Object* holder) {
    if (reinterpret_cast<const char*>(holder) >= lo) return;
    holder->ForEachPointerSlot([&](Object** slot) {
      const char* a = Addr(reinterpret_cast<Word>(*slot));
      if (a < lo || a >= hi) return;
      Object* target = gclab::ObjectStart(*slot);
      Unsound(g, absl::StrCat("stack object ", DescribeStackObject(target), " outlived its ", what,
                              ": still referenced from ", DescribeStackObject(holder)));
    });
  });
  // Remember what was popped, for pointers that escape the scan above (a
  // result still in a register).
  g->popped.erase(g->popped.lower_bound(lo), g->popped.lower_bound(hi));
  for (const char* p = lo; p < hi;) {
    const Object* o = reinterpret_cast<const Object*>(p);
    g->popped.emplace(p, o->type());
    p += o->size();
  }
}

}  // namespace gort
