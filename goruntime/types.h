// Runtime type information of compiled Go programs (Go's *_type, itab):
// what fmt prints, what interfaces compare and hash, what maps and channels
// copy, and the gclab TypeDescriptors of heap values. gocompile emits one
// static Type per Go type a program needs; InitTypes() fills in the
// descriptors at startup.
#ifndef GCLAB_GORUNTIME_TYPES_H_
#define GCLAB_GORUNTIME_TYPES_H_

#include <cstdint>

#include "goruntime/gort.h"
#include "object/type_descriptor.h"

namespace gort {

enum class Kind : uint8_t {
  kBool,
  kInt,
  kInt8,
  kInt16,
  kInt32,
  kInt64,
  kUint,
  kUint8,
  kUint16,
  kUint32,
  kUint64,
  kUintptr,
  kFloat32,
  kFloat64,
  kString,
  kPointer,
  kSlice,
  kArray,
  kMap,
  kChan,
  kFunc,
  kStruct,
  kInterface,
};

struct FieldInfo {
  const char* name;
  const Type* type;
  uint32_t offset;
  bool embedded;
};

// A method of a type's method set, callable on an interface's data word:
// `R fn(G*, Word data, args...)`. For interface types, the interface's
// methods (fn null), sorted by name like the types' method sets.
struct MethodInfo {
  const char* name;
  const Type* sig;  // the method's function type, without the receiver
  void* fn;
};

struct Type {
  Kind kind;
  bool direct_iface;  // the value is stored in the interface data word itself
  bool comparable;    // == is defined (interfaces panic on the others)
  bool named;
  uint32_t size;
  uint32_t align;
  const char* name;     // Go's spelling, as %T prints it: "main.Point", "[]int"
  const char* pkgpath;  // named types: "main"; "" otherwise
  const Type* elem;     // pointer, slice, array, chan, map value
  const Type* key;      // map
  int64_t len;          // array
  int32_t chan_dir;     // 0 both, 1 send-only, 2 receive-only
  const FieldInfo* fields;
  int32_t nfields;
  const MethodInfo* methods;  // sorted by name
  int32_t nmethods;
  const uint32_t* ptrs;  // byte offsets of the pointer words of a value
  int32_t nptrs;
  const Type* const* in;  // function types
  int32_t nin;
  const Type* const* out;
  int32_t nout;
  bool variadic;
  // Filled by InitType: one value on the heap, and arrays of values.
  const gclab::TypeDescriptor* desc;
  const gclab::TypeDescriptor* adesc;
};

// An interface value's method table for one dynamic type.
struct Itab {
  const Type* iface;
  const Type* type;
  void* fun[1];  // one per interface method, in the interface's order
};
// Static itabs emitted by the compiler have their exact length.
template <int N>
struct ItabN {
  const Type* iface;
  const Type* type;
  void* fun[N];
};

// Creates the heap descriptors of `t` (idempotent; at startup).
void InitType(Type* t);

// The predeclared types (generated code refers to these, so every type has
// one Type object per program).
extern Type kTypeBool, kTypeInt, kTypeInt8, kTypeInt16, kTypeInt32, kTypeInt64, kTypeUint,
    kTypeUint8, kTypeUint16, kTypeUint32, kTypeUint64, kTypeUintptr, kTypeFloat32, kTypeFloat64,
    kTypeString, kTypeEmptyInterface, kTypeError;
// Types the runtime needs for its own values.
extern Type kTypeByteSlice, kTypeRuneSlice, kTypeStringSlice, kTypeEFaceSlice, kTypeFuncString;
inline const Type* ByteType() { return &kTypeUint8; }
inline const Type* RuneType() { return &kTypeInt32; }
inline const Type* StringType() { return &kTypeString; }
// Starts the runtime's own types (at startup).
void InitRuntimeTypes();

// ---- Values of dynamic type.
bool TypeEqual(const Type* t, const void* a, const void* b, G* g);  // panics if uncomparable
uint64_t TypeHash(const Type* t, const void* v, uint64_t seed, G* g);
bool EFaceEqual(G* g, EFace a, EFace b);
inline bool IFaceEqual(G* g, IFace a, IFace b) {
  return EFaceEqual(g, EFace{a.tab ? a.tab->type : nullptr, a.data},
                    EFace{b.tab ? b.tab->type : nullptr, b.data});
}
inline EFace ToEFace(IFace i) { return EFace{i.tab ? i.tab->type : nullptr, i.data}; }
// The address of an interface's value (the data word itself for
// direct-interface types).
inline const void* EFaceValue(const EFace& e) {
  return e.type->direct_iface ? static_cast<const void*>(&e.data) : Addr(e.data);
}

// ---- Conversions and assertions.
// The itab of dynamic type `t` for interface `iface`, or null if t does not
// implement it. Cached.
const Itab* FindItab(const Type* iface, const Type* t);
// x.(I) for an interface type I: ok false (comma-ok) or a panic naming the
// missing method.
IFace AssertIFace(G* g, EFace x, const Type* iface, bool* ok, const Pos* pos);
// x.(T) for a concrete type T failed: panics with Go's TypeAssertionError.
[[noreturn]] void PanicAssert(G* g, const Type* have, const Type* want, const Type* iface,
                              const Pos* pos);
// Boxes the value at `v` of type t into an interface data word (heap or
// stack per the site). Direct-interface values are returned as they are.
Word Box(G* g, Site* s, const Type* t, const void* v);
// The static box of a constant or small value (no allocation), or 0.
Word StaticBox(const Type* t, const void* v);

// ---- fmt support: the String() / Error() method of a dynamic type.
using StringMethod = String (*)(G*, Word);
StringMethod FindStringMethod(const Type* t, const char* name);

}  // namespace gort

#endif  // GCLAB_GORUNTIME_TYPES_H_
