// Go types for the subset: basic types, named types, pointers, arrays,
// slices, maps, structs, interfaces and function signatures, plus the
// untyped constant kinds. Sizes and alignments follow amd64 (go 1.19).
#ifndef GCLAB_ESCAPE_TYPES_H_
#define GCLAB_ESCAPE_TYPES_H_

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace gclab::escape {

struct Obj;
struct Type;

enum class Kind {
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
  kUntypedBool,
  kUntypedInt,
  kUntypedRune,
  kUntypedFloat,
  kUntypedString,
  kUntypedNil,
  kPointer,
  kArray,
  kSlice,
  kMap,
  kStruct,
  kInterface,
  kFunc,
  kTuple,
  kNamed,
};

struct Field {
  std::string name;  // Empty for unnamed parameters/results.
  const Type* type = nullptr;
  bool embedded = false;
  Obj* obj = nullptr;  // Parameter object (signatures only).
};

struct Method {
  std::string name;
  const Type* sig = nullptr;  // Signature without the receiver.
  bool ptr_recv = false;
  struct Func* fn = nullptr;  // Declared method (named types only).
};

struct Type {
  Kind kind;
  const Type* elem = nullptr;   // pointer, array, slice, map value.
  const Type* key = nullptr;    // map key.
  int64_t len = 0;              // array length.
  std::vector<Field> fields;    // struct fields, tuple members, params.
  std::vector<Field> results;   // func results.
  bool variadic = false;        // func.
  std::vector<Method> methods;  // interface methods or named type methods.
  // Named types.
  std::string name;
  std::string pkg;  // "" for local and predeclared types.
  const Type* underlying = nullptr;

  explicit Type(Kind k) : kind(k) {}
};

// Returns the underlying type (identity for unnamed types).
const Type* Under(const Type* t);
bool IsInteger(const Type* t);
bool IsUnsigned(const Type* t);
bool IsFloat(const Type* t);
bool IsNumeric(const Type* t);
bool IsString(const Type* t);
bool IsBoolean(const Type* t);
bool IsUntyped(const Type* t);
bool IsInterface(const Type* t);
bool IsPointer(const Type* t);
bool IsSlice(const Type* t);
bool IsArray(const Type* t);
bool IsMap(const Type* t);
bool IsFunc(const Type* t);
bool IsStruct(const Type* t);
bool HasPointers(const Type* t);
// Pointer-shaped types are stored directly in an interface's data word.
bool IsDirectIface(const Type* t);
int64_t Size(const Type* t);
int64_t Align(const Type* t);
bool Identical(const Type* a, const Type* b);
// Go's spelling of the type, as used in compiler diagnostics.
std::string TypeString(const Type* t);
// The default type of an untyped constant kind.
const Type* DefaultType(const Type* t);

// Predeclared types (singletons).
struct Universe {
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
  const Type* string_t;
  const Type* byte_t;
  const Type* rune_t;
  const Type* untyped_bool;
  const Type* untyped_int;
  const Type* untyped_rune;
  const Type* untyped_float;
  const Type* untyped_string;
  const Type* untyped_nil;
  const Type* empty_iface;  // interface{}
  const Type* any_t;        // any (alias of interface{}, printed "any")
  const Type* error_t;      // error
};
const Universe& U();

// Owns types created during checking.
class TypeArena {
 public:
  Type* New(Kind k) {
    types_.push_back(std::make_unique<Type>(k));
    return types_.back().get();
  }
  const Type* Pointer(const Type* elem);
  const Type* Slice(const Type* elem);

 private:
  std::vector<std::unique_ptr<Type>> types_;
};

}  // namespace gclab::escape

#endif  // GCLAB_ESCAPE_TYPES_H_
