#include "escape/types.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"

namespace gclab::escape {

const Type* Under(const Type* t) {
  while (t != nullptr && t->kind == Kind::kNamed) t = t->underlying;
  return t;
}

static Kind K(const Type* t) { return Under(t)->kind; }

bool IsInteger(const Type* t) {
  Kind k = K(t);
  return (k >= Kind::kInt && k <= Kind::kUintptr) || k == Kind::kUntypedInt ||
         k == Kind::kUntypedRune;
}
bool IsUnsigned(const Type* t) {
  Kind k = K(t);
  return k >= Kind::kUint && k <= Kind::kUintptr;
}
bool IsFloat(const Type* t) {
  Kind k = K(t);
  return k == Kind::kFloat32 || k == Kind::kFloat64 || k == Kind::kUntypedFloat;
}
bool IsNumeric(const Type* t) { return IsInteger(t) || IsFloat(t); }
bool IsString(const Type* t) {
  Kind k = K(t);
  return k == Kind::kString || k == Kind::kUntypedString;
}
bool IsBoolean(const Type* t) {
  Kind k = K(t);
  return k == Kind::kBool || k == Kind::kUntypedBool;
}
bool IsUntyped(const Type* t) {
  Kind k = t->kind;
  return k >= Kind::kUntypedBool && k <= Kind::kUntypedNil;
}
bool IsInterface(const Type* t) { return K(t) == Kind::kInterface; }
bool IsPointer(const Type* t) { return K(t) == Kind::kPointer; }
bool IsSlice(const Type* t) { return K(t) == Kind::kSlice; }
bool IsArray(const Type* t) { return K(t) == Kind::kArray; }
bool IsMap(const Type* t) { return K(t) == Kind::kMap; }
bool IsFunc(const Type* t) { return K(t) == Kind::kFunc; }
bool IsStruct(const Type* t) { return K(t) == Kind::kStruct; }

bool HasPointers(const Type* t) {
  t = Under(t);
  switch (t->kind) {
    case Kind::kString:
    case Kind::kUntypedString:
    case Kind::kPointer:
    case Kind::kSlice:
    case Kind::kMap:
    case Kind::kInterface:
    case Kind::kFunc:
    case Kind::kUntypedNil:
      return true;
    case Kind::kArray:
      return t->len > 0 && HasPointers(t->elem);
    case Kind::kStruct:
      for (const Field& f : t->fields)
        if (HasPointers(f.type)) return true;
      return false;
    case Kind::kTuple:
      for (const Field& f : t->fields)
        if (HasPointers(f.type)) return true;
      return false;
    default:
      return false;
  }
}

bool IsDirectIface(const Type* t) {
  t = Under(t);
  switch (t->kind) {
    case Kind::kPointer:
    case Kind::kMap:
    case Kind::kFunc:
      return true;
    case Kind::kArray:
      return t->len == 1 && IsDirectIface(t->elem);
    case Kind::kStruct:
      return t->fields.size() == 1 && IsDirectIface(t->fields[0].type);
    default:
      return false;
  }
}

int64_t Align(const Type* t) {
  t = Under(t);
  switch (t->kind) {
    case Kind::kBool:
    case Kind::kInt8:
    case Kind::kUint8:
      return 1;
    case Kind::kInt16:
    case Kind::kUint16:
      return 2;
    case Kind::kInt32:
    case Kind::kUint32:
    case Kind::kFloat32:
      return 4;
    case Kind::kArray:
      return Align(t->elem);
    case Kind::kStruct: {
      int64_t a = 1;
      for (const Field& f : t->fields) a = std::max(a, Align(f.type));
      return a;
    }
    default:
      return 8;
  }
}

int64_t Size(const Type* t) {
  t = Under(t);
  switch (t->kind) {
    case Kind::kBool:
    case Kind::kInt8:
    case Kind::kUint8:
      return 1;
    case Kind::kInt16:
    case Kind::kUint16:
      return 2;
    case Kind::kInt32:
    case Kind::kUint32:
    case Kind::kFloat32:
      return 4;
    case Kind::kString:
    case Kind::kInterface:
      return 16;
    case Kind::kSlice:
      return 24;
    case Kind::kArray: {
      int64_t e = Size(t->elem);
      if (e != 0 && t->len > (int64_t{1} << 50) / e) return int64_t{1} << 50;
      return e * t->len;
    }
    case Kind::kStruct: {
      int64_t off = 0, maxa = 1;
      for (const Field& f : t->fields) {
        int64_t a = Align(f.type);
        maxa = std::max(maxa, a);
        off = (off + a - 1) / a * a;
        off += Size(f.type);
      }
      // A trailing zero-size field gets one byte of padding.
      if (!t->fields.empty() && Size(t->fields.back().type) == 0 && off > 0) off++;
      return (off + maxa - 1) / maxa * maxa;
    }
    default:
      return 8;
  }
}

bool Identical(const Type* a, const Type* b) {
  if (a == b) return true;
  if (a == nullptr || b == nullptr) return false;
  if (a->kind == Kind::kNamed || b->kind == Kind::kNamed) return false;
  if (a->kind != b->kind) return false;
  if (a->kind < Kind::kPointer) return true;
  switch (a->kind) {
    case Kind::kPointer:
    case Kind::kSlice:
      return Identical(a->elem, b->elem);
    case Kind::kArray:
      return a->len == b->len && Identical(a->elem, b->elem);
    case Kind::kMap:
      return Identical(a->key, b->key) && Identical(a->elem, b->elem);
    case Kind::kStruct:
      if (a->fields.size() != b->fields.size()) return false;
      for (size_t i = 0; i < a->fields.size(); ++i)
        if (a->fields[i].name != b->fields[i].name ||
            a->fields[i].embedded != b->fields[i].embedded ||
            !Identical(a->fields[i].type, b->fields[i].type))
          return false;
      return true;
    case Kind::kInterface:
      if (a->methods.size() != b->methods.size()) return false;
      for (size_t i = 0; i < a->methods.size(); ++i)
        if (a->methods[i].name != b->methods[i].name ||
            !Identical(a->methods[i].sig, b->methods[i].sig))
          return false;
      return true;
    case Kind::kFunc:
      if (a->variadic != b->variadic || a->fields.size() != b->fields.size() ||
          a->results.size() != b->results.size())
        return false;
      for (size_t i = 0; i < a->fields.size(); ++i)
        if (!Identical(a->fields[i].type, b->fields[i].type)) return false;
      for (size_t i = 0; i < a->results.size(); ++i)
        if (!Identical(a->results[i].type, b->results[i].type)) return false;
      return true;
    default:
      return false;
  }
}

static std::string SigString(const Type* t) {
  std::vector<std::string> ps;
  for (size_t i = 0; i < t->fields.size(); ++i) {
    if (t->variadic && i + 1 == t->fields.size())
      ps.push_back("..." + TypeString(t->fields[i].type->elem));
    else
      ps.push_back(TypeString(t->fields[i].type));
  }
  std::string s = absl::StrCat("(", absl::StrJoin(ps, ", "), ")");
  if (t->results.size() == 1) {
    absl::StrAppend(&s, " ", TypeString(t->results[0].type));
  } else if (t->results.size() > 1) {
    std::vector<std::string> rs;
    for (const Field& f : t->results) rs.push_back(TypeString(f.type));
    absl::StrAppend(&s, " (", absl::StrJoin(rs, ", "), ")");
  }
  return s;
}

std::string TypeString(const Type* t) {
  if (t == nullptr) return "<nil>";
  if (t == U().any_t) return "any";
  switch (t->kind) {
    case Kind::kBool:
      return "bool";
    case Kind::kInt:
      return "int";
    case Kind::kInt8:
      return "int8";
    case Kind::kInt16:
      return "int16";
    case Kind::kInt32:
      return t->name == "rune" ? "rune" : "int32";
    case Kind::kInt64:
      return "int64";
    case Kind::kUint:
      return "uint";
    case Kind::kUint8:
      return t->name == "byte" ? "byte" : "uint8";
    case Kind::kUint16:
      return "uint16";
    case Kind::kUint32:
      return "uint32";
    case Kind::kUint64:
      return "uint64";
    case Kind::kUintptr:
      return "uintptr";
    case Kind::kFloat32:
      return "float32";
    case Kind::kFloat64:
      return "float64";
    case Kind::kString:
      return "string";
    case Kind::kUntypedBool:
      return "untyped bool";
    case Kind::kUntypedInt:
      return "untyped int";
    case Kind::kUntypedRune:
      return "untyped rune";
    case Kind::kUntypedFloat:
      return "untyped float";
    case Kind::kUntypedString:
      return "untyped string";
    case Kind::kUntypedNil:
      return "untyped nil";
    case Kind::kPointer:
      return "*" + TypeString(t->elem);
    case Kind::kSlice:
      return "[]" + TypeString(t->elem);
    case Kind::kArray:
      return absl::StrCat("[", t->len, "]", TypeString(t->elem));
    case Kind::kMap:
      return absl::StrCat("map[", TypeString(t->key), "]", TypeString(t->elem));
    case Kind::kStruct: {
      std::vector<std::string> fs;
      for (const Field& f : t->fields)
        fs.push_back(f.embedded ? TypeString(f.type)
                                : absl::StrCat(f.name, " ", TypeString(f.type)));
      if (fs.empty()) return "struct {}";
      return absl::StrCat("struct { ", absl::StrJoin(fs, "; "), " }");
    }
    case Kind::kInterface: {
      if (t->methods.empty()) return "interface {}";
      std::vector<std::string> ms;
      for (const Method& m : t->methods) ms.push_back(m.name + SigString(m.sig));
      return absl::StrCat("interface { ", absl::StrJoin(ms, "; "), " }");
    }
    case Kind::kFunc:
      return "func" + SigString(t);
    case Kind::kTuple: {
      std::vector<std::string> fs;
      for (const Field& f : t->fields) fs.push_back(TypeString(f.type));
      return absl::StrCat("(", absl::StrJoin(fs, ", "), ")");
    }
    case Kind::kNamed:
      return t->pkg.empty() ? t->name : absl::StrCat(t->pkg, ".", t->name);
  }
  return "?";
}

const Type* DefaultType(const Type* t) {
  switch (t->kind) {
    case Kind::kUntypedBool:
      return U().bool_t;
    case Kind::kUntypedInt:
      return U().int_t;
    case Kind::kUntypedRune:
      return U().int32_t_;
    case Kind::kUntypedFloat:
      return U().float64_t;
    case Kind::kUntypedString:
      return U().string_t;
    default:
      return t;
  }
}

const Universe& U() {
  static const Universe* u = [] {
    auto* u = new Universe;
    auto mk = [](Kind k, const char* name = "") {
      Type* t = new Type(k);
      t->name = name;
      return t;
    };
    u->bool_t = mk(Kind::kBool);
    u->int_t = mk(Kind::kInt);
    u->int8_t_ = mk(Kind::kInt8);
    u->int16_t_ = mk(Kind::kInt16);
    u->int32_t_ = mk(Kind::kInt32);
    u->int64_t_ = mk(Kind::kInt64);
    u->uint_t = mk(Kind::kUint);
    u->uint8_t_ = mk(Kind::kUint8);
    u->uint16_t_ = mk(Kind::kUint16);
    u->uint32_t_ = mk(Kind::kUint32);
    u->uint64_t_ = mk(Kind::kUint64);
    u->uintptr_t_ = mk(Kind::kUintptr);
    u->float32_t = mk(Kind::kFloat32);
    u->float64_t = mk(Kind::kFloat64);
    u->string_t = mk(Kind::kString);
    u->byte_t = mk(Kind::kUint8, "byte");
    u->rune_t = mk(Kind::kInt32, "rune");
    u->untyped_bool = mk(Kind::kUntypedBool);
    u->untyped_int = mk(Kind::kUntypedInt);
    u->untyped_rune = mk(Kind::kUntypedRune);
    u->untyped_float = mk(Kind::kUntypedFloat);
    u->untyped_string = mk(Kind::kUntypedString);
    u->untyped_nil = mk(Kind::kUntypedNil);
    u->empty_iface = mk(Kind::kInterface);
    u->any_t = mk(Kind::kInterface, "any");
    Type* err = mk(Kind::kNamed, "error");
    Type* eu = mk(Kind::kInterface);
    Type* sig = mk(Kind::kFunc);
    sig->results.push_back(Field{"", u->string_t});
    eu->methods.push_back(Method{"Error", sig, false, nullptr});
    err->underlying = eu;
    u->error_t = err;
    return u;
  }();
  return *u;
}

const Type* TypeArena::Pointer(const Type* elem) {
  Type* t = New(Kind::kPointer);
  t->elem = elem;
  return t;
}
const Type* TypeArena::Slice(const Type* elem) {
  Type* t = New(Kind::kSlice);
  t->elem = elem;
  return t;
}

}  // namespace gclab::escape
