// Small runtime entry points: immortal objects, boxes, append of slices,
// interface conversions, defer descriptors, print/println.
#include <cstdio>
#include <cstring>
#include <string>

#include "absl/strings/str_cat.h"
#include "goruntime/fmt.h"
#include "goruntime/internal.h"
#include "goruntime/std.h"
#include "heap/handles.h"

namespace gort {

Word g_os_stdout = 0;
Word g_os_stderr = 0;

namespace {

// Roots a word in the global roots for the program's lifetime.
void Immortal(G* g, Word w) {
  gclab::Object** root = g->heap->NewGlobalRoot();
  g->m->WriteGlobal(root, gclab::ObjectStart(reinterpret_cast<Object*>(w)));
}

}  // namespace

Word ZeroBase() { return g_zerobase; }

Word StaticFunc(G* g, void* code) {
  Word w = NewHeapBytes(g, 8);
  std::memcpy(Addr(w), &code, sizeof(code));
  Immortal(g, w);
  return w;
}

Word NewGlobals(G* g, const Type* t) {
  Word w = NewHeap(g, t);
  Immortal(g, w);
  return w;
}

Word ImmortalBox(G* g, const Type* t, const void* v) {
  Word w = BoxHeap(g, t, v);
  Immortal(g, w);
  return w;
}

Word BoxHeap(G* g, const Type* t, const void* v) {
  gclab::HandleScope scope(g->m);
  for (int i = 0; i < t->nptrs; ++i)
    gclab::Local(g->m, reinterpret_cast<Object*>(WordAt(v, t->ptrs[i])));
  Word w = NewHeap(g, t);
  TypedMove(g, t, Addr(w), static_cast<const char*>(v), 1, nullptr);
  return w;
}

Word BoxString(G* g, absl::string_view s) {
  String str = NewString(g, s);
  return BoxHeap(g, &kTypeString, &str);
}

Slice AppendSlice(G* g, Slice s, Slice t, const Type* elem) {
  if (t.len == 0) return s;
  const int64_t n = s.len + t.len;
  if (n > s.cap) {
    gclab::HandleScope scope(g->m);
    gclab::Local root(g->m, reinterpret_cast<Object*>(t.ptr));
    s = GrowSlice(g, s, elem, n);
  } else {
    s.len = n;
  }
  TypedMove(g, elem, Addr(s.ptr) + (n - t.len) * elem->size, Addr(t.ptr), t.len, nullptr);
  return s;
}

Slice AppendString(G* g, Slice s, String t) {
  if (t.len == 0) return s;
  const int64_t n = s.len + t.len;
  if (n > s.cap) {
    gclab::HandleScope scope(g->m);
    gclab::Local root(g->m, reinterpret_cast<Object*>(t.ptr));
    s = GrowSlice(g, s, &kTypeUint8, n);
  } else {
    s.len = n;
  }
  std::memcpy(Addr(s.ptr) + (n - t.len), Data(t), static_cast<size_t>(t.len));
  return s;
}

Word SliceToArrayPtr(G* g, Slice s, int64_t n, const Pos* pos) {
  if (s.len < n)
    PanicString(g,
                absl::StrCat("cannot convert slice with length ", s.len,
                             " to pointer to array with length ", n)
                    .c_str(),
                pos);
  return s.ptr == 0 && n == 0 ? 0 : s.ptr;
}

IFace ConvI2I(G* g, EFace x, const Type* iface) {
  if (x.type == nullptr) return IFace{};
  return AssertIFace(g, x, iface, nullptr, nullptr);
}

IFace ConvI2I(G* g, IFace x, const Type* iface) { return ConvI2I(g, ToEFace(x), iface); }

const gclab::TypeDescriptor* DeferDescriptor(const Type* args) {
  std::vector<uint32_t> ptrs;
  for (int i = 0; i < args->nptrs; ++i) ptrs.push_back(args->ptrs[i] + sizeof(DeferRecord));
  return gclab::MakeRecordTypeWithOffsets(
      "defer record", static_cast<uint32_t>(sizeof(DeferRecord) + args->size), ptrs);
}

// print/println: the runtime's own formats (printint, printfloat, ...).
void BuiltinPrint(G* g, const PrintArg* args, int n, bool ln) {
  std::string out;
  for (int i = 0; i < n; ++i) {
    if (ln && i > 0) out += ' ';
    const Type* t = args[i].type;
    const void* v = args[i].value;
    switch (t->kind) {
      case Kind::kBool:
        out += *static_cast<const bool*>(v) ? "true" : "false";
        break;
      case Kind::kInt:
      case Kind::kInt64:
        absl::StrAppend(&out, *static_cast<const int64_t*>(v));
        break;
      case Kind::kInt32:
        absl::StrAppend(&out, *static_cast<const int32_t*>(v));
        break;
      case Kind::kInt16:
        absl::StrAppend(&out, *static_cast<const int16_t*>(v));
        break;
      case Kind::kInt8:
        absl::StrAppend(&out, *static_cast<const int8_t*>(v));
        break;
      case Kind::kUint:
      case Kind::kUint64:
      case Kind::kUintptr:
        absl::StrAppend(&out, *static_cast<const uint64_t*>(v));
        break;
      case Kind::kUint32:
        absl::StrAppend(&out, *static_cast<const uint32_t*>(v));
        break;
      case Kind::kUint16:
        absl::StrAppend(&out, *static_cast<const uint16_t*>(v));
        break;
      case Kind::kUint8:
        absl::StrAppend(&out, *static_cast<const uint8_t*>(v));
        break;
      case Kind::kFloat32:
      case Kind::kFloat64: {
        char buf[64];
        double d = t->kind == Kind::kFloat32 ? *static_cast<const float*>(v)
                                             : *static_cast<const double*>(v);
        if (d != d) {
          out += "NaN";
        } else if (d > 1e308 * 10) {
          out += "+Inf";
        } else if (d < -1e308 * 10) {
          out += "-Inf";
        } else {
          std::snprintf(buf, sizeof(buf), "%+.6e", d);
          // Go prints the exponent with at least 3 digits: +1.000000e+000.
          std::string s = buf;
          size_t e = s.find('e');
          std::string mant = s.substr(0, e + 2), exp = s.substr(e + 2);
          while (exp.size() < 3) exp = "0" + exp;
          out += mant + exp;
        }
        break;
      }
      case Kind::kString:
        absl::StrAppend(&out, View(*static_cast<const String*>(v)));
        break;
      case Kind::kInterface: {
        const EFace e = t->nmethods == 0 ? *static_cast<const EFace*>(v)
                                         : ToEFace(*static_cast<const IFace*>(v));
        char buf[64];
        std::snprintf(buf, sizeof(buf), "(%p,%p)", static_cast<const void*>(e.type),
                      static_cast<void*>(Addr(e.data)));
        out += buf;
        break;
      }
      default: {
        char buf[32];
        std::snprintf(buf, sizeof(buf), "%p",
                      static_cast<void*>(Addr(*static_cast<const Word*>(v))));
        out += buf;
      }
    }
  }
  if (ln) out += '\n';
  FlushStdout();
  WriteStderr(out.data(), out.size());
}

}  // namespace gort
