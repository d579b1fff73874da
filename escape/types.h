// Go types: basic types, named types (also local, generic instantiations and
// go 1.19's shape types), pointers, arrays, slices, maps, channels, structs,
// interfaces (also used as type constraints), signatures, tuples and type
// parameters, plus the untyped constant kinds. Sizes and alignments follow
// amd64 (go 1.19). Types are owned by a TypeArena (one per program); the
// predeclared types live in an immutable Universe shared by all programs.
#ifndef GCLAB_ESCAPE_TYPES_H_
#define GCLAB_ESCAPE_TYPES_H_

#include <cstdint>
#include <deque>
#include <memory>
#include <string>
#include <vector>

#include "escape/source.h"

namespace gclab::escape {

struct Func;
struct Obj;
struct Type;

enum class Kind {
  kInvalid,  // an erroneous or opaque type (never produced for valid input)
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
  kComplex64,
  kComplex128,
  kString,
  kUnsafePointer,
  kUntypedBool,
  kUntypedInt,
  kUntypedRune,
  kUntypedFloat,
  kUntypedComplex,
  kUntypedString,
  kUntypedNil,
  kPointer,
  kArray,
  kSlice,
  kMap,
  kChan,
  kStruct,
  kInterface,
  kFunc,
  kTuple,
  kNamed,
  kTypeParam,
};

enum class ChanDir { kBoth, kSend, kRecv };

struct Field {
  std::string name;  // empty for unnamed parameters/results
  const Type* type = nullptr;
  bool embedded = false;
  Obj* obj = nullptr;  // parameter/result object (signatures of declared functions)
  Pos pos;
};

struct Method {
  std::string name;
  const Type* sig = nullptr;  // signature without the receiver
  bool ptr_recv = false;
  Func* fn = nullptr;  // the declared method (named types only)
  Pos pos;
};

// One term of a constraint's type set: T or ~T.
struct TypeTerm {
  bool tilde = false;
  const Type* type = nullptr;
};

struct Type {
  explicit Type(Kind k) : kind(k) {}

  Kind kind;
  const Type* elem = nullptr;    // pointer, array, slice, map value, channel
  const Type* key = nullptr;     // map key
  int64_t len = 0;               // array length
  ChanDir dir = ChanDir::kBoth;  // channel
  std::vector<Field> fields;     // struct fields, tuple members, parameters
  std::vector<Field> results;    // function results
  bool variadic = false;         // function
  // Interfaces: all methods (embedded ones included), sorted by name.
  // Named types: the declared methods, in declaration order.
  std::vector<Method> methods;
  // Interfaces used as constraints: the union of terms (empty: no terms).
  std::vector<TypeTerm> terms;
  bool comparable = false;  // interface embeds "comparable"

  // Named types and type parameters.
  std::string name;
  std::string pkg;                       // package path; "" for the local package
  const Type* underlying = nullptr;      // named types; the constraint for type params
  Obj* obj = nullptr;                    // the type name object
  bool local = false;                    // declared inside a function
  bool shape = false;                    // go 1.19 shape type (go.shape.T_N)
  std::vector<const Type*> type_params;  // generic named types (uninstantiated)
  std::vector<const Type*> type_args;    // instantiated named types
  const Type* origin = nullptr;          // generic type of an instantiation
  int index = 0;                         // type parameters: position in the list
};

// Returns the underlying type (identity for unnamed types; the constraint
// interface for type parameters).
const Type* Under(const Type* t);
// The single underlying type of all types in a type parameter's type set,
// or nullptr (go's "core type"); Under(t) for other types.
const Type* CoreType(const Type* t);

bool IsInteger(const Type* t);
bool IsUnsigned(const Type* t);
bool IsFloat(const Type* t);
bool IsComplex(const Type* t);
bool IsNumeric(const Type* t);
bool IsString(const Type* t);
bool IsBoolean(const Type* t);
bool IsUntyped(const Type* t);
bool IsInterface(const Type* t);
bool IsPointer(const Type* t);
bool IsUnsafePointer(const Type* t);
bool IsUintptr(const Type* t);
bool IsSlice(const Type* t);
bool IsArray(const Type* t);
bool IsMap(const Type* t);
bool IsChan(const Type* t);
bool IsFunc(const Type* t);
bool IsStruct(const Type* t);
bool IsTypeParam(const Type* t);
bool IsInvalid(const Type* t);
// A named type of a package gclab does not model (import "net/http"):
// values of it can be declared, assigned and passed, nothing else.
bool IsOpaque(const Type* t);
// Pointer, slice, map, channel, function, interface or unsafe.Pointer.
bool IsNilable(const Type* t);
bool HasPointers(const Type* t);
// Pointer-shaped types are stored directly in an interface's data word.
bool IsDirectIface(const Type* t);
int64_t Size(const Type* t);
int64_t Align(const Type* t);
// Integer width in bits (8..64) of an integer basic type, 0 otherwise.
int IntBits(const Type* t);
bool Identical(const Type* a, const Type* b);
// Whether values of the type may be compared with == (spec "comparable").
bool Comparable(const Type* t);
// Go's spelling of the type, as used in compiler diagnostics.
std::string TypeString(const Type* t);
// The default type of an untyped constant kind.
const Type* DefaultType(const Type* t);
// Whether t contains a type parameter.
bool HasTypeParam(const Type* t);

// Field or method lookup through embedded fields (go/types'
// LookupFieldOrMethod): the shallowest unique match.
struct Selection {
  enum class Kind { kNone, kField, kMethod, kAmbiguous };
  Kind kind = Kind::kNone;
  // Embedded fields walked to reach the result: field index in the struct
  // at each step, and whether the embedded field is a pointer.
  std::vector<int> path;
  const Field* field = nullptr;
  int field_index = -1;
  const Method* method = nullptr;
  const Type* holder = nullptr;  // named or struct type holding field/method
  bool indirect = false;         // some embedded step was a pointer
};
// Looks `name` up in `t` (a named, struct or interface type, or a pointer to
// one).
Selection LookupFieldOrMethod(const Type* t, const std::string& name);

// Whether type t has method m (with identical signature); *pointer_only is
// set when t lacks it only because it has a pointer receiver.
bool HasMethod(const Type* t, const Method& m, bool* pointer_only);
// Whether t implements interface `iface` (methods only; type sets of
// constraints are checked with Satisfies).
bool Implements(const Type* t, const Type* iface);
// Whether t is in the type set of constraint `c` (methods and terms).
bool Satisfies(const Type* t, const Type* c);
// ":\n\tT does not implement I (missing method M)" or "".
std::string MissingMethod(const Type* t, const Type* iface);

// Predeclared types (singletons shared by all programs; immutable).
struct Universe {
  const Type* invalid;
  const Type* bool_t;
  const Type* int_t;
  const Type* int8_t_;
  const Type* int16_t_;
  const Type* int32_t_;
  const Type* int64_t_;
  const Type* uint_t;
  const Type* uint8_t_;
  const Type* uint16_t_;
  const Type* uint32_t_;
  const Type* uint64_t_;
  const Type* uintptr_t_;
  const Type* float32_t;
  const Type* float64_t;
  const Type* complex64_t;
  const Type* complex128_t;
  const Type* string_t;
  const Type* unsafe_pointer;
  const Type* byte_t;
  const Type* rune_t;
  const Type* untyped_bool;
  const Type* untyped_int;
  const Type* untyped_rune;
  const Type* untyped_float;
  const Type* untyped_complex;
  const Type* untyped_string;
  const Type* untyped_nil;
  const Type* empty_iface;   // interface{}
  const Type* any_t;         // any (alias of interface{}, printed "any")
  const Type* error_t;       // error
  const Type* comparable_t;  // comparable
};
const Universe& U();

// Owns the types created while checking one program.
class TypeArena {
 public:
  Type* New(Kind k);
  const Type* Pointer(const Type* elem);
  const Type* Slice(const Type* elem);
  const Type* Tuple(std::vector<const Type*> types);

 private:
  std::deque<Type> types_;
};

}  // namespace gclab::escape

#endif  // GCLAB_ESCAPE_TYPES_H_
