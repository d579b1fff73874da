// panic, recover, deferred calls, runtime errors and fatal errors.
#include <unistd.h>

#include <cinttypes>
#include <cstdio>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "goruntime/internal.h"

namespace gort {

std::atomic<int64_t> g_running_panics{0};
std::atomic<bool> g_dying{false};

// ---------------------------------------------------------------- runtime error types
//
// Values recover() returns for runtime errors: a heap String holding the
// whole Error() text, under the dynamic type Go gives it.

namespace {

String ErrorText(G* g, Word data) { return *reinterpret_cast<String*>(Addr(data)); }
void RuntimeErrorMarker(G* g, Word data) {}

constexpr uint32_t kPtr0[] = {0};
Type kTypeVoidFunc = [] {
  Type t{};
  t.kind = Kind::kFunc;
  t.direct_iface = true;
  t.size = 8;
  t.align = 8;
  t.name = "func()";
  t.pkgpath = "";
  t.ptrs = kPtr0;
  t.nptrs = 1;
  return t;
}();
const MethodInfo kRuntimeErrorMethods[] = {
    {"Error", &kTypeFuncString, reinterpret_cast<void*>(&ErrorText)},
    {"RuntimeError", &kTypeVoidFunc, reinterpret_cast<void*>(&RuntimeErrorMarker)},
};

Type RuntimeErrorType(const char* name, bool pointer) {
  Type t{};
  t.kind = pointer ? Kind::kPointer : Kind::kString;
  t.direct_iface = pointer;
  t.comparable = true;
  t.named = !pointer;
  t.size = pointer ? 8 : 16;
  t.align = 8;
  t.name = name;
  t.pkgpath = "runtime";
  t.ptrs = kPtr0;
  t.nptrs = 1;
  t.methods = kRuntimeErrorMethods;
  t.nmethods = 2;
  return t;
}

// Boxes hold a String (the message) for all of them; for the pointer type
// the interface holds the pointer to it.
Type kTypeErrorString = RuntimeErrorType("runtime.errorString", false);
Type kTypePlainError = RuntimeErrorType("runtime.plainError", false);
Type kTypeBoundsError = RuntimeErrorType("runtime.boundsError", false);
Type kTypeTypeAssertionError = RuntimeErrorType("*runtime.TypeAssertionError", true);

EFace ErrorValue(G* g, Type* t, absl::string_view msg) {
  InitType(t);
  return EFace{t, BoxString(g, msg)};
}

[[noreturn]] void Raise(G* g, EFace v, const Pos* pos) {
  g_running_panics.fetch_add(1);
  Panic* p = new Panic;
  p->value = v;
  p->pos = pos;
  p->link = g->panic;
  p->root_index = g->m->shadow_stack().size();
  g->m->shadow_stack().Push(reinterpret_cast<Object*>(v.data));
  g->panic = p;
  throw PanicUnwind{};
}

[[noreturn]] void RuntimeError(G* g, Type* t, absl::string_view msg, const Pos* pos) {
  Raise(g, ErrorValue(g, t, msg), pos);
}

}  // namespace

EFace RuntimeErrorValue(G* g, absl::string_view msg, bool bounds) {
  return ErrorValue(g, bounds ? &kTypeBoundsError : &kTypeErrorString, msg);
}

// ---------------------------------------------------------------- panics

void PanicValue(G* g, EFace v, const Pos* pos) { Raise(g, v, pos); }

void PanicString(G* g, const char* msg, const Pos* pos) {
  RuntimeError(g, &kTypeErrorString, absl::StrCat("runtime error: ", msg), pos);
}

void PanicGoString(G* g, absl::string_view msg, const Pos* pos) {
  Raise(g, EFace{&kTypeString, BoxString(g, msg)}, pos);
}

void AbortPanic(G* g) {
  Panic* p = g->panic;
  if (p == nullptr) return;
  g_running_panics.fetch_sub(1);
  g->panic = p->link;
  g->m->shadow_stack().Truncate(p->root_index);
  delete p;
}

void PanicPlain(G* g, const char* msg, const Pos* pos) {
  RuntimeError(g, &kTypePlainError, msg, pos);
}

void PanicNil(G* g, const Pos* pos) {
  PanicString(g, "invalid memory address or nil pointer dereference", pos);
}

// Go's boundsErrorFmt / boundsNegErrorFmt.
void PanicBounds(G* g, BoundsCode code, int64_t x, int64_t y, const Pos* pos) {
  static const char* const kFmt[] = {
      "index out of range [%x] with length %y",
      "slice bounds out of range [:%x] with length %y",
      "slice bounds out of range [:%x] with capacity %y",
      "slice bounds out of range [%x:%y]",
      "slice bounds out of range [::%x] with length %y",
      "slice bounds out of range [::%x] with capacity %y",
      "slice bounds out of range [:%x:%y]",
      "slice bounds out of range [%x:%y:]",
  };
  static const char* const kNegFmt[] = {
      "index out of range [%x]",          "slice bounds out of range [:%x]",
      "slice bounds out of range [:%x]",  "slice bounds out of range [%x:]",
      "slice bounds out of range [::%x]", "slice bounds out of range [::%x]",
      "slice bounds out of range [:%x:]", "slice bounds out of range [%x::]",
  };
  std::string m = "runtime error: ";
  for (const char* p = (x < 0 ? kNegFmt : kFmt)[code]; *p != '\0'; ++p) {
    if (p[0] == '%' && p[1] == 'x') {
      absl::StrAppend(&m, x);
      ++p;
    } else if (p[0] == '%' && p[1] == 'y') {
      absl::StrAppend(&m, y);
      ++p;
    } else {
      m.push_back(*p);
    }
  }
  RuntimeError(g, &kTypeBoundsError, m, pos);
}

void PanicDivide(G* g, const Pos* pos) { PanicString(g, "integer divide by zero", pos); }

void PanicShift(G* g, const Pos* pos) { PanicString(g, "negative shift amount", pos); }

void PanicAssert(G* g, const Type* have, const Type* want, const Type* iface, const Pos* pos) {
  const char* in = iface != nullptr ? iface->name : "interface {}";
  std::string m =
      have == nullptr
          ? absl::StrCat("interface conversion: ", in, " is nil, not ", want->name)
          : absl::StrCat("interface conversion: ", in, " is ", have->name, ", not ", want->name);
  RuntimeError(g, &kTypeTypeAssertionError, m, pos);
}

// ---------------------------------------------------------------- defer / recover

char* DeferList::Push(G* g, void (*code)(G*, char*), const gclab::TypeDescriptor* desc,
                      size_t args_size) {
  const size_t size = gclab::AlignUp(gclab::kHeaderSize + sizeof(DeferRecord) + args_size, 8);
  void* cell = g->region->Allocate(size);
  if (cell == nullptr) StackOverflow(g);
  Object* o = gclab::InitializeObject(cell, desc, size, 0, gclab::ObjectHeader::kStackAllocated);
  auto* d = reinterpret_cast<DeferRecord*>(o->payload());
  d->code = code;
  d->next = head;
  head = d;
  return reinterpret_cast<char*>(d + 1);
}

namespace {

// Ends the recovered panic (and the panics it aborted).
void FinishRecovery(G* g) {
  size_t root = g->panic->root_index;
  Panic* p = g->panic;
  g->panic = p->link;
  delete p;
  g_running_panics.fetch_sub(1);
  while (g->panic != nullptr && g->panic->aborted) {
    Panic* q = g->panic;
    root = q->root_index;
    g->panic = q->link;
    delete q;
    g_running_panics.fetch_sub(1);
  }
  g->m->shadow_stack().Truncate(root);
}

}  // namespace

bool RunDefers(G* g, DeferList* list, bool panicking) {
  while (DeferRecord* d = list->head) {
    list->head = d->next;
    Panic* for_panic = panicking ? g->panic : nullptr;
    Panic* saved = g->running_defers_for;
    g->running_defers_for = for_panic;
    try {
      g->defer_direct = true;
      d->code(g, reinterpret_cast<char*>(d + 1));
      g->defer_direct = false;
    } catch (const PanicUnwind&) {
      // A new panic left the deferred call: it aborts the one we ran for.
      g->defer_direct = false;
      g->running_defers_for = saved;
      if (for_panic != nullptr && for_panic != g->panic) for_panic->aborted = true;
      panicking = true;
      continue;
    }
    g->running_defers_for = saved;
    if (panicking && g->panic->recovered) {
      FinishRecovery(g);
      panicking = false;
    }
  }
  return !panicking;
}

EFace Recover(G* g, bool can_recover) {
  Panic* p = g->panic;
  if (!can_recover || p == nullptr || p->recovered || g->running_defers_for != p) return EFace{};
  p->recovered = true;
  return p->value;
}

// ---------------------------------------------------------------- reports

std::string PanicValueString(G* g, EFace v) {
  if (v.type == nullptr) return "nil";
  if (StringMethod m = FindStringMethod(v.type, "Error")) return ToStd(m(g, v.data));
  if (StringMethod m = FindStringMethod(v.type, "String")) return ToStd(m(g, v.data));
  const void* p = EFaceValue(v);
  std::string s;
  switch (v.type->kind) {
    case Kind::kBool:
      s = *static_cast<const bool*>(p) ? "true" : "false";
      break;
    case Kind::kInt:
    case Kind::kInt64:
      s = absl::StrCat(*static_cast<const int64_t*>(p));
      break;
    case Kind::kInt32:
      s = absl::StrCat(*static_cast<const int32_t*>(p));
      break;
    case Kind::kInt16:
      s = absl::StrCat(*static_cast<const int16_t*>(p));
      break;
    case Kind::kInt8:
      s = absl::StrCat(*static_cast<const int8_t*>(p));
      break;
    case Kind::kUint:
    case Kind::kUint64:
    case Kind::kUintptr:
      s = absl::StrCat(*static_cast<const uint64_t*>(p));
      break;
    case Kind::kUint32:
      s = absl::StrCat(*static_cast<const uint32_t*>(p));
      break;
    case Kind::kUint16:
      s = absl::StrCat(*static_cast<const uint16_t*>(p));
      break;
    case Kind::kUint8:
      s = absl::StrCat(*static_cast<const uint8_t*>(p));
      break;
    case Kind::kFloat64:
    case Kind::kFloat32: {
      char buf[64];
      std::snprintf(buf, sizeof(buf), "%+e",
                    v.type->kind == Kind::kFloat64 ? *static_cast<const double*>(p)
                                                   : *static_cast<const float*>(p));
      s = buf;
      break;
    }
    case Kind::kString:
      s = ToStd(*static_cast<const String*>(p));
      break;
    default: {
      char buf[64];
      std::snprintf(buf, sizeof(buf), "(%s) %p", v.type->name, static_cast<const void*>(p));
      return buf;
    }
  }
  // print() of a value of a named type shows the type: main.T(5).
  if (v.type->named && v.type->kind != Kind::kString)
    return absl::StrCat(v.type->name, "(", s, ")");
  if (v.type->named) return absl::StrCat(v.type->name, "(\"", s, "\")");
  return s;
}

namespace {

void WriteTrace(G* g, const Pos* pos) {
  std::string t = absl::StrCat("\ngoroutine ", g->id, " [running]:\n");
  if (pos != nullptr) absl::StrAppend(&t, pos->func, "(...)\n\t", pos->file, ":", pos->line, "\n");
  WriteStderr(t.data(), t.size());
}

}  // namespace

void DiePanicking(G* g) {
  g_dying.store(true);
  FlushStdout();
  std::vector<Panic*> chain;
  for (Panic* p = g->panic; p != nullptr; p = p->link) chain.insert(chain.begin(), p);
  std::string out;
  for (size_t i = 0; i < chain.size(); ++i) {
    Panic* p = chain[i];
    absl::StrAppend(&out, i == 0 ? "" : "\t", "panic: ", PanicValueString(g, p->value));
    if (p->value.type == &kTypeErrorString || p->value.type == &kTypePlainError) {
      // printpanicval prints runtime errors' Error() as they are.
    }
    if (p->recovered) absl::StrAppend(&out, " [recovered]");
    absl::StrAppend(&out, "\n");
  }
  WriteStderr(out.data(), out.size());
  WriteTrace(g, g->panic != nullptr ? g->panic->pos : nullptr);
  ExitProcess(2);
}

void Throw(G* g, const char* msg) {
  FlushStdout();
  std::string out = absl::StrCat("fatal error: ", msg, "\n");
  WriteStderr(out.data(), out.size());
  if (g != nullptr) {
    std::string t = absl::StrCat("\ngoroutine ", g->id, " [running]:\n");
    WriteStderr(t.data(), t.size());
  }
  ExitProcess(2);
}

void StackOverflow(G* g) {
  FlushStdout();
  char buf[160];
  int n =
      std::snprintf(buf, sizeof(buf), "runtime: goroutine stack exceeds %" PRIu64 "-byte limit\n",
                    static_cast<uint64_t>(StackLimitBytes()));
  WriteStderr(buf, static_cast<size_t>(n));
  Throw(g, "stack overflow");
}

}  // namespace gort
