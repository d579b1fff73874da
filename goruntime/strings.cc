// Strings and slices: comparison, concatenation, conversions, slicing,
// append growth (Go 1.19's growslice and size classes), copy.
#include <algorithm>
#include <cstring>

#include "goruntime/internal.h"
#include "goruntime/utf8.h"
#include "heap/handles.h"

namespace gort {

namespace {

// Roots the pointer words of a runtime call's inputs while it allocates.
class RootWords {
 public:
  explicit RootWords(G* g) : scope_(g->m), m_(g->m) {}
  void Add(Word w) { gclab::Local(m_, reinterpret_cast<Object*>(w)); }

 private:
  gclab::HandleScope scope_;
  gclab::Mutator* m_;
};

// Bytes of a new string or []byte of n bytes for site s: a stack buffer for
// non-escaping results of at most 32 bytes (Go's tmpBuf), else the heap.
Word StringBytes(G* g, Site* s, int64_t n) {
  if (s != nullptr && OnStack(s) && n <= 32) return NewArray(g, s, n);
  return NewHeapBytes(g, n);
}

}  // namespace

String MakeString(G* g, const char* data, int64_t len) {
  if (len == 0) return String{};
  Word w = NewHeapBytes(g, len);
  std::memcpy(Addr(w), data, static_cast<size_t>(len));
  return String{w, len};
}

String NewString(G* g, absl::string_view s) {
  return MakeString(g, s.data(), static_cast<int64_t>(s.size()));
}

bool StringEqualSlow(String a, String b) {
  return std::memcmp(Data(a), Data(b), static_cast<size_t>(a.len)) == 0;
}

int StringCompare(String a, String b) {
  const int64_t n = std::min(a.len, b.len);
  int c = n == 0 ? 0 : std::memcmp(Data(a), Data(b), static_cast<size_t>(n));
  if (c != 0) return c < 0 ? -1 : 1;
  return a.len < b.len ? -1 : a.len > b.len ? 1 : 0;
}

String Concat(G* g, Site* s, const String* parts, int n) {
  int64_t total = 0;
  int nonempty = 0, last = 0;
  for (int i = 0; i < n; ++i) {
    total += parts[i].len;
    if (parts[i].len > 0) {
      ++nonempty;
      last = i;
    }
  }
  if (total == 0) return String{};
  // Go returns the operand itself when only one is non-empty and the result
  // escapes or does not fit the stack buffer.
  if (nonempty == 1 && !(s != nullptr && OnStack(s) && total <= 32)) return parts[last];
  RootWords roots(g);
  for (int i = 0; i < n; ++i) roots.Add(parts[i].ptr);
  Word w = StringBytes(g, s, total);
  char* p = Addr(w);
  for (int i = 0; i < n; ++i) {
    std::memcpy(p, Data(parts[i]), static_cast<size_t>(parts[i].len));
    p += parts[i].len;
  }
  return String{w, total};
}

String BytesToString(G* g, Site* s, Slice b) {
  if (b.len == 0) return String{};
  RootWords roots(g);
  roots.Add(b.ptr);
  Word w = StringBytes(g, s, b.len);
  std::memcpy(Addr(w), Addr(b.ptr), static_cast<size_t>(b.len));
  return String{w, b.len};
}

Slice StringToBytes(G* g, Site* s, String str) {
  RootWords roots(g);
  roots.Add(str.ptr);
  Word w = StringBytes(g, s, str.len);
  if (str.len > 0) std::memcpy(Addr(w), Data(str), static_cast<size_t>(str.len));
  return Slice{w, str.len, str.len};
}

String RuneToString(G* g, Site* s, int64_t r) {
  char buf[4];
  const int n = EncodeRune(buf, r);
  Word w = StringBytes(g, s, n);
  std::memcpy(Addr(w), buf, static_cast<size_t>(n));
  return String{w, n};
}

String RunesToString(G* g, Site* s, Slice r) {
  const auto* rs = reinterpret_cast<const int32_t*>(Addr(r.ptr));
  int64_t total = 0;
  char buf[4];
  for (int64_t i = 0; i < r.len; ++i) total += EncodeRune(buf, rs[i]);
  if (total == 0) return String{};
  RootWords roots(g);
  roots.Add(r.ptr);
  Word w = StringBytes(g, s, total);
  rs = reinterpret_cast<const int32_t*>(Addr(r.ptr));
  char* p = Addr(w);
  for (int64_t i = 0; i < r.len; ++i) p += EncodeRune(p, rs[i]);
  return String{w, total};
}

Slice StringToRunes(G* g, Site* s, String str) {
  int64_t n = 0;
  for (int64_t i = 0; i < str.len;) {
    int32_t r;
    i = DecodeRune(str, i, &r);
    ++n;
  }
  RootWords roots(g);
  roots.Add(str.ptr);
  Word w =
      (s != nullptr && OnStack(s) && n <= 32) ? NewArray(g, s, n) : NewHeapArray(g, RuneType(), n);
  auto* out = reinterpret_cast<int32_t*>(Addr(w));
  for (int64_t i = 0, k = 0; i < str.len; ++k) i = DecodeRune(str, i, &out[k]);
  return Slice{w, n, n};
}

int64_t DecodeRune(String s, int64_t i, int32_t* r) {
  int width;
  *r = utf8::Decode(reinterpret_cast<const unsigned char*>(Data(s)) + i, s.len - i, &width);
  return i + width;
}

// ---------------------------------------------------------------- slices

namespace {

// Go 1.19's size classes (runtime/sizeclasses.go): class_to_size.
constexpr uint32_t kClassToSize[] = {
    0,     8,     16,    24,    32,    48,    64,    80,    96,    112,   128,   144,  160,   176,
    192,   208,   224,   240,   256,   288,   320,   352,   384,   416,   448,   480,  512,   576,
    640,   704,   768,   896,   1024,  1152,  1280,  1408,  1536,  1792,  2048,  2304, 2688,  3072,
    3200,  3456,  4096,  4864,  5376,  6144,  6528,  6784,  6912,  8192,  9472,  9728, 10240, 10880,
    12288, 13568, 14336, 16384, 18432, 19072, 20480, 21760, 24576, 27264, 28672, 32768};

uint64_t RoundUpSize(uint64_t size) {
  if (size <= 32768) {
    return *std::lower_bound(std::begin(kClassToSize), std::end(kClassToSize), size);
  }
  constexpr uint64_t kPage = 8192;
  return (size + kPage - 1) / kPage * kPage;
}

}  // namespace

Slice GrowSlice(G* g, Slice s, const Type* elem, int64_t newlen) {
  const int64_t old_cap = s.cap;
  int64_t newcap = old_cap;
  const int64_t doublecap = newcap + newcap;
  if (newlen > doublecap) {
    newcap = newlen;
  } else {
    constexpr int64_t kThreshold = 256;
    if (old_cap < kThreshold) {
      newcap = doublecap;
    } else {
      while (0 < newcap && newcap < newlen) newcap += (newcap + 3 * kThreshold) / 4;
      if (newcap <= 0) newcap = newlen;
    }
  }
  const uint64_t es = elem->size;
  if (es == 0) return Slice{g_zerobase, newlen, newlen};
  const uint64_t bytes = RoundUpSize(static_cast<uint64_t>(newcap) * es);
  if (bytes > kMaxCellBytes) PanicString(g, "growslice: len out of range", nullptr);
  newcap = static_cast<int64_t>(bytes / es);
  RootWords roots(g);
  roots.Add(s.ptr);
  Word w = NewHeapArray(g, elem, newcap);
  if (s.len > 0) TypedMove(g, elem, Addr(w), Addr(s.ptr), s.len, nullptr);
  return Slice{w, newlen, newcap};
}

void TypedMove(G* g, const Type* elem, char* dst, const char* src, int64_t n, const Pos* pos) {
  if (n <= 0 || dst == src) return;
  const size_t es = elem->size;
  if (elem->nptrs == 0) {
    std::memmove(dst, src, es * static_cast<size_t>(n));
    return;
  }
  auto one = [&](int64_t i) {
    char* d = dst + es * i;
    const char* s = src + es * i;
    // Non-pointer bytes first, then each pointer word through the barrier.
    size_t at = 0;
    for (int k = 0; k < elem->nptrs; ++k) {
      const uint32_t off = elem->ptrs[k];
      if (off > at) std::memmove(d + at, s + at, off - at);
      Word v;
      std::memcpy(&v, s + off, 8);
      StorePtr(g, reinterpret_cast<Word*>(d + off), v, pos);
      at = off + 8;
    }
    if (at < es) std::memmove(d + at, s + at, es - at);
  };
  if (dst < src) {
    for (int64_t i = 0; i < n; ++i) one(i);
  } else {
    for (int64_t i = n - 1; i >= 0; --i) one(i);
  }
}

int64_t Copy(G* g, Slice dst, Slice src, const Type* elem) {
  const int64_t n = std::min(dst.len, src.len);
  if (n > 0) TypedMove(g, elem, Addr(dst.ptr), Addr(src.ptr), n, nullptr);
  return n;
}

int64_t CopyString(G* g, Slice dst, String src) {
  const int64_t n = std::min(dst.len, src.len);
  if (n > 0) std::memmove(Addr(dst.ptr), Data(src), static_cast<size_t>(n));
  return n;
}

}  // namespace gort
