// The standard library functions gocompile supports (see gen_std.cc for
// the list): strings, strconv, errors, os, runtime, sort, math, unicode,
// unicode/utf8. Each follows its Go 1.19 counterpart, including which
// results share memory with the arguments (substrings) and which allocate.
#include "goruntime/std.h"

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "goruntime/fmt.h"
#include "goruntime/internal.h"
#include "goruntime/sort.h"
#include "goruntime/utf8.h"
#include "heap/handles.h"

namespace gort {

namespace {

String Sub(String s, size_t lo, size_t hi) {
  String r;
  r.len = static_cast<int64_t>(hi - lo);
  r.ptr = r.len == 0 ? s.ptr : Advance(s.ptr, lo);
  return r;
}

// A new []string holding `parts` (substrings of s or new strings).
Slice StringSlice(G* g, const std::vector<String>& parts) {
  InitType(&kTypeStringSlice);
  Word arr = NewHeapArray(g, &kTypeString, static_cast<int64_t>(parts.size()));
  auto* a = reinterpret_cast<String*>(Addr(arr));
  for (size_t i = 0; i < parts.size(); ++i) StoreString(g, &a[i], parts[i], nullptr);
  const int64_t n = static_cast<int64_t>(parts.size());
  return Slice{arr, n, n};
}

bool IsSpaceRune(int32_t r) {
  if (r < 0x80) return r == ' ' || (r >= '\t' && r <= '\r');
  return r == 0x85 || r == 0xA0 || r == 0x1680 || (r >= 0x2000 && r <= 0x200A) || r == 0x2028 ||
         r == 0x2029 || r == 0x202F || r == 0x205F || r == 0x3000;
}

int32_t RuneAt(absl::string_view s, size_t i, int* w) {
  return utf8::Decode(reinterpret_cast<const unsigned char*>(s.data()) + i,
                      static_cast<int64_t>(s.size() - i), w);
}

bool ContainsRuneIn(absl::string_view set, int32_t r) {
  for (size_t i = 0; i < set.size();) {
    int w;
    if (RuneAt(set, i, &w) == r) return true;
    i += w;
  }
  return false;
}

int32_t SimpleUpper(int32_t r) {
  if (r >= 'a' && r <= 'z') return r - 32;
  if (r >= 0xE0 && r <= 0xFE && r != 0xF7) return r - 32;
  if (r == 0xFF) return 0x178;
  if (r >= 0x3B1 && r <= 0x3C9 && r != 0x3C2) return r - 32;
  if (r >= 0x430 && r <= 0x44F) return r - 32;
  if (r >= 0x450 && r <= 0x45F) return r - 80;
  return r;
}

int32_t SimpleLower(int32_t r) {
  if (r >= 'A' && r <= 'Z') return r + 32;
  if (r >= 0xC0 && r <= 0xDE && r != 0xD7) return r + 32;
  if (r == 0x178) return 0xFF;
  if (r >= 0x391 && r <= 0x3A9 && r != 0x3A2) return r + 32;
  if (r >= 0x410 && r <= 0x42F) return r + 32;
  if (r >= 0x400 && r <= 0x40F) return r + 80;
  return r;
}

bool IsLetterRune(int32_t r) {
  if (r < 0x80) return (r | 32) >= 'a' && (r | 32) <= 'z';
  if (r == 0xAA || r == 0xB5 || r == 0xBA) return true;
  if (r >= 0xC0 && r <= 0x24F) return r != 0xD7 && r != 0xF7;
  if (r >= 0x370 && r <= 0x3FF) return r != 0x37E && r != 0x387;
  if (r >= 0x400 && r <= 0x52F) return !(r >= 0x482 && r <= 0x489);
  if (r >= 0x4E00 && r <= 0x9FFF) return true;
  if (r >= 0x3040 && r <= 0x30FF) return true;
  if (r >= 0xAC00 && r <= 0xD7A3) return true;
  return false;
}

String MapRunes(G* g, String s, int32_t (*f)(int32_t)) {
  absl::string_view v = View(s);
  bool changed = false;
  std::string out;
  for (size_t i = 0; i < v.size();) {
    int w;
    int32_t r = RuneAt(v, i, &w);
    int32_t m = f(r);
    if (m != r || (w == 1 && r == utf8::kRuneError && static_cast<unsigned char>(v[i]) >= 0x80))
      changed = true;
    char b[4];
    out.append(b, EncodeRune(b, m));
    i += w;
  }
  if (!changed) return s;
  return NewString(g, out);
}

}  // namespace

// ---------------------------------------------------------------- strings.Builder

namespace {
struct GoBuilder {
  Word addr;
  Slice buf;
};
}  // namespace

T2<int64_t, IFace> std_strings_Builder_WriteString(G* g, Word bw, String s) {
  auto* b = reinterpret_cast<GoBuilder*>(Deref(g, bw, nullptr));
  gclab::HandleScope scope(g->m);
  gclab::Local root(g->m, reinterpret_cast<Object*>(bw));
  Slice n = AppendString(g, b->buf, s);
  b = reinterpret_cast<GoBuilder*>(Addr(bw));
  StoreSlice(g, &b->buf, n, nullptr);
  return {s.len, IFace{}};
}

T2<int64_t, IFace> std_strings_Builder_Write(G* g, Word bw, Slice p) {
  std_strings_Builder_WriteString(g, bw, String{p.ptr, p.len});
  return {p.len, IFace{}};
}

IFace std_strings_Builder_WriteByte(G* g, Word bw, uint8_t c) {
  char ch = static_cast<char>(c);
  String tmp;
  // A one-byte append without a string object.
  auto* b = reinterpret_cast<GoBuilder*>(Deref(g, bw, nullptr));
  Slice s = b->buf;
  if (s.len < s.cap) {
    Addr(s.ptr)[s.len] = ch;
    b->buf.len = s.len + 1;
    return IFace{};
  }
  gclab::HandleScope scope(g->m);
  gclab::Local root(g->m, reinterpret_cast<Object*>(bw));
  Slice n = GrowSlice(g, s, &kTypeUint8, s.len + 1);
  Addr(n.ptr)[s.len] = ch;
  b = reinterpret_cast<GoBuilder*>(Addr(bw));
  StoreSlice(g, &b->buf, n, nullptr);
  (void)tmp;
  return IFace{};
}

T2<int64_t, IFace> std_strings_Builder_WriteRune(G* g, Word bw, int32_t r) {
  char buf[4];
  const int n = EncodeRune(buf, r);
  for (int i = 0; i < n; ++i) std_strings_Builder_WriteByte(g, bw, static_cast<uint8_t>(buf[i]));
  return {n, IFace{}};
}

String std_strings_Builder_String(G* g, Word bw) {
  auto* b = reinterpret_cast<GoBuilder*>(Deref(g, bw, nullptr));
  if (b->buf.len == 0) return String{};
  return String{b->buf.ptr, b->buf.len};  // shares the buffer, as Go's does
}

int64_t std_strings_Builder_Len(G* g, Word bw) {
  return reinterpret_cast<GoBuilder*>(Deref(g, bw, nullptr))->buf.len;
}

void std_strings_Builder_Reset(G* g, Word bw) {
  auto* b = reinterpret_cast<GoBuilder*>(Deref(g, bw, nullptr));
  StorePtr(g, &b->addr, 0, nullptr);
  StoreSlice(g, &b->buf, Slice{}, nullptr);
}

void std_strings_Builder_Grow(G* g, Word bw, int64_t n) {
  if (n < 0) PanicGoString(g, "strings.Builder.Grow: negative count", nullptr);
  auto* b = reinterpret_cast<GoBuilder*>(Deref(g, bw, nullptr));
  if (b->buf.cap - b->buf.len >= n) return;
  gclab::HandleScope scope(g->m);
  gclab::Local root(g->m, reinterpret_cast<Object*>(bw));
  Slice old = b->buf;
  Word arr = NewHeapBytes(g, 2 * old.cap + n);
  if (old.len > 0) std::memcpy(Addr(arr), Addr(old.ptr), static_cast<size_t>(old.len));
  b = reinterpret_cast<GoBuilder*>(Addr(bw));
  StoreSlice(g, &b->buf, Slice{arr, old.len, 2 * old.cap + n}, nullptr);
}

// ---------------------------------------------------------------- strings

Slice std_strings_SplitN(G* g, String s, String sep, int64_t n) {
  if (n == 0) return Slice{};
  absl::string_view v = View(s), p = View(sep);
  std::vector<String> parts;
  if (p.empty()) {
    // Split into UTF-8 sequences.
    size_t i = 0;
    while (i < v.size()) {
      if (n > 0 && static_cast<int64_t>(parts.size()) == n - 1) {
        parts.push_back(Sub(s, i, v.size()));
        i = v.size();
        break;
      }
      int w;
      RuneAt(v, i, &w);
      parts.push_back(Sub(s, i, i + w));
      i += w;
    }
    return StringSlice(g, parts);
  }
  size_t start = 0;
  while (n < 0 || static_cast<int64_t>(parts.size()) < n - 1) {
    size_t at = v.find(p, start);
    if (at == absl::string_view::npos) break;
    parts.push_back(Sub(s, start, at));
    start = at + p.size();
  }
  parts.push_back(Sub(s, start, v.size()));
  return StringSlice(g, parts);
}

Slice std_strings_Split(G* g, String s, String sep) { return std_strings_SplitN(g, s, sep, -1); }

Slice std_strings_Fields(G* g, String s) {
  absl::string_view v = View(s);
  std::vector<String> parts;
  size_t i = 0;
  while (i < v.size()) {
    int w;
    while (i < v.size() && IsSpaceRune(RuneAt(v, i, &w))) i += w;
    if (i >= v.size()) break;
    size_t start = i;
    while (i < v.size() && !IsSpaceRune(RuneAt(v, i, &w))) i += w;
    parts.push_back(Sub(s, start, i));
  }
  return StringSlice(g, parts);
}

String std_strings_Join(G* g, Slice elems, String sep) {
  const auto* e = reinterpret_cast<const String*>(Addr(elems.ptr));
  if (elems.len == 0) return String{};
  if (elems.len == 1) return e[0];
  std::string out;
  for (int64_t i = 0; i < elems.len; ++i) {
    if (i > 0) absl::StrAppend(&out, View(sep));
    absl::StrAppend(&out, View(e[i]));
  }
  return NewString(g, out);
}

String std_strings_TrimLeft(G* g, String s, String cutset) {
  absl::string_view v = View(s), set = View(cutset);
  size_t i = 0;
  while (i < v.size()) {
    int w;
    int32_t r = RuneAt(v, i, &w);
    if (!ContainsRuneIn(set, r)) break;
    i += w;
  }
  return Sub(s, i, v.size());
}

String std_strings_TrimRight(G* g, String s, String cutset) {
  absl::string_view v = View(s), set = View(cutset);
  size_t end = v.size();
  while (end > 0) {
    size_t start = end - 1;
    while (start > 0 && (static_cast<unsigned char>(v[start]) & 0xC0) == 0x80 && end - start < 4)
      --start;
    int w;
    int32_t r = RuneAt(v, start, &w);
    if (start + w != end) {
      r = utf8::kRuneError;
      start = end - 1;
    }
    if (!ContainsRuneIn(set, r)) break;
    end = start;
  }
  return Sub(s, 0, end);
}

String std_strings_Trim(G* g, String s, String cutset) {
  return std_strings_TrimRight(g, std_strings_TrimLeft(g, s, cutset), cutset);
}

String std_strings_TrimSpace(G* g, String s) {
  absl::string_view v = View(s);
  size_t i = 0, end = v.size();
  int w;
  while (i < end && IsSpaceRune(RuneAt(v, i, &w))) i += w;
  while (end > i) {
    size_t start = end - 1;
    while (start > i && (static_cast<unsigned char>(v[start]) & 0xC0) == 0x80) --start;
    if (!IsSpaceRune(RuneAt(v, start, &w))) break;
    end = start;
  }
  return Sub(s, i, end);
}

String std_strings_TrimPrefix(G* g, String s, String p) {
  if (View(s).substr(0, p.len) == View(p) && s.len >= p.len)
    return Sub(s, static_cast<size_t>(p.len), static_cast<size_t>(s.len));
  return s;
}

String std_strings_TrimSuffix(G* g, String s, String p) {
  if (s.len >= p.len && View(s).substr(static_cast<size_t>(s.len - p.len)) == View(p))
    return Sub(s, 0, static_cast<size_t>(s.len - p.len));
  return s;
}

String std_strings_ToUpper(G* g, String s) { return MapRunes(g, s, SimpleUpper); }
String std_strings_ToLower(G* g, String s) { return MapRunes(g, s, SimpleLower); }

String std_strings_Title(G* g, String s) {
  absl::string_view v = View(s);
  std::string out;
  bool prev_sep = true;
  for (size_t i = 0; i < v.size();) {
    int w;
    int32_t r = RuneAt(v, i, &w);
    int32_t m = prev_sep ? SimpleUpper(r) : r;
    char b[4];
    out.append(b, EncodeRune(b, m));
    prev_sep = !IsLetterRune(r) && !(r >= '0' && r <= '9') && r != '_';
    i += w;
  }
  return absl::string_view(out) == v ? s : NewString(g, out);
}

bool std_strings_Contains(G* g, String s, String sub) {
  return View(s).find(View(sub)) != absl::string_view::npos;
}
bool std_strings_ContainsRune(G* g, String s, int32_t r) { return ContainsRuneIn(View(s), r); }
bool std_strings_ContainsAny(G* g, String s, String chars) {
  absl::string_view v = View(s);
  for (size_t i = 0; i < v.size();) {
    int w;
    if (ContainsRuneIn(View(chars), RuneAt(v, i, &w))) return true;
    i += w;
  }
  return false;
}
bool std_strings_HasPrefix(G* g, String s, String p) {
  return s.len >= p.len && View(s).substr(0, p.len) == View(p);
}
bool std_strings_HasSuffix(G* g, String s, String p) {
  return s.len >= p.len && View(s).substr(static_cast<size_t>(s.len - p.len)) == View(p);
}
int64_t std_strings_Index(G* g, String s, String sub) {
  size_t at = View(s).find(View(sub));
  return at == absl::string_view::npos ? -1 : static_cast<int64_t>(at);
}
int64_t std_strings_IndexByte(G* g, String s, uint8_t c) {
  size_t at = View(s).find(static_cast<char>(c));
  return at == absl::string_view::npos ? -1 : static_cast<int64_t>(at);
}
int64_t std_strings_IndexRune(G* g, String s, int32_t r) {
  absl::string_view v = View(s);
  for (size_t i = 0; i < v.size();) {
    int w;
    if (RuneAt(v, i, &w) == r) return static_cast<int64_t>(i);
    i += w;
  }
  return -1;
}
int64_t std_strings_LastIndex(G* g, String s, String sub) {
  size_t at = View(s).rfind(View(sub));
  return at == absl::string_view::npos ? -1 : static_cast<int64_t>(at);
}
String std_strings_Repeat(G* g, String s, int64_t count) {
  if (count < 0) PanicGoString(g, "strings: negative Repeat count", nullptr);
  if (count == 0 || s.len == 0) return String{};
  std::string out;
  out.reserve(static_cast<size_t>(s.len * count));
  for (int64_t i = 0; i < count; ++i) absl::StrAppend(&out, View(s));
  return NewString(g, out);
}
String std_strings_Replace(G* g, String s, String o, String n, int64_t limit) {
  absl::string_view v = View(s), ov = View(o), nv = View(n);
  if (ov == nv || limit == 0) return s;
  std::string out;
  size_t start = 0;
  int64_t done = 0;
  if (ov.empty()) {
    // Inserts n at the start and after each rune.
    size_t i = 0;
    while (i <= v.size() && (limit < 0 || done < limit)) {
      absl::StrAppend(&out, nv);
      ++done;
      if (i == v.size()) {
        i = v.size() + 1;
        break;
      }
      int w;
      RuneAt(v, i, &w);
      absl::StrAppend(&out, v.substr(i, w));
      i += w;
    }
    if (i <= v.size()) absl::StrAppend(&out, v.substr(i));
    return NewString(g, out);
  }
  for (;;) {
    if (limit >= 0 && done >= limit) break;
    size_t at = v.find(ov, start);
    if (at == absl::string_view::npos) break;
    absl::StrAppend(&out, v.substr(start, at - start));
    absl::StrAppend(&out, nv);
    start = at + ov.size();
    ++done;
  }
  if (done == 0) return s;
  absl::StrAppend(&out, v.substr(start));
  return NewString(g, out);
}
String std_strings_ReplaceAll(G* g, String s, String o, String n) {
  return std_strings_Replace(g, s, o, n, -1);
}
int64_t std_strings_Count(G* g, String s, String sub) {
  absl::string_view v = View(s), p = View(sub);
  if (p.empty()) {
    int64_t n = 0;
    for (size_t i = 0; i < v.size();) {
      int w;
      RuneAt(v, i, &w);
      i += w;
      ++n;
    }
    return n + 1;
  }
  int64_t n = 0;
  for (size_t at = v.find(p); at != absl::string_view::npos; at = v.find(p, at + p.size())) ++n;
  return n;
}
bool std_strings_EqualFold(G* g, String a, String b) {
  absl::string_view x = View(a), y = View(b);
  size_t i = 0, j = 0;
  while (i < x.size() && j < y.size()) {
    int wx, wy;
    int32_t rx = RuneAt(x, i, &wx), ry = RuneAt(y, j, &wy);
    if (SimpleLower(rx) != SimpleLower(ry)) return false;
    i += wx;
    j += wy;
  }
  return i == x.size() && j == y.size();
}
int64_t std_strings_Compare(G* g, String a, String b) { return StringCompare(a, b); }

// ---------------------------------------------------------------- errors

namespace {

String ErrorStringError(G* g, Word data) {
  return *reinterpret_cast<String*>(Deref(g, data, nullptr));
}
struct WrapError {
  String msg;
  IFace err;
};
String WrapErrorError(G* g, Word data) {
  return reinterpret_cast<WrapError*>(Deref(g, data, nullptr))->msg;
}
IFace WrapErrorUnwrap(G* g, Word data) {
  return reinterpret_cast<WrapError*>(Deref(g, data, nullptr))->err;
}

constexpr uint32_t kPtr0[] = {0};
constexpr uint32_t kWrapPtrs[] = {0, 24};
Type kTypeFuncError = [] {
  Type t{};
  t.kind = Kind::kFunc;
  t.direct_iface = true;
  t.size = 8;
  t.align = 8;
  t.name = "func() error";
  t.pkgpath = "";
  t.ptrs = kPtr0;
  t.nptrs = 1;
  return t;
}();

// The type of a pointer to one of the runtime's error structs: what the
// interface holds (direct, comparable), with the methods of its method set.
Type ErrorPointerType(const char* name, const Type* elem, const MethodInfo* methods,
                      int32_t nmethods) {
  Type t{};
  t.kind = Kind::kPointer;
  t.direct_iface = true;
  t.comparable = true;
  t.size = 8;
  t.align = 8;
  t.name = name;
  t.pkgpath = "";
  t.elem = elem;
  t.ptrs = kPtr0;
  t.nptrs = 1;
  t.methods = methods;
  t.nmethods = nmethods;
  return t;
}

Type kTypeErrorStringStruct = [] {
  Type t{};
  t.kind = Kind::kStruct;
  t.comparable = true;
  t.size = 16;
  t.align = 8;
  t.name = "errors.errorString";
  t.pkgpath = "errors";
  t.ptrs = kPtr0;
  t.nptrs = 1;
  return t;
}();
const MethodInfo kErrorStringMethods[] = {
    {"Error", &kTypeFuncString, reinterpret_cast<void*>(&ErrorStringError)}};
Type kTypeErrorString =
    ErrorPointerType("*errors.errorString", &kTypeErrorStringStruct, kErrorStringMethods, 1);
Type kTypeWrapErrorStruct = [] {
  Type t{};
  t.kind = Kind::kStruct;
  t.comparable = true;
  t.size = 32;
  t.align = 8;
  t.name = "fmt.wrapError";
  t.pkgpath = "fmt";
  t.ptrs = kWrapPtrs;
  t.nptrs = 2;
  return t;
}();
const MethodInfo kWrapErrorMethods[] = {
    {"Error", &kTypeFuncString, reinterpret_cast<void*>(&WrapErrorError)},
    {"Unwrap", &kTypeFuncError, reinterpret_cast<void*>(&WrapErrorUnwrap)}};
Type kTypeWrapError =
    ErrorPointerType("*fmt.wrapError", &kTypeWrapErrorStruct, kWrapErrorMethods, 2);

IFace AsError(const Type* t, Word data) { return IFace{FindItab(&kTypeError, t), data}; }

using UnwrapFn = IFace (*)(G*, Word);
using IsFn = bool (*)(G*, Word, IFace);

const MethodInfo* Method(const Type* t, const char* name, const char* sig) {
  if (t == nullptr) return nullptr;
  for (int i = 0; i < t->nmethods; ++i)
    if (std::strcmp(t->methods[i].name, name) == 0 && t->methods[i].sig != nullptr &&
        std::strcmp(t->methods[i].sig->name, sig) == 0 && t->methods[i].fn != nullptr)
      return &t->methods[i];
  return nullptr;
}

}  // namespace

IFace NewError(G* g, String msg) {
  InitType(&kTypeErrorStringStruct);
  gclab::HandleScope scope(g->m);
  gclab::Local root(g->m, reinterpret_cast<Object*>(msg.ptr));
  Word w = NewHeap(g, &kTypeErrorStringStruct);
  StoreString(g, reinterpret_cast<String*>(Addr(w)), msg, nullptr);
  return AsError(&kTypeErrorString, w);
}

IFace std_errors_New(G* g, String text) { return NewError(g, text); }

IFace std_fmt_Errorf(G* g, String format, Slice a) {
  EFace wrapped;
  bool found = false;
  std::string s = SprintfWrap(g, View(format), a, &wrapped, &found);
  String msg = NewString(g, s);
  if (!found) return NewError(g, msg);
  InitType(&kTypeWrapErrorStruct);
  gclab::HandleScope scope(g->m);
  gclab::Local root(g->m, reinterpret_cast<Object*>(msg.ptr));
  Word w = NewHeap(g, &kTypeWrapErrorStruct);
  auto* e = reinterpret_cast<WrapError*>(Addr(w));
  StoreString(g, &e->msg, msg, nullptr);
  StoreIFace(g, &e->err, AsError(wrapped.type, wrapped.data), nullptr);
  return AsError(&kTypeWrapError, w);
}

IFace std_errors_Unwrap(G* g, IFace err) {
  if (err.tab == nullptr) return IFace{};
  const MethodInfo* m = Method(err.tab->type, "Unwrap", "func() error");
  if (m == nullptr) return IFace{};
  return reinterpret_cast<UnwrapFn>(m->fn)(g, err.data);
}

bool std_errors_Is(G* g, IFace err, IFace target) {
  if (target.tab == nullptr) return err.tab == nullptr;
  const bool comparable = target.tab->type->comparable;
  for (;;) {
    if (err.tab == nullptr) return false;
    if (comparable && err.tab->type == target.tab->type && IFaceEqual(g, err, target)) return true;
    if (const MethodInfo* m = Method(err.tab->type, "Is", "func(error) bool"))
      if (reinterpret_cast<IsFn>(m->fn)(g, err.data, target)) return true;
    err = std_errors_Unwrap(g, err);
  }
}

bool std_errors_As(G* g, IFace err, EFace target, const Pos* pos) {
  if (target.type == nullptr || target.type->kind != Kind::kPointer || target.data == 0)
    PanicGoString(g, "errors: target must be a non-nil pointer", pos);
  const Type* want = target.type->elem;
  if (want->kind != Kind::kInterface && Method(want, "Error", "func() string") == nullptr)
    PanicGoString(g, "errors: *target must be interface or implement error", pos);
  for (; err.tab != nullptr; err = std_errors_Unwrap(g, err)) {
    const Type* have = err.tab->type;
    char* dst = Addr(target.data);
    if (want->kind == Kind::kInterface) {
      if (want->nmethods == 0) {
        StoreEFace(g, reinterpret_cast<EFace*>(dst), ToEFace(err), pos);
        return true;
      }
      if (const Itab* tab = FindItab(want, have)) {
        StoreIFace(g, reinterpret_cast<IFace*>(dst), IFace{tab, err.data}, pos);
        return true;
      }
    } else if (have == want) {
      EFace e = ToEFace(err);
      TypedMove(g, want, dst, static_cast<const char*>(EFaceValue(e)), 1, pos);
      return true;
    }
  }
  return false;
}

// ---------------------------------------------------------------- strconv

namespace {

struct NumError {
  String func;
  String num;
  IFace err;
};
String NumErrorError(G* g, Word data) {
  auto* e = reinterpret_cast<NumError*>(Deref(g, data, nullptr));
  std::string s = absl::StrCat("strconv.", View(e->func), ": parsing ",
                               QuoteWith(View(e->num), '"', false), ": ");
  StringMethod m = FindStringMethod(e->err.tab->type, "Error");
  absl::StrAppend(&s, View(m(g, e->err.data)));
  return NewString(g, s);
}
constexpr uint32_t kNumErrorPtrs[] = {0, 16, 40};
Type kTypeNumErrorStruct = [] {
  Type t{};
  t.kind = Kind::kStruct;
  t.size = 48;
  t.align = 8;
  t.name = "strconv.NumError";
  t.pkgpath = "strconv";
  t.ptrs = kNumErrorPtrs;
  t.nptrs = 3;
  return t;
}();
const MethodInfo kNumErrorMethods[] = {
    {"Error", &kTypeFuncString, reinterpret_cast<void*>(&NumErrorError)}};
Type kTypeNumError =
    ErrorPointerType("*strconv.NumError", &kTypeNumErrorStruct, kNumErrorMethods, 1);

IFace NumErr(G* g, const char* fn, String num, const char* why) {
  InitType(&kTypeNumErrorStruct);
  gclab::HandleScope scope(g->m);
  gclab::Local r1(g->m, reinterpret_cast<Object*>(num.ptr));
  IFace inner = NewError(g, NewString(g, why));
  gclab::Local r2(g->m, reinterpret_cast<Object*>(inner.data));
  String f = NewString(g, fn);
  gclab::Local r3(g->m, reinterpret_cast<Object*>(f.ptr));
  Word w = NewHeap(g, &kTypeNumErrorStruct);
  auto* e = reinterpret_cast<NumError*>(Addr(w));
  StoreString(g, &e->func, f, nullptr);
  StoreString(g, &e->num, num, nullptr);
  StoreIFace(g, &e->err, inner, nullptr);
  return AsError(&kTypeNumError, w);
}

// Go's ParseInt syntax (no underscores unless base 0).
bool ParseIntText(absl::string_view s, int base, int bits, int64_t* out, const char** why) {
  *why = "invalid syntax";
  if (s.empty()) return false;
  bool neg = false;
  if (s[0] == '+' || s[0] == '-') {
    neg = s[0] == '-';
    s.remove_prefix(1);
  }
  if (base == 0) {
    base = 10;
    if (s.size() > 1 && s[0] == '0') {
      if (s[1] == 'x' || s[1] == 'X') {
        base = 16;
        s.remove_prefix(2);
      } else if (s[1] == 'b' || s[1] == 'B') {
        base = 2;
        s.remove_prefix(2);
      } else if (s[1] == 'o' || s[1] == 'O') {
        base = 8;
        s.remove_prefix(2);
      } else {
        base = 8;
        s.remove_prefix(1);
      }
    }
  }
  if (s.empty()) return false;
  unsigned __int128 v = 0;
  const unsigned __int128 limit = neg ? (static_cast<unsigned __int128>(1) << (bits - 1))
                                      : (static_cast<unsigned __int128>(1) << (bits - 1)) - 1;
  bool range = false;
  for (char c : s) {
    int d;
    if (c >= '0' && c <= '9') {
      d = c - '0';
    } else if ((c | 32) >= 'a' && (c | 32) <= 'z') {
      d = (c | 32) - 'a' + 10;
    } else {
      return false;
    }
    if (d >= base) return false;
    v = v * base + d;
    if (v > limit) {
      range = true;
      v = limit + 1;
    }
  }
  if (range) {
    *why = "value out of range";
    *out = neg ? INT64_MIN >> (64 - bits) : INT64_MAX >> (64 - bits);
    return false;
  }
  *out = neg ? -static_cast<int64_t>(v) : static_cast<int64_t>(v);
  return true;
}

}  // namespace

String std_strconv_Itoa(G* g, int64_t i) { return NewString(g, absl::StrCat(i)); }

T2<int64_t, IFace> std_strconv_Atoi(G* g, String s) {
  int64_t v;
  const char* why;
  if (!ParseIntText(View(s), 10, 64, &v, &why)) {
    // Atoi reports itself as "Atoi" with the input copied.
    String num = NewString(g, View(s));
    return {why[0] == 'v' ? v : 0, NumErr(g, "Atoi", num, why)};
  }
  return {v, IFace{}};
}

T2<int64_t, IFace> std_strconv_ParseInt(G* g, String s, int64_t base, int64_t bits) {
  if (bits == 0) bits = 64;
  int64_t v;
  const char* why;
  if (!ParseIntText(View(s), static_cast<int>(base), static_cast<int>(bits), &v, &why)) {
    String num = NewString(g, View(s));
    return {why[0] == 'v' ? v : 0, NumErr(g, "ParseInt", num, why)};
  }
  return {v, IFace{}};
}

String std_strconv_FormatInt(G* g, int64_t i, int64_t base) {
  if (base < 2 || base > 36) PanicGoString(g, "strconv: illegal AppendInt/FormatInt base", nullptr);
  const bool neg = i < 0;
  uint64_t u = neg ? 0 - static_cast<uint64_t>(i) : static_cast<uint64_t>(i);
  std::string out;
  do {
    out += "0123456789abcdefghijklmnopqrstuvwxyz"[u % base];
    u /= base;
  } while (u > 0);
  if (neg) out += '-';
  std::reverse(out.begin(), out.end());
  return NewString(g, out);
}

String std_strconv_Quote(G* g, String s) { return NewString(g, QuoteWith(View(s), '"', false)); }

T2<double, IFace> std_strconv_ParseFloat(G* g, String s, int64_t bits) {
  std::string text(View(s));
  std::string clean;
  for (char c : text)
    if (c != '_') clean += c;
  const char* why = "invalid syntax";
  bool ok = !clean.empty();
  for (char c : clean)
    if (!(std::isdigit(static_cast<unsigned char>(c)) || c == '.' || c == 'e' || c == 'E' ||
          c == '+' || c == '-' || c == 'x' || c == 'X' || c == 'p' || c == 'P' ||
          ((c | 32) >= 'a' && (c | 32) <= 'f') || c == 'i' || c == 'n' || c == 'I' || c == 'N' ||
          c == 'f' || c == 't' || c == 'y' || c == 'T' || c == 'Y'))
      ok = false;
  double v = 0;
  if (ok) {
    char* end = nullptr;
    errno = 0;
    v = bits == 32 ? std::strtof(clean.c_str(), &end) : std::strtod(clean.c_str(), &end);
    if (end != clean.c_str() + clean.size()) ok = false;
    if (ok && errno == ERANGE && std::isinf(v)) {
      why = "value out of range";
      String num = NewString(g, View(s));
      return {v, NumErr(g, "ParseFloat", num, why)};
    }
  }
  if (!ok) {
    String num = NewString(g, View(s));
    return {0, NumErr(g, "ParseFloat", num, why)};
  }
  return {v, IFace{}};
}

String std_strconv_FormatFloat(G* g, double f, uint8_t fmt, int64_t prec, int64_t bits) {
  return NewString(
      g, FormatFloat(f, static_cast<char>(fmt), static_cast<int>(prec), static_cast<int>(bits)));
}

String std_strconv_FormatBool(G* g, bool b) { return NewString(g, b ? "true" : "false"); }

T2<bool, IFace> std_strconv_ParseBool(G* g, String s) {
  absl::string_view v = View(s);
  if (v == "1" || v == "t" || v == "T" || v == "true" || v == "TRUE" || v == "True")
    return {true, IFace{}};
  if (v == "0" || v == "f" || v == "F" || v == "false" || v == "FALSE" || v == "False")
    return {false, IFace{}};
  String num = NewString(g, v);
  return {false, NumErr(g, "ParseBool", num, "invalid syntax")};
}

// ---------------------------------------------------------------- os, runtime

void std_os_Exit(G* g, int64_t code) { Exit(g, static_cast<int>(code)); }

String std_os_Getenv(G* g, String key) {
  const char* v = std::getenv(ToStd(key).c_str());
  return v == nullptr ? String{} : NewString(g, v);
}

void std_runtime_GC(G* g) { GC(g); }

namespace {
struct MemStats {
  uint64_t Alloc, TotalAlloc, Sys, Lookups, Mallocs, Frees, HeapAlloc, HeapSys, HeapIdle, HeapInuse,
      HeapReleased, HeapObjects, StackInuse, StackSys, MSpanInuse, MSpanSys, MCacheInuse, MCacheSys,
      BuckHashSys, GCSys, OtherSys, NextGC, LastGC, PauseTotalNs;
  uint64_t PauseNs[256];
  uint64_t PauseEnd[256];
  uint32_t NumGC, NumForcedGC;
  double GCCPUFraction;
  bool EnableGC, DebugGC;
  struct {
    uint32_t Size;
    uint64_t Mallocs, Frees;
  } BySize[61];
};
static_assert(offsetof(MemStats, PauseNs) == 192);
static_assert(offsetof(MemStats, NumGC) == 4288);
static_assert(offsetof(MemStats, BySize) == 4312);
static_assert(sizeof(MemStats) == 5776);
}  // namespace

void std_runtime_ReadMemStats(G* g, Word mw) {
  auto* m = reinterpret_cast<MemStats*>(Deref(g, mw, nullptr));
  gclab::Heap* h = g->heap;
  g->m->FlushCounters();  // exact for this goroutine; others lag by < 64 KiB
  const gclab::AllocatorStats a = h->allocator()->GetStats();
  std::memset(m, 0, sizeof(MemStats));
  m->Alloc = m->HeapAlloc = h->heap_in_use_bytes();
  m->TotalAlloc = h->bytes_allocated();
  m->Sys = m->HeapSys = a.mapped_bytes;
  m->Mallocs = h->objects_allocated();
  m->HeapObjects = a.objects;
  m->Frees = m->Mallocs > a.objects ? m->Mallocs - a.objects : 0;
  m->HeapInuse = a.in_use_bytes;
  m->HeapIdle = a.free_bytes;
  uint64_t total = 0;
  std::vector<gclab::PauseRecord> pauses = h->stats().pauses();
  for (const gclab::PauseRecord& p : pauses) total += static_cast<uint64_t>(p.duration_ns);
  m->PauseTotalNs = total;
  m->NumGC = static_cast<uint32_t>(h->stats().collections());
  m->EnableGC = true;
}

int64_t std_runtime_NumGoroutine(G* g) { return NumGoroutine(); }
void std_runtime_Gosched(G* g) { Gosched(g); }
int64_t std_runtime_NumCPU(G* g) {
  return static_cast<int64_t>(std::max(1u, std::thread::hardware_concurrency()));
}
int64_t std_runtime_GOMAXPROCS(G* g, int64_t n) { return std_runtime_NumCPU(g); }

// ---------------------------------------------------------------- sort

namespace {

// sort.Slice's data: elements of a slice swapped with barriers, less a Go
// func value.
struct SortSliceData {
  G* g;
  char* base;
  const Type* elem;
  Word less;
  bool (*code)(G*, Word, int64_t, int64_t);
  std::vector<char> tmp;
  bool Less(int64_t i, int64_t j) { return code(g, less, i, j); }
  void Swap(int64_t i, int64_t j) {
    const size_t es = elem->size;
    char* a = base + i * es;
    char* b = base + j * es;
    std::memcpy(tmp.data(), a, es);
    TypedMove(g, elem, a, b, 1, nullptr);
    TypedMove(g, elem, b, tmp.data(), 1, nullptr);
  }
};

template <typename Sorter>
void SortSlice(G* g, EFace x, Word less, const Pos* pos, Sorter sorter) {
  if (x.type == nullptr || x.type->kind != Kind::kSlice)
    PanicGoString(g, "reflect: call of Swapper on non-slice value", pos);
  const Slice s = *static_cast<const Slice*>(EFaceValue(x));
  gclab::HandleScope scope(g->m);
  gclab::Local r1(g->m, reinterpret_cast<Object*>(s.ptr));
  gclab::Local r2(g->m, reinterpret_cast<Object*>(less));
  SortSliceData d{g,
                  Addr(s.ptr),
                  x.type->elem,
                  less,
                  *reinterpret_cast<bool (**)(G*, Word, int64_t, int64_t)>(Deref(g, less, pos)),
                  std::vector<char>(std::max<size_t>(x.type->elem->size, 1))};
  sorter(d, s.len);
}

template <typename T>
struct TypedData {
  T* base;
  bool (*less)(const T&, const T&);
  bool Less(int64_t i, int64_t j) { return less(base[i], base[j]); }
  void Swap(int64_t i, int64_t j) { std::swap(base[i], base[j]); }
};

// sort.Interface through its itab (Len, Less, Swap in name order).
struct IfaceData {
  G* g;
  IFace data;
  bool Less(int64_t i, int64_t j) {
    return reinterpret_cast<bool (*)(G*, Word, int64_t, int64_t)>(data.tab->fun[1])(g, data.data, i,
                                                                                    j);
  }
  void Swap(int64_t i, int64_t j) {
    reinterpret_cast<void (*)(G*, Word, int64_t, int64_t)>(data.tab->fun[2])(g, data.data, i, j);
  }
  int64_t Len() { return reinterpret_cast<int64_t (*)(G*, Word)>(data.tab->fun[0])(g, data.data); }
};

}  // namespace

void std_sort_Slice(G* g, EFace x, Word less, const Pos* pos) {
  SortSlice(g, x, less, pos, [](SortSliceData& d, int64_t n) { sorting::Sort(d, n); });
}

void std_sort_SliceStable(G* g, EFace x, Word less, const Pos* pos) {
  SortSlice(g, x, less, pos, [](SortSliceData& d, int64_t n) { sorting::Stable(d, n); });
}

void std_sort_Ints(G* g, Slice x) {
  TypedData<int64_t> d{reinterpret_cast<int64_t*>(Addr(x.ptr)),
                       [](const int64_t& a, const int64_t& b) { return a < b; }};
  sorting::Sort(d, x.len);
}

void std_sort_Float64s(G* g, Slice x) {
  TypedData<double> d{reinterpret_cast<double*>(Addr(x.ptr)), [](const double& a, const double& b) {
                        return a < b || (std::isnan(a) && !std::isnan(b));
                      }};
  sorting::Sort(d, x.len);
}

void std_sort_Strings(G* g, Slice x) {
  struct StrData {
    G* g;
    String* base;
    bool Less(int64_t i, int64_t j) { return StringCompare(base[i], base[j]) < 0; }
    void Swap(int64_t i, int64_t j) {
      String t = base[i];
      StoreString(g, &base[i], base[j], nullptr);
      StoreString(g, &base[j], t, nullptr);
    }
  } d{g, reinterpret_cast<String*>(Addr(x.ptr))};
  sorting::Sort(d, x.len);
}

void std_sort_Sort(G* g, IFace data) {
  gclab::HandleScope scope(g->m);
  gclab::Local root(g->m, reinterpret_cast<Object*>(data.data));
  IfaceData d{g, data};
  sorting::Sort(d, d.Len());
}

void std_sort_Stable(G* g, IFace data) {
  gclab::HandleScope scope(g->m);
  gclab::Local root(g->m, reinterpret_cast<Object*>(data.data));
  IfaceData d{g, data};
  sorting::Stable(d, d.Len());
}

int64_t std_sort_Search(G* g, int64_t n, Word f) {
  gclab::HandleScope scope(g->m);
  gclab::Local root(g->m, reinterpret_cast<Object*>(f));
  auto code = *reinterpret_cast<bool (**)(G*, Word, int64_t)>(Deref(g, f, nullptr));
  int64_t i = 0, j = n;
  while (i < j) {
    int64_t h = static_cast<int64_t>(static_cast<uint64_t>(i + j) >> 1);
    if (!code(g, f, h)) {
      i = h + 1;
    } else {
      j = h;
    }
  }
  return i;
}

int64_t std_sort_SearchInts(G* g, Slice a, int64_t x) {
  const int64_t* v = reinterpret_cast<const int64_t*>(Addr(a.ptr));
  int64_t i = 0, j = a.len;
  while (i < j) {
    int64_t h = static_cast<int64_t>(static_cast<uint64_t>(i + j) >> 1);
    if (v[h] < x) {
      i = h + 1;
    } else {
      j = h;
    }
  }
  return i;
}

// ---------------------------------------------------------------- math

double std_math_Sqrt(G* g, double x) { return std::sqrt(x); }
double std_math_Abs(G* g, double x) { return std::fabs(x); }
double std_math_Floor(G* g, double x) { return std::floor(x); }
double std_math_Ceil(G* g, double x) { return std::ceil(x); }
double std_math_Max(G* g, double x, double y) {
  if (std::isinf(x) && x > 0) return x;
  if (std::isinf(y) && y > 0) return y;
  if (std::isnan(x) || std::isnan(y)) return NAN;
  if (x == 0 && x == y) return std::signbit(x) ? y : x;
  return x > y ? x : y;
}
double std_math_Min(G* g, double x, double y) {
  if (std::isinf(x) && x < 0) return x;
  if (std::isinf(y) && y < 0) return y;
  if (std::isnan(x) || std::isnan(y)) return NAN;
  if (x == 0 && x == y) return std::signbit(x) ? x : y;
  return x < y ? x : y;
}
double std_math_Pow(G* g, double x, double y) { return std::pow(x, y); }
double std_math_Inf(G* g, int64_t sign) { return sign >= 0 ? INFINITY : -INFINITY; }
double std_math_NaN(G* g) { return NAN; }
bool std_math_IsNaN(G* g, double x) { return std::isnan(x); }
bool std_math_IsInf(G* g, double x, int64_t sign) {
  return (sign >= 0 && x == INFINITY) || (sign <= 0 && x == -INFINITY);
}
double std_math_Log(G* g, double x) { return std::log(x); }
double std_math_Log2(G* g, double x) { return std::log2(x); }
double std_math_Log10(G* g, double x) { return std::log10(x); }
double std_math_Exp(G* g, double x) { return std::exp(x); }
double std_math_Sin(G* g, double x) { return std::sin(x); }
double std_math_Cos(G* g, double x) { return std::cos(x); }
double std_math_Tan(G* g, double x) { return std::tan(x); }
double std_math_Atan(G* g, double x) { return std::atan(x); }
double std_math_Atan2(G* g, double y, double x) { return std::atan2(y, x); }
double std_math_Mod(G* g, double x, double y) { return std::fmod(x, y); }
double std_math_Trunc(G* g, double x) { return std::trunc(x); }
double std_math_Round(G* g, double x) { return std::round(x); }
double std_math_Hypot(G* g, double p, double q) { return std::hypot(p, q); }
uint64_t std_math_Float64bits(G* g, double f) { return BitCast<uint64_t>(f); }
double std_math_Float64frombits(G* g, uint64_t b) { return BitCast<double>(b); }

// ---------------------------------------------------------------- unicode, utf8

bool std_unicode_IsLetter(G* g, int32_t r) { return IsLetterRune(r); }
bool std_unicode_IsDigit(G* g, int32_t r) {
  return (r >= '0' && r <= '9') || (r >= 0x660 && r <= 0x669) || (r >= 0xFF10 && r <= 0xFF19);
}
bool std_unicode_IsSpace(G* g, int32_t r) { return IsSpaceRune(r); }
bool std_unicode_IsUpper(G* g, int32_t r) { return IsLetterRune(r) && SimpleLower(r) != r; }
bool std_unicode_IsLower(G* g, int32_t r) { return IsLetterRune(r) && SimpleUpper(r) != r; }
bool std_unicode_IsPunct(G* g, int32_t r) {
  if (r < 0x80)
    return std::strchr("!\"#%&'()*,-./:;?@[\\]_{}", static_cast<int>(r)) != nullptr && r != 0;
  return r == 0xA1 || r == 0xA7 || r == 0xAB || r == 0xB6 || r == 0xB7 || r == 0xBB || r == 0xBF ||
         (r >= 0x2010 && r <= 0x2027) || (r >= 0x3001 && r <= 0x3003);
}
int32_t std_unicode_ToUpper(G* g, int32_t r) { return SimpleUpper(r); }
int32_t std_unicode_ToLower(G* g, int32_t r) { return SimpleLower(r); }

int64_t std_utf8_RuneLen(G* g, int32_t r) {
  if (r < 0) return -1;
  if (r < 0x80) return 1;
  if (r < 0x800) return 2;
  if (r >= 0xD800 && r <= 0xDFFF) return -1;
  if (r < 0x10000) return 3;
  if (r <= utf8::kMaxRune) return 4;
  return -1;
}
int64_t std_utf8_RuneCountInString(G* g, String s) {
  absl::string_view v = View(s);
  int64_t n = 0;
  for (size_t i = 0; i < v.size(); ++n) {
    int w;
    RuneAt(v, i, &w);
    i += w;
  }
  return n;
}
T2<int32_t, int64_t> std_utf8_DecodeRuneInString(G* g, String s) {
  if (s.len == 0) return {utf8::kRuneError, 0};
  int w;
  int32_t r = RuneAt(View(s), 0, &w);
  return {r, w};
}
bool std_utf8_ValidString(G* g, String s) {
  absl::string_view v = View(s);
  for (size_t i = 0; i < v.size();) {
    int w;
    int32_t r = RuneAt(v, i, &w);
    if (r == utf8::kRuneError && w == 1) return false;
    i += w;
  }
  return true;
}
int64_t std_utf8_EncodeRune(G* g, Slice p, int32_t r) {
  char b[4];
  const int n = EncodeRune(b, r);
  if (p.len < n) PanicBounds(g, kBoundsIndex, n - 1, p.len, nullptr);
  std::memcpy(Addr(p.ptr), b, static_cast<size_t>(n));
  return n;
}

}  // namespace gort
