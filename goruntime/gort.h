// gort: the runtime of Go programs compiled onto gclab's heap by gocompile
// (see docs/GOCOMPILE.md for the design). Generated code includes this one
// header and calls nothing else; everything here is either an inline fast
// path or a declaration of a slow path in goruntime/*.cc.
//
// Values. Go values keep Go's amd64 layout. A Go pointer is a slot word
// (object/object.h): the address of the value it points to in the low 48
// bits and, in the high 16, the distance back to its object's header, so
// that interior pointers (&s.f, &a[i], slices, strings) keep their object
// alive and collectors find it without any lookup. Mutators dereference
// `word & kInteriorAddressMask` (Addr). Strings are {ptr, len}, slices
// {ptr, len, cap}, interfaces {type or itab, data word}; maps, channels and
// func values are one pointer word.
//
// Goroutines and frames. Every compiled function takes the goroutine `G*`
// first. A function whose frame holds pointers pushes a frame record onto
// the goroutine's StackRegion (Frame<N>): N pointer words, scanned by the
// collectors like Go's stack maps. Pointer-typed locals live in C++
// variables and are mirrored into their frame words whenever they change,
// so every pointer live across a safepoint is a root; stores into the frame
// are plain (no write barrier, as Go's stack writes). Non-escaping
// allocations are objects in the same region, popped with the frame (or
// with a loop iteration, LoopScope). Safepoints: function entry, loop back
// edges, allocation, blocking operations.
//
// Escape decisions. Every allocation site carries the decision of each
// analysis (Site::stack_bits); the analysis is chosen at startup
// (--escape=all_heap|intraprocedural|go), so one binary serves every mode.
//
// Threads. A G belongs to one OS thread (a gclab mutator). Blocking
// operations park the mutator (gclab::ParkedScope) so collections never wait
// for a blocked goroutine.
#ifndef GCLAB_GORUNTIME_GORT_H_
#define GCLAB_GORUNTIME_GORT_H_

#include <cstdint>
#include <cstring>
#include <map>
#include <vector>

#include "heap/heap.h"
#include "heap/mutator.h"
#include "heap/stack_region.h"
#include "object/object.h"

#define GORT_LIKELY(x) __builtin_expect(!!(x), 1)
#define GORT_UNLIKELY(x) __builtin_expect(!!(x), 0)

namespace gort {

using gclab::Object;
using Word = uint64_t;  // a Go pointer: a slot word (see object/object.h)

struct Type;
struct Itab;
struct G;

// ---------------------------------------------------------------- values

struct String {
  Word ptr = 0;
  int64_t len = 0;
};
struct Slice {
  Word ptr = 0;
  int64_t len = 0;
  int64_t cap = 0;
};
// interface{} (and any interface without methods).
struct EFace {
  const Type* type = nullptr;
  Word data = 0;
};
// An interface with methods: data's dynamic type is tab->type.
struct IFace {
  const Itab* tab = nullptr;
  Word data = 0;
};
// [N]T with N > 0 (C++ arrays are not assignable).
template <typename T, int64_t N>
struct Array {
  T v[N];
};
// Values of zero size (struct{}, [0]T): no storage in Go.
struct Empty {};
// The results of a function with several results.
template <typename A, typename B>
struct T2 {
  A r0;
  B r1;
};
template <typename A, typename B, typename C>
struct T3 {
  A r0;
  B r1;
  C r2;
};
template <typename A, typename B, typename C, typename D>
struct T4 {
  A r0;
  B r1;
  C r2;
  D r3;
};
template <typename A, typename B, typename C, typename D, typename E>
struct T5 {
  A r0;
  B r1;
  C r2;
  D r3;
  E r4;
};

// A source position for runtime errors and escape-check reports.
struct Pos {
  const char* func;  // "main.f", "main.(*T).M", "main.main.func1"
  const char* file;
  int line;
  int col;
};

// ---------------------------------------------------------------- pointers

inline char* Addr(Word w) { return reinterpret_cast<char*>(w & gclab::kInteriorAddressMask); }
// The pointer word at byte `off` of a value (frame mirrors).
inline Word WordAt(const void* v, size_t off) {
  Word w;
  std::memcpy(&w, static_cast<const char*>(v) + off, sizeof(w));
  return w;
}
// Reinterprets a value of 8 bytes (a pointer-shaped struct or array in an
// interface's data word).
template <typename To, typename From>
inline To BitCast(const From& v) {
  static_assert(sizeof(To) == sizeof(From));
  To t;
  std::memcpy(&t, &v, sizeof(t));
  return t;
}
// The word for an object's payload (a Go pointer to the object's value).
inline Word PayloadWord(Object* o) {
  return gclab::InteriorPointer(o, reinterpret_cast<uintptr_t>(o->payload()));
}
// &x.f / &a[i]: `delta` bytes further into the same object. Distances only
// grow (Go has no pointer arithmetic), so the tag grows with the address and
// saturates at the large-object tag.
inline Word Advance(Word w, uint64_t delta) {
  const uint64_t a = w & gclab::kInteriorAddressMask;
  uint64_t tag = w >> gclab::kInteriorTagShift;
  const uint64_t na = a + delta;
  if (tag != gclab::kLargeOffsetTag) {
    tag += (na >> 3) - (a >> 3);
    if (tag > gclab::kLargeOffsetTag) tag = gclab::kLargeOffsetTag;
  }
  return na | (tag << gclab::kInteriorTagShift);
}

[[noreturn]] void PanicNil(G* g, const Pos* pos);
// The address a non-nil pointer refers to; panics for nil (Go's nil check).
inline char* Deref(G* g, Word w, const Pos* pos) {
  if (GORT_UNLIKELY(w == 0)) PanicNil(g, pos);
  return Addr(w);
}

// &p.f: a pointer `delta` bytes into *p, with p's nil check.
inline Word FieldPtr(G* g, Word p, uint64_t delta, const Pos* pos) {
  if (GORT_UNLIKELY(p == 0)) PanicNil(g, pos);
  return Advance(p, delta);
}

// ---------------------------------------------------------------- sites

// One allocation site of the program, with the decision of every analysis.
enum EscapeMode : uint8_t { kAllHeap = 0, kIntraprocedural = 1, kGoEscape = 2 };
struct Site {
  uint8_t stack_bits;  // bit m set: stack under escape mode m
  const char* pos;     // "file.go:12:7"
  const char* what;    // Go's spelling: "&Node{...}", "x", "make([]int, n)"
  const Type* type;    // what one allocation holds (element type for arrays)
  // Filled at startup: the descriptor of this site's stack objects (named
  // after the site, so reports can name it).
  const gclab::TypeDescriptor* stack_desc;
  const gclab::TypeDescriptor* stack_adesc;
  uint64_t stack_count;  // escape checks only
};
// 1 << mode, set at startup.
extern uint8_t g_mode_bit;
inline bool OnStack(const Site* s) { return (s->stack_bits & g_mode_bit) != 0; }

// Escape soundness checks (verify mode): every pointer store and every
// scope exit checks that no stack object is referenced from the heap, a
// global, or a longer-lived scope. Set at startup.
extern bool g_checks;

// ---------------------------------------------------------------- goroutines

struct Panic;

// One goroutine (one mutator thread).
struct G {
  gclab::Mutator* m = nullptr;
  gclab::Heap* heap = nullptr;
  gclab::StackRegion* region = nullptr;
  const char* region_base = nullptr;
  uintptr_t stack_limit = 0;  // lowest native stack address compiled code may use
  int64_t id = 0;
  // Set by the defer machinery right before it calls a deferred function
  // (recover is valid there); read and cleared by functions that call
  // recover, cleared by every other function of programs that use it.
  bool defer_direct = false;
  Panic* panic = nullptr;  // innermost active panic
  // The panic whose deferred calls are running (recover works for it).
  Panic* running_defers_for = nullptr;
  // Escape checks: region offsets where the live frames and loop scopes
  // begin, innermost last.
  std::vector<size_t> scopes;
  // Escape checks: the type of the last object popped at each region
  // address, to name the site of a pointer that outlived its frame.
  std::map<const char*, const gclab::TypeDescriptor*> popped;
};

[[noreturn]] void StackOverflow(G* g);

// The native stack check of every function prologue (Go's morestack check).
inline void CheckStack(G* g) {
  uintptr_t sp;
  asm("mov %%rsp, %0" : "=r"(sp));
  if (GORT_UNLIKELY(sp < g->stack_limit)) StackOverflow(g);
}

inline void Poll(G* g) { g->m->Poll(); }

void PushScopeChecked(G* g, size_t start);
void PopScopeChecked(G* g, size_t start, size_t end, const char* what);

// A function's frame record: N pointer words in the goroutine's stack
// region, popped (with every stack object the function allocated) when the
// function returns or unwinds. N == 0: no record, the scope only.
template <int N>
class Frame {
 public:
  Frame(G* g, const gclab::TypeDescriptor* desc) : g_(g), saved_(g->region->top()) {
    if constexpr (N > 0) {
      constexpr size_t kSize = gclab::kHeaderSize + 8 * N;
      void* cell = g->region->Allocate(kSize);
      if (GORT_UNLIKELY(cell == nullptr)) StackOverflow(g);
      Object* o = gclab::InitializeObject(cell, desc, kSize, /*epoch=*/0,
                                          gclab::ObjectHeader::kStackAllocated);
      w = reinterpret_cast<Word*>(o->payload());
    }
    if (GORT_UNLIKELY(g_checks)) PushScopeChecked(g, saved_);
  }
  ~Frame() {
    if (GORT_UNLIKELY(g_checks)) PopScopeChecked(g_, saved_, g_->region->top(), "frame");
    g_->region->Reset(saved_);
  }
  Frame(const Frame&) = delete;
  Frame& operator=(const Frame&) = delete;

  Word* w = nullptr;

 private:
  G* g_;
  size_t saved_;
};

// One loop iteration's stack objects: popped at the end of the iteration
// (Go's escape analysis puts an allocation on the stack only if it does not
// outlive the loop iteration that made it). `slots`..`slots + n` are the
// frame words of the variables and temporaries declared in the iteration,
// cleared with it when checking.
class LoopScope {
 public:
  LoopScope(G* g, Word* slots, int n) : g_(g), saved_(g->region->top()), slots_(slots), n_(n) {
    if (GORT_UNLIKELY(g_checks)) PushScopeChecked(g, saved_);
  }
  ~LoopScope() {
    if (GORT_UNLIKELY(g_checks)) {
      if (n_ > 0) std::memset(slots_, 0, sizeof(Word) * n_);
      PopScopeChecked(g_, saved_, g_->region->top(), "loop iteration");
    }
    g_->region->Reset(saved_);
  }
  LoopScope(const LoopScope&) = delete;
  LoopScope& operator=(const LoopScope&) = delete;

 private:
  G* g_;
  size_t saved_;
  Word* slots_;
  int n_;
};

// ---------------------------------------------------------------- stores

void StorePtrSlow(G* g, Word* slot, Word v, const Pos* pos);
// A pointer store that is not a store into the current frame: into a heap
// object, a global, or through a pointer (which may lead to a stack object).
// Runs the collector's write barrier while barriers are on.
inline void StorePtr(G* g, Word* slot, Word v, const Pos* pos) {
  if (GORT_UNLIKELY(g->heap->write_barrier_enabled() | g_checks)) {
    StorePtrSlow(g, slot, v, pos);
    return;
  }
  __atomic_store_n(slot, v, __ATOMIC_RELEASE);
}
inline void StoreString(G* g, String* dst, String v, const Pos* pos) {
  StorePtr(g, &dst->ptr, v.ptr, pos);
  dst->len = v.len;
}
inline void StoreSlice(G* g, Slice* dst, Slice v, const Pos* pos) {
  StorePtr(g, &dst->ptr, v.ptr, pos);
  dst->len = v.len;
  dst->cap = v.cap;
}
inline void StoreEFace(G* g, EFace* dst, EFace v, const Pos* pos) {
  dst->type = v.type;
  StorePtr(g, &dst->data, v.data, pos);
}
inline void StoreIFace(G* g, IFace* dst, IFace v, const Pos* pos) {
  dst->tab = v.tab;
  StorePtr(g, &dst->data, v.data, pos);
}
// Escape checks of a value stored into the frame (verify mode): a pointer
// into a popped part of the stack region outlived its scope.
void CheckFrameValue(G* g, Word v, const Pos* pos);
inline void MirrorCheck(G* g, Word v, const Pos* pos) {
  if (GORT_UNLIKELY(g_checks)) CheckFrameValue(g, v, pos);
}

// ---------------------------------------------------------------- allocation

// Allocates one zeroed value of s->type where the site's decision says:
// on the heap through the configured allocator, or in the goroutine's stack
// region (popped with the enclosing frame or loop iteration).
Word NewSlow(G* g, Site* s);
Word NewHeap(G* g, const Type* t);
Word NewStack(G* g, Site* s);
inline Word New(G* g, Site* s) {
  if (OnStack(s)) return NewStack(g, s);
  return NewHeap(g, s->type);
}
// A zeroed array of n values of s->type (the backing store of a slice),
// where the site's decision says.
Word NewArray(G* g, Site* s, int64_t n);
// Heap arrays for the runtime (append growth, map tables, strings).
Word NewHeapArray(G* g, const Type* elem, int64_t n);
Word NewHeapBytes(G* g, int64_t n);
Slice MakeSlice(G* g, Site* s, int64_t len, int64_t cap, const Pos* pos);
// The address of every zero-size value (Go's zerobase; 1 KiB of zeros).
Word ZeroBase();
// Immortal objects made at startup: a top-level function's func value, the
// globals, constant interface boxes.
Word StaticFunc(G* g, void* code);
Word NewGlobals(G* g, const Type* t);
Word ImmortalBox(G* g, const Type* t, const void* v);

// ---------------------------------------------------------------- panics

// Go's boundsError codes (runtime/error.go).
enum BoundsCode : int {
  kBoundsIndex,
  kBoundsSliceAlen,
  kBoundsSliceAcap,
  kBoundsSliceB,
  kBoundsSlice3Alen,
  kBoundsSlice3Acap,
  kBoundsSlice3B,
  kBoundsSlice3C,
};
[[noreturn]] void PanicBounds(G* g, BoundsCode code, int64_t x, int64_t y, const Pos* pos);
[[noreturn]] void PanicDivide(G* g, const Pos* pos);
[[noreturn]] void PanicShift(G* g, const Pos* pos);
[[noreturn]] void PanicValue(G* g, EFace v, const Pos* pos);           // panic(v)
[[noreturn]] void PanicString(G* g, const char* msg, const Pos* pos);  // runtime error
[[noreturn]] void Throw(G* g, const char* msg);                        // fatal error, exit 2

inline void CheckIndex(G* g, int64_t i, int64_t len, const Pos* pos) {
  if (GORT_UNLIKELY(static_cast<uint64_t>(i) >= static_cast<uint64_t>(len)))
    PanicBounds(g, kBoundsIndex, i, len, pos);
}
// A checked array index.
template <typename I>
inline int64_t Idx(G* g, I i, int64_t len, const Pos* pos) {
  CheckIndex(g, static_cast<int64_t>(i), len, pos);
  return static_cast<int64_t>(i);
}

// Integer division and remainder with Go's semantics (panic on zero; the
// most negative value divided by -1 wraps).
template <typename T>
inline T Div(G* g, T x, T y, const Pos* pos) {
  if (GORT_UNLIKELY(y == 0)) PanicDivide(g, pos);
  if constexpr (static_cast<T>(-1) < 0) {
    if (GORT_UNLIKELY(y == -1)) return static_cast<T>(0 - static_cast<std::make_unsigned_t<T>>(x));
  }
  return x / y;
}
template <typename T>
inline T Rem(G* g, T x, T y, const Pos* pos) {
  if (GORT_UNLIKELY(y == 0)) PanicDivide(g, pos);
  if constexpr (static_cast<T>(-1) < 0) {
    if (GORT_UNLIKELY(y == -1)) return 0;
  }
  return x % y;
}
// Shifts: counts >= the width give 0 (or the sign for >> of signed values);
// a negative signed count panics.
template <typename T, typename S>
inline T Shl(G* g, T x, S s, const Pos* pos) {
  if constexpr (static_cast<S>(-1) < 0) {
    if (GORT_UNLIKELY(s < 0)) PanicShift(g, pos);
  }
  if (static_cast<uint64_t>(s) >= sizeof(T) * 8) return 0;
  return static_cast<T>(static_cast<std::make_unsigned_t<T>>(x) << s);
}
template <typename T, typename S>
inline T Shr(G* g, T x, S s, const Pos* pos) {
  if constexpr (static_cast<S>(-1) < 0) {
    if (GORT_UNLIKELY(s < 0)) PanicShift(g, pos);
  }
  if (static_cast<uint64_t>(s) >= sizeof(T) * 8) {
    if constexpr (static_cast<T>(-1) < 0) return x < 0 ? -1 : 0;
    return 0;
  }
  return x >> s;
}
// float -> integer conversion with amd64's result for values out of range
// (CVTTSD2SI: the "integer indefinite" value), never undefined behaviour.
template <typename T, typename F>
inline T FloatToInt(F f) {
  if constexpr (sizeof(T) == 8 && static_cast<T>(-1) > 0) {
    // Go's amd64 uint64 conversion: values >= 2^63 subtract 2^63 first.
    if (!(f == f)) return T{0x8000000000000000u};
    if (f < 9223372036854775808.0) {
      if (f <= -9223372036854775809.0) return T{0x8000000000000000u};
      return static_cast<T>(static_cast<int64_t>(f));
    }
    F r = f - static_cast<F>(9223372036854775808.0);
    if (r >= 9223372036854775808.0) return T{0x8000000000000000u};
    return static_cast<T>(static_cast<int64_t>(r)) ^ T { 0x8000000000000000u };
  } else {
    if (!(f == f) || f >= 9223372036854775808.0 || f <= -9223372036854775809.0)
      return static_cast<T>(INT64_MIN);
    return static_cast<T>(static_cast<int64_t>(f));
  }
}

// ---------------------------------------------------------------- strings

inline const char* Data(String s) { return Addr(s.ptr); }
bool StringEqualSlow(String a, String b);
inline bool StringEqual(String a, String b) {
  if (a.len != b.len) return false;
  if (a.ptr == b.ptr) return true;
  return StringEqualSlow(a, b);
}
int StringCompare(String a, String b);  // -1, 0, 1 (bytewise)
// String literals live in one immortal heap object made at startup.
extern Word g_literals;
inline String Literal(int64_t offset, int64_t len) {
  if (len == 0) return String{};
  return String{Advance(g_literals, static_cast<uint64_t>(offset)), len};
}
String Concat(G* g, Site* s, const String* parts, int n);
inline uint8_t StringIndex(G* g, String s, int64_t i, const Pos* pos) {
  CheckIndex(g, i, s.len, pos);
  return static_cast<uint8_t>(Data(s)[i]);
}
// s[lo:hi] (the pointer does not move past the end for an empty result).
inline String Substring(G* g, String s, int64_t lo, int64_t hi, const Pos* pos) {
  if (GORT_UNLIKELY(static_cast<uint64_t>(hi) > static_cast<uint64_t>(s.len)))
    PanicBounds(g, kBoundsSliceAlen, hi, s.len, pos);
  if (GORT_UNLIKELY(static_cast<uint64_t>(lo) > static_cast<uint64_t>(hi)))
    PanicBounds(g, kBoundsSliceB, lo, hi, pos);
  String r;
  r.len = hi - lo;
  r.ptr = r.len == 0 ? s.ptr : Advance(s.ptr, static_cast<uint64_t>(lo));
  return r;
}
String BytesToString(G* g, Site* s, Slice b);
String RunesToString(G* g, Site* s, Slice r);
String RuneToString(G* g, Site* s, int64_t r);
Slice StringToBytes(G* g, Site* s, String str);
Slice StringToRunes(G* g, Site* s, String str);
// for i, r := range s: decodes the rune at s[i]; returns the next index.
int64_t DecodeRune(String s, int64_t i, int32_t* r);
String MakeString(G* g, const char* data, int64_t len);  // heap copy (runtime use)

// ---------------------------------------------------------------- slices

// s[lo:hi:max] of a slice or of an array (ptr, cap = its length) with
// elements of `es` bytes; `three`: the 3-index form. Bounds are checked in
// Go's order and reported with Go's messages.
inline Slice SliceOf(G* g, Word ptr, int64_t cap, int64_t lo, int64_t hi, int64_t max, bool three,
                     int64_t es, const Pos* pos) {
  if (three) {
    if (GORT_UNLIKELY(static_cast<uint64_t>(max) > static_cast<uint64_t>(cap)))
      PanicBounds(g, kBoundsSlice3Acap, max, cap, pos);
    if (GORT_UNLIKELY(static_cast<uint64_t>(hi) > static_cast<uint64_t>(max)))
      PanicBounds(g, kBoundsSlice3B, hi, max, pos);
    if (GORT_UNLIKELY(static_cast<uint64_t>(lo) > static_cast<uint64_t>(hi)))
      PanicBounds(g, kBoundsSlice3C, lo, hi, pos);
  } else {
    if (GORT_UNLIKELY(static_cast<uint64_t>(hi) > static_cast<uint64_t>(cap)))
      PanicBounds(g, kBoundsSliceAcap, hi, cap, pos);
    if (GORT_UNLIKELY(static_cast<uint64_t>(lo) > static_cast<uint64_t>(hi)))
      PanicBounds(g, kBoundsSliceB, lo, hi, pos);
  }
  Slice r;
  r.len = hi - lo;
  r.cap = max - lo;
  r.ptr = r.cap == 0 ? ptr : Advance(ptr, static_cast<uint64_t>(lo * es));
  return r;
}
// append's growth: a slice with len `newlen` (> cap), old elements copied.
Slice GrowSlice(G* g, Slice s, const Type* elem, int64_t newlen);
int64_t Copy(G* g, Slice dst, Slice src, const Type* elem);
int64_t CopyString(G* g, Slice dst, String src);
// Element-wise store of n values of `elem` from src to dst (barriers for the
// pointer words); memmove semantics.
void TypedMove(G* g, const Type* elem, char* dst, const char* src, int64_t n, const Pos* pos);

template <typename T>
inline T* SliceData(Slice s) {
  return reinterpret_cast<T*>(Addr(s.ptr));
}
template <typename T>
inline T* SliceElem(G* g, Slice s, int64_t i, const Pos* pos) {
  CheckIndex(g, i, s.len, pos);
  return reinterpret_cast<T*>(Addr(s.ptr)) + i;
}
// &s[i] as a Go pointer.
inline Word SliceElemPtr(G* g, Slice s, int64_t i, int64_t elem_size, const Pos* pos) {
  CheckIndex(g, i, s.len, pos);
  return Advance(s.ptr, static_cast<uint64_t>(i) * elem_size);
}

// append(s, t...) and append(b, str...).
Slice AppendSlice(G* g, Slice s, Slice t, const Type* elem);
Slice AppendString(G* g, Slice s, String t);
// (*[N]T)(s)
Word SliceToArrayPtr(G* g, Slice s, int64_t n, const Pos* pos);

}  // namespace gort

#endif  // GCLAB_GORUNTIME_GORT_H_
