// Runtime type information: descriptors, equality and hashing of dynamic
// values, itabs, interface boxing.
#include "goruntime/types.h"

#include <cstring>
#include <mutex>
#include <string>
#include <utility>

#include "absl/container/flat_hash_map.h"
#include "absl/hash/hash.h"
#include "absl/strings/str_cat.h"
#include "goruntime/internal.h"

namespace gort {

namespace {

constexpr uint32_t kPtr0[] = {0};
constexpr uint32_t kPtr8[] = {8};

constexpr Type Basic(Kind k, uint32_t size, const char* name) {
  Type t{};
  t.kind = k;
  t.comparable = true;
  t.size = size;
  t.align = size;
  t.name = name;
  t.pkgpath = "";
  return t;
}

const MethodInfo kErrorMethods[] = {{"Error", &kTypeFuncString, nullptr}};
const Type* const kStringOut[] = {&kTypeString};

}  // namespace

Type kTypeBool = Basic(Kind::kBool, 1, "bool");
Type kTypeInt = Basic(Kind::kInt, 8, "int");
Type kTypeInt8 = Basic(Kind::kInt8, 1, "int8");
Type kTypeInt16 = Basic(Kind::kInt16, 2, "int16");
Type kTypeInt32 = Basic(Kind::kInt32, 4, "int32");
Type kTypeInt64 = Basic(Kind::kInt64, 8, "int64");
Type kTypeUint = Basic(Kind::kUint, 8, "uint");
Type kTypeUint8 = Basic(Kind::kUint8, 1, "uint8");
Type kTypeUint16 = Basic(Kind::kUint16, 2, "uint16");
Type kTypeUint32 = Basic(Kind::kUint32, 4, "uint32");
Type kTypeUint64 = Basic(Kind::kUint64, 8, "uint64");
Type kTypeUintptr = Basic(Kind::kUintptr, 8, "uintptr");
Type kTypeFloat32 = Basic(Kind::kFloat32, 4, "float32");
Type kTypeFloat64 = Basic(Kind::kFloat64, 8, "float64");
Type kTypeString = [] {
  Type t = Basic(Kind::kString, 16, "string");
  t.align = 8;
  t.ptrs = kPtr0;
  t.nptrs = 1;
  return t;
}();
Type kTypeEmptyInterface = [] {
  Type t = Basic(Kind::kInterface, 16, "interface {}");
  t.align = 8;
  t.ptrs = kPtr8;
  t.nptrs = 1;
  return t;
}();
Type kTypeError = [] {
  Type t = Basic(Kind::kInterface, 16, "error");
  t.align = 8;
  t.named = true;
  t.ptrs = kPtr8;
  t.nptrs = 1;
  t.methods = kErrorMethods;
  t.nmethods = 1;
  return t;
}();
Type kTypeFuncString = [] {
  Type t = Basic(Kind::kFunc, 8, "func() string");
  t.comparable = false;
  t.direct_iface = true;
  t.ptrs = kPtr0;
  t.nptrs = 1;
  t.out = kStringOut;
  t.nout = 1;
  return t;
}();

namespace {
Type SliceOf(Type* elem, const char* name) {
  Type t = Basic(Kind::kSlice, 24, name);
  t.align = 8;
  t.comparable = false;
  t.elem = elem;
  t.ptrs = kPtr0;
  t.nptrs = 1;
  return t;
}
}  // namespace

Type kTypeByteSlice = SliceOf(&kTypeUint8, "[]uint8");
Type kTypeRuneSlice = SliceOf(&kTypeInt32, "[]int32");
Type kTypeStringSlice = SliceOf(&kTypeString, "[]string");
Type kTypeEFaceSlice = SliceOf(&kTypeEmptyInterface, "[]interface {}");

void InitType(Type* t) {
  if (t->desc != nullptr) return;
  std::vector<uint32_t> ptrs(t->ptrs, t->ptrs + t->nptrs);
  t->desc = gclab::MakeRecordTypeWithOffsets(t->name, t->size, ptrs);
  if (t->size == 0) return;
  if (ptrs.empty()) {
    t->adesc = gclab::MakeDataArrayType(absl::StrCat("[]", t->name), t->size);
  } else if (t->size == 8) {
    t->adesc = gclab::MakePointerArrayType(absl::StrCat("[]", t->name));
  } else {
    t->adesc = gclab::MakeRecordArrayType(absl::StrCat("[]", t->name), t->size, ptrs);
  }
}

void InitRuntimeTypes() {
  for (Type* t :
       {&kTypeBool,           &kTypeInt,       &kTypeInt8,       &kTypeInt16,     &kTypeInt32,
        &kTypeInt64,          &kTypeUint,      &kTypeUint8,      &kTypeUint16,    &kTypeUint32,
        &kTypeUint64,         &kTypeUintptr,   &kTypeFloat32,    &kTypeFloat64,   &kTypeString,
        &kTypeEmptyInterface, &kTypeError,     &kTypeFuncString, &kTypeByteSlice, &kTypeRuneSlice,
        &kTypeStringSlice,    &kTypeEFaceSlice}) {
    InitType(t);
  }
}

// ---------------------------------------------------------------- equality, hash

namespace {

[[noreturn]] void Uncomparable(G* g, const Type* t) {
  PanicString(g, absl::StrCat("comparing uncomparable type ", t->name).c_str(), nullptr);
}

[[noreturn]] void Unhashable(G* g, const Type* t) {
  PanicString(g, absl::StrCat("hash of unhashable type ", t->name).c_str(), nullptr);
}

uint64_t Mix(uint64_t h) {
  h ^= h >> 33;
  h *= 0xff51afd7ed558ccdULL;
  h ^= h >> 33;
  h *= 0xc4ceb9fe1a85ec53ULL;
  h ^= h >> 33;
  return h;
}

}  // namespace

uint64_t HashBytes(const void* p, size_t n, uint64_t seed) {
  const unsigned char* b = static_cast<const unsigned char*>(p);
  uint64_t h = seed ^ (n * 0x9E3779B97F4A7C15ULL);
  while (n >= 8) {
    uint64_t w;
    std::memcpy(&w, b, 8);
    h = Mix(h ^ w) * 0x9E3779B97F4A7C15ULL;
    b += 8;
    n -= 8;
  }
  uint64_t w = 0;
  std::memcpy(&w, b, n);
  return Mix(h ^ w ^ (n << 56));
}

bool TypeEqual(const Type* t, const void* a, const void* b, G* g) {
  switch (t->kind) {
    case Kind::kFloat32:
      return *static_cast<const float*>(a) == *static_cast<const float*>(b);
    case Kind::kFloat64:
      return *static_cast<const double*>(a) == *static_cast<const double*>(b);
    case Kind::kString:
      return StringEqual(*static_cast<const String*>(a), *static_cast<const String*>(b));
    case Kind::kInterface:
      if (t->nmethods == 0)
        return EFaceEqual(g, *static_cast<const EFace*>(a), *static_cast<const EFace*>(b));
      return IFaceEqual(g, *static_cast<const IFace*>(a), *static_cast<const IFace*>(b));
    case Kind::kArray:
      for (int64_t i = 0; i < t->len; ++i) {
        const size_t off = static_cast<size_t>(i) * t->elem->size;
        if (!TypeEqual(t->elem, static_cast<const char*>(a) + off,
                       static_cast<const char*>(b) + off, g))
          return false;
      }
      return true;
    case Kind::kStruct:
      for (int i = 0; i < t->nfields; ++i) {
        const FieldInfo& f = t->fields[i];
        if (std::strcmp(f.name, "_") == 0) continue;
        if (!TypeEqual(f.type, static_cast<const char*>(a) + f.offset,
                       static_cast<const char*>(b) + f.offset, g))
          return false;
      }
      return true;
    case Kind::kSlice:
    case Kind::kMap:
    case Kind::kFunc:
      Uncomparable(g, t);
    default:
      return std::memcmp(a, b, t->size) == 0;
  }
}

uint64_t TypeHash(const Type* t, const void* v, uint64_t seed, G* g) {
  switch (t->kind) {
    case Kind::kFloat32: {
      float f = *static_cast<const float*>(v);
      if (f == 0) return Mix(seed ^ 0x1234);
      if (f != f) return Mix(seed ^ reinterpret_cast<uintptr_t>(v) ^ 0x5555);  // NaN: any
      return HashBytes(&f, 4, seed);
    }
    case Kind::kFloat64: {
      double f = *static_cast<const double*>(v);
      if (f == 0) return Mix(seed ^ 0x1234);
      if (f != f) return Mix(seed ^ reinterpret_cast<uintptr_t>(v) ^ 0x5555);
      return HashBytes(&f, 8, seed);
    }
    case Kind::kString: {
      const String& s = *static_cast<const String*>(v);
      return HashBytes(Data(s), static_cast<size_t>(s.len), seed);
    }
    case Kind::kInterface: {
      EFace e =
          t->nmethods == 0 ? *static_cast<const EFace*>(v) : ToEFace(*static_cast<const IFace*>(v));
      if (e.type == nullptr) return Mix(seed);
      if (!e.type->comparable) Unhashable(g, e.type);
      return TypeHash(e.type, EFaceValue(e), seed ^ reinterpret_cast<uintptr_t>(e.type), g);
    }
    case Kind::kArray: {
      uint64_t h = seed;
      for (int64_t i = 0; i < t->len; ++i)
        h = TypeHash(t->elem, static_cast<const char*>(v) + i * t->elem->size, h, g);
      return h;
    }
    case Kind::kStruct: {
      uint64_t h = seed;
      for (int i = 0; i < t->nfields; ++i) {
        const FieldInfo& f = t->fields[i];
        if (std::strcmp(f.name, "_") == 0) continue;
        h = TypeHash(f.type, static_cast<const char*>(v) + f.offset, h, g);
      }
      return h;
    }
    case Kind::kSlice:
    case Kind::kMap:
    case Kind::kFunc:
      Unhashable(g, t);
    default:
      return HashBytes(v, t->size, seed);
  }
}

bool EFaceEqual(G* g, EFace a, EFace b) {
  if (a.type != b.type) return false;
  if (a.type == nullptr) return true;
  if (!a.type->comparable) Uncomparable(g, a.type);
  if (a.type->direct_iface) return a.data == b.data;
  return TypeEqual(a.type, Addr(a.data), Addr(b.data), g);
}

// ---------------------------------------------------------------- itabs

namespace {

struct ItabCache {
  std::mutex mu;
  absl::flat_hash_map<std::pair<const Type*, const Type*>, const Itab*> map;
};

ItabCache& Itabs() {
  static auto* c = new ItabCache;
  return *c;
}

const MethodInfo* FindMethod(const Type* t, const char* name) {
  int lo = 0, hi = t->nmethods;
  while (lo < hi) {
    int mid = (lo + hi) / 2;
    int c = std::strcmp(t->methods[mid].name, name);
    if (c == 0) return &t->methods[mid];
    if (c < 0)
      lo = mid + 1;
    else
      hi = mid;
  }
  return nullptr;
}

bool SameSig(const Type* a, const Type* b) {
  return a == b || (a != nullptr && b != nullptr && std::strcmp(a->name, b->name) == 0);
}

// The first method of iface that t lacks, or null.
const MethodInfo* Missing(const Type* iface, const Type* t) {
  for (int i = 0; i < iface->nmethods; ++i) {
    const MethodInfo& im = iface->methods[i];
    const MethodInfo* m = FindMethod(t, im.name);
    if (m == nullptr || !SameSig(m->sig, im.sig) || m->fn == nullptr) return &im;
  }
  return nullptr;
}

}  // namespace

const Itab* FindItab(const Type* iface, const Type* t) {
  ItabCache& c = Itabs();
  std::lock_guard<std::mutex> lock(c.mu);
  auto [it, inserted] = c.map.try_emplace({iface, t}, nullptr);
  if (!inserted) return it->second;
  if (Missing(iface, t) != nullptr) return nullptr;
  const size_t n = iface->nmethods > 0 ? iface->nmethods : 1;
  auto* tab = static_cast<Itab*>(std::calloc(1, sizeof(Itab) + sizeof(void*) * (n - 1)));
  tab->iface = iface;
  tab->type = t;
  for (int i = 0; i < iface->nmethods; ++i) tab->fun[i] = FindMethod(t, iface->methods[i].name)->fn;
  it->second = tab;
  return tab;
}

IFace AssertIFace(G* g, EFace x, const Type* iface, bool* ok, const Pos* pos) {
  if (x.type != nullptr) {
    if (const Itab* tab = FindItab(iface, x.type)) {
      if (ok != nullptr) *ok = true;
      return IFace{tab, x.data};
    }
  }
  if (ok != nullptr) {
    *ok = false;
    return IFace{};
  }
  if (x.type == nullptr) PanicAssert(g, nullptr, iface, nullptr, pos);
  const MethodInfo* m = Missing(iface, x.type);
  PanicString(g,
              absl::StrCat("interface conversion: ", x.type->name, " is not ", iface->name,
                           ": missing method ", m->name)
                  .c_str(),
              pos);
}

StringMethod FindStringMethod(const Type* t, const char* name) {
  if (t == nullptr) return nullptr;
  const MethodInfo* m = FindMethod(t, name);
  if (m == nullptr || m->fn == nullptr || !SameSig(m->sig, &kTypeFuncString)) return nullptr;
  return reinterpret_cast<StringMethod>(m->fn);
}

// ---------------------------------------------------------------- boxing

Word g_static_small = 0;  // 256 uint64 values 0..255 (Go's staticuint64s)

Word StaticBox(const Type* t, const void* v) {
  if (t->nptrs != 0) {
    // "" and nil slices box to a zero value (Go's zeroVal).
    if ((t->kind == Kind::kString || t->kind == Kind::kSlice) && t->size <= 24) {
      static const char kZero[24] = {};
      if (std::memcmp(v, kZero, t->size) == 0) return g_zerobase;
    }
    return 0;
  }
  if (t->size == 0) return g_zerobase;
  if (t->size > 8 || g_static_small == 0) return 0;
  uint64_t x = 0;
  std::memcpy(&x, v, t->size);
  if (x >= 256) return 0;
  return Advance(g_static_small, x * 8);
}

Word Box(G* g, Site* s, const Type* t, const void* v) {
  if (t->direct_iface) return *static_cast<const Word*>(v);
  if (Word w = StaticBox(t, v)) return w;
  Word w = New(g, s);
  TypedMove(g, t, Addr(w), static_cast<const char*>(v), 1, nullptr);
  return w;
}

}  // namespace gort
