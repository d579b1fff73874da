// Go maps on the managed heap: an open-addressing hash table (linear
// probing, one control byte per slot: empty, deleted, or full with 7 bits
// of the hash). The map header is an object of its own (heap or stack per
// its make/literal site, as Go places hmap); the entry array (keys and
// values, laid out per entry) and the control bytes are heap arrays the
// header points to. Iteration keeps the arrays it started with, so growth
// during a range loop neither repeats nor loses entries (a grown map is
// looked up again for each entry, as Go's iterator does).
#include <cstring>
#include <mutex>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/str_cat.h"
#include "goruntime/internal.h"
#include "goruntime/std.h"
#include "heap/handles.h"

namespace gort {

namespace {

struct HMap {
  int64_t count;
  int64_t cap;  // slots, a power of two; 0 before the first insertion
  int64_t tombstones;
  const Type* type;  // the map type
  Word entries;      // entry array (heap)
  Word ctrl;         // control bytes (heap)
  uint64_t seed;
};
static_assert(sizeof(HMap) == 56);

constexpr uint8_t kEmpty = 0;
constexpr uint8_t kDeleted = 1;
constexpr uint8_t kFull = 0x80;

constexpr uint32_t kHMapPtrs[] = {offsetof(HMap, entries), offsetof(HMap, ctrl)};

// The layout of one entry of a map type.
struct EntryLayout {
  uint32_t size;
  uint32_t value_offset;
  Type type;  // the entry as a runtime type (descriptors of the arrays)
  std::vector<uint32_t> ptrs;
};

std::mutex g_layout_mu;
absl::flat_hash_map<const Type*, EntryLayout*>& Layouts() {
  static auto* m = new absl::flat_hash_map<const Type*, EntryLayout*>;
  return *m;
}

const EntryLayout& LayoutOf(const Type* mt) {
  std::lock_guard<std::mutex> lock(g_layout_mu);
  EntryLayout*& l = Layouts()[mt];
  if (l != nullptr) return *l;
  l = new EntryLayout;
  const Type* k = mt->key;
  const Type* v = mt->elem;
  const uint32_t va = std::max<uint32_t>(v->align, 1);
  const uint32_t ka = std::max<uint32_t>(k->align, 1);
  l->value_offset = (k->size + va - 1) / va * va;
  const uint32_t a = std::max(ka, va);
  l->size = std::max<uint32_t>((l->value_offset + v->size + a - 1) / a * a, 1);
  for (int i = 0; i < k->nptrs; ++i) l->ptrs.push_back(k->ptrs[i]);
  for (int i = 0; i < v->nptrs; ++i) l->ptrs.push_back(l->value_offset + v->ptrs[i]);
  l->type = Type{};
  l->type.kind = Kind::kStruct;
  l->type.size = l->size;
  l->type.align = a;
  l->type.name = "map.entry";
  l->type.pkgpath = "";
  l->type.ptrs = l->ptrs.data();
  l->type.nptrs = static_cast<int32_t>(l->ptrs.size());
  InitType(&l->type);
  return *l;
}

inline HMap* H(Word m) { return reinterpret_cast<HMap*>(Addr(m)); }
inline uint8_t* Ctrl(const HMap* h) { return reinterpret_cast<uint8_t*>(Addr(h->ctrl)); }
inline char* Entry(const HMap* h, const EntryLayout& l, int64_t i) {
  return Addr(h->entries) + static_cast<size_t>(i) * l.size;
}

uint64_t Mix64(uint64_t x) {
  x ^= x >> 33;
  x *= 0xff51afd7ed558ccdULL;
  x ^= x >> 33;
  x *= 0xc4ceb9fe1a85ec53ULL;
  x ^= x >> 33;
  return x;
}

uint64_t Hash(G* g, const Type* kt, const void* k, uint64_t seed) {
  switch (kt->kind) {
    case Kind::kInt:
    case Kind::kInt64:
    case Kind::kUint:
    case Kind::kUint64:
    case Kind::kUintptr:
    case Kind::kPointer:
    case Kind::kChan: {
      uint64_t x;
      std::memcpy(&x, k, 8);
      return Mix64(x ^ seed);
    }
    case Kind::kInt32:
    case Kind::kUint32: {
      uint32_t x;
      std::memcpy(&x, k, 4);
      return Mix64(x ^ seed);
    }
    case Kind::kString: {
      const String& s = *static_cast<const String*>(k);
      return HashBytes(Data(s), static_cast<size_t>(s.len), seed);
    }
    default:
      return TypeHash(kt, k, seed, g);
  }
}

bool KeyEqual(G* g, const Type* kt, const void* a, const void* b) {
  switch (kt->kind) {
    case Kind::kInt:
    case Kind::kInt64:
    case Kind::kUint:
    case Kind::kUint64:
    case Kind::kUintptr:
    case Kind::kPointer:
    case Kind::kChan:
      return std::memcmp(a, b, 8) == 0;
    case Kind::kString:
      return StringEqual(*static_cast<const String*>(a), *static_cast<const String*>(b));
    default:
      return TypeEqual(kt, a, b, g);
  }
}

// The slot of key k, or -1.
int64_t Find(G* g, const HMap* h, const EntryLayout& l, const void* k, uint64_t hash) {
  if (h->cap == 0) return -1;
  const uint8_t* ctrl = Ctrl(h);
  const uint8_t tag = kFull | (hash >> 57);
  const int64_t mask = h->cap - 1;
  for (int64_t i = static_cast<int64_t>(hash) & mask;; i = (i + 1) & mask) {
    const uint8_t c = ctrl[i];
    if (c == kEmpty) return -1;
    if (c == tag && KeyEqual(g, h->type->key, Entry(h, l, i), k)) return i;
  }
}

// Copies a key or value with barriers for its pointer words.
void Put(G* g, const Type* t, char* dst, const void* src) {
  if (t->size == 0) return;
  TypedMove(g, t, dst, static_cast<const char*>(src), 1, nullptr);
}

// Clears a slot's pointer words through the barrier (a deletion: Yuasa's
// barrier must see the old values), then the rest.
void Clear(G* g, const EntryLayout& l, char* e) {
  for (uint32_t off : l.ptrs) StorePtr(g, reinterpret_cast<Word*>(e + off), 0, nullptr);
  for (size_t i = 0; i < l.size;) {
    bool is_ptr = false;
    for (uint32_t off : l.ptrs)
      if (i == off) is_ptr = true;
    if (is_ptr) {
      i += 8;
    } else {
      e[i++] = 0;
    }
  }
}

void Rehash(G* g, Word m, int64_t new_cap) {
  HMap* h = H(m);
  const EntryLayout& l = LayoutOf(h->type);
  gclab::HandleScope scope(g->m);
  gclab::Local entries(g->m, reinterpret_cast<Object*>(NewHeapArray(g, &l.type, new_cap)));
  Word ctrl = NewHeapBytes(g, new_cap);
  h = H(m);  // (never moves; re-read after the safepoints for clarity)
  const Word new_entries = reinterpret_cast<Word>(entries.get());
  uint8_t* nctrl = reinterpret_cast<uint8_t*>(Addr(ctrl));
  const int64_t mask = new_cap - 1;
  const uint8_t* octrl = h->cap > 0 ? Ctrl(h) : nullptr;
  for (int64_t i = 0; i < h->cap; ++i) {
    if (!(octrl[i] & kFull)) continue;
    const char* e = Entry(h, l, i);
    const uint64_t hash = Hash(g, h->type->key, e, h->seed);
    int64_t j = static_cast<int64_t>(hash) & mask;
    while (nctrl[j] != kEmpty) j = (j + 1) & mask;
    nctrl[j] = kFull | (hash >> 57);
    TypedMove(g, &l.type, Addr(new_entries) + static_cast<size_t>(j) * l.size, e, 1, nullptr);
  }
  StorePtr(g, &h->entries, new_entries, nullptr);
  StorePtr(g, &h->ctrl, ctrl, nullptr);
  h->cap = new_cap;
  h->tombstones = 0;
}

char g_zero_value[4096];

}  // namespace

Type kTypeHMap = [] {
  Type t{};
  t.kind = Kind::kStruct;
  t.size = sizeof(HMap);
  t.align = 8;
  t.name = "runtime.hmap";
  t.pkgpath = "runtime";
  t.ptrs = kHMapPtrs;
  t.nptrs = 2;
  return t;
}();

Word MakeMap(G* g, Site* site, const Type* map_type, int64_t hint) {
  InitType(&kTypeHMap);
  Word m = New(g, site);
  HMap* h = H(m);
  h->type = map_type;
  static std::atomic<uint64_t> seeds{0x243F6A8885A308D3ULL};
  h->seed = Mix64(seeds.fetch_add(0x9E3779B97F4A7C15ULL));
  if (hint > 0) {
    int64_t cap = 8;
    while (cap * 3 < hint * 4) cap *= 2;
    gclab::HandleScope scope(g->m);
    gclab::Local root(g->m, reinterpret_cast<Object*>(m));
    Rehash(g, m, cap);
  }
  return m;
}

const void* MapAccess(G* g, Word m, const void* k, bool* ok) {
  if (m != 0) {
    const HMap* h = H(m);
    if (h->count > 0) {
      const EntryLayout& l = LayoutOf(h->type);
      const int64_t i = Find(g, h, l, k, Hash(g, h->type->key, k, h->seed));
      if (i >= 0) {
        if (ok != nullptr) *ok = true;
        return Entry(h, l, i) + l.value_offset;
      }
    } else if (h->type->key->kind == Kind::kInterface) {
      // Go hashes the key even for an empty map: unhashable keys panic.
      Hash(g, h->type->key, k, 0);
    }
  }
  if (ok != nullptr) *ok = false;
  return g_zero_value;
}

void MapAssign(G* g, Word m, const void* k, const void* v) {
  if (m == 0) PanicPlain(g, "assignment to entry in nil map", nullptr);
  HMap* h = H(m);
  const EntryLayout& l = LayoutOf(h->type);
  uint64_t hash = Hash(g, h->type->key, k, h->seed);
  int64_t i = Find(g, h, l, k, hash);
  if (i >= 0) {
    Put(g, h->type->elem, Entry(h, l, i) + l.value_offset, v);
    return;
  }
  if (h->cap == 0 || (h->count + h->tombstones + 1) * 4 > h->cap * 3) {
    gclab::HandleScope scope(g->m);
    gclab::Local root(g->m, reinterpret_cast<Object*>(m));
    const int64_t cap = h->cap == 0 ? 8 : ((h->count + 1) * 2 > h->cap ? h->cap * 2 : h->cap);
    Rehash(g, m, cap);
    h = H(m);
  }
  uint8_t* ctrl = Ctrl(h);
  const int64_t mask = h->cap - 1;
  int64_t j = static_cast<int64_t>(hash) & mask;
  while (ctrl[j] & kFull) j = (j + 1) & mask;
  if (ctrl[j] == kDeleted) --h->tombstones;
  ctrl[j] = kFull | (hash >> 57);
  char* e = Entry(h, l, j);
  Put(g, h->type->key, e, k);
  Put(g, h->type->elem, e + l.value_offset, v);
  ++h->count;
}

void MapDelete(G* g, Word m, const void* k) {
  if (m == 0) return;
  HMap* h = H(m);
  if (h->count == 0) return;
  const EntryLayout& l = LayoutOf(h->type);
  const int64_t i = Find(g, h, l, k, Hash(g, h->type->key, k, h->seed));
  if (i < 0) return;
  Clear(g, l, Entry(h, l, i));
  Ctrl(h)[i] = kDeleted;
  --h->count;
  ++h->tombstones;
}

int64_t MapLen(Word m) { return m == 0 ? 0 : H(m)->count; }

void MapIterInit(G* g, MapIter* it, Word m) {
  *it = MapIter{};
  it->map = m;
  if (m == 0) return;
  const HMap* h = H(m);
  it->entries = h->entries;
  it->ctrl = h->ctrl;
  it->cap = h->cap;
}

bool MapIterNext(G* g, MapIter* it) {
  if (it->map == 0) return false;
  const HMap* h = H(it->map);
  const EntryLayout& l = LayoutOf(h->type);
  const uint8_t* ctrl = reinterpret_cast<const uint8_t*>(Addr(it->ctrl));
  for (++it->index; it->index < it->cap; ++it->index) {
    if (!(ctrl[it->index] & kFull)) continue;
    const char* e = Addr(it->entries) + static_cast<size_t>(it->index) * l.size;
    if (h->entries == it->entries) {
      it->key = e;
      it->value = e + l.value_offset;
      return true;
    }
    // The map grew: the entry counts if its key is still there.
    const int64_t j = Find(g, h, l, e, Hash(g, h->type->key, e, h->seed));
    if (j < 0) continue;
    const char* cur = Entry(h, l, j);
    it->key = cur;
    it->value = cur + l.value_offset;
    return true;
  }
  return false;
}

}  // namespace gort
