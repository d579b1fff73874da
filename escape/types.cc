#include "escape/types.h"

#include <algorithm>
#include <set>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"

namespace gclab::escape {

const Type* Under(const Type* t) {
  while (t != nullptr && (t->kind == Kind::kNamed || t->kind == Kind::kTypeParam)) {
    if (t->kind == Kind::kTypeParam) return t->underlying != nullptr ? Under(t->underlying) : t;
    t = t->underlying;
  }
  return t != nullptr ? t : U().invalid;
}

const Type* CoreType(const Type* t) {
  if (t == nullptr || t->kind != Kind::kTypeParam) return Under(t);
  const Type* c = t->underlying != nullptr ? Under(t->underlying) : nullptr;
  if (c == nullptr || c->kind != Kind::kInterface || c->terms.empty()) return nullptr;
  const Type* core = nullptr;
  for (const TypeTerm& term : c->terms) {
    const Type* u = Under(term.type);
    if (core == nullptr) {
      core = u;
    } else if (!Identical(core, u)) {
      return nullptr;
    }
  }
  return core;
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
bool IsComplex(const Type* t) {
  Kind k = K(t);
  return k == Kind::kComplex64 || k == Kind::kComplex128 || k == Kind::kUntypedComplex;
}
bool IsNumeric(const Type* t) { return IsInteger(t) || IsFloat(t) || IsComplex(t); }
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
bool IsInterface(const Type* t) { return t->kind != Kind::kTypeParam && K(t) == Kind::kInterface; }
bool IsPointer(const Type* t) { return K(t) == Kind::kPointer; }
bool IsUnsafePointer(const Type* t) { return K(t) == Kind::kUnsafePointer; }
bool IsUintptr(const Type* t) { return K(t) == Kind::kUintptr; }
bool IsSlice(const Type* t) { return K(t) == Kind::kSlice; }
bool IsArray(const Type* t) { return K(t) == Kind::kArray; }
bool IsMap(const Type* t) { return K(t) == Kind::kMap; }
bool IsChan(const Type* t) { return K(t) == Kind::kChan; }
bool IsFunc(const Type* t) { return K(t) == Kind::kFunc; }
bool IsStruct(const Type* t) { return K(t) == Kind::kStruct; }
bool IsTypeParam(const Type* t) { return t != nullptr && t->kind == Kind::kTypeParam; }
bool IsInvalid(const Type* t) { return t == nullptr || Under(t)->kind == Kind::kInvalid; }

bool IsOpaque(const Type* t) {
  return t != nullptr && t->kind == Kind::kNamed && !t->pkg.empty() && t->underlying != nullptr &&
         t->underlying->kind == Kind::kInvalid;
}

bool IsNilable(const Type* t) {
  switch (K(t)) {
    case Kind::kPointer:
    case Kind::kSlice:
    case Kind::kMap:
    case Kind::kChan:
    case Kind::kFunc:
    case Kind::kInterface:
    case Kind::kUnsafePointer:
    case Kind::kUntypedNil:
      return true;
    default:
      return false;
  }
}

bool HasPointers(const Type* t) {
  if (t->kind == Kind::kTypeParam) return true;
  t = Under(t);
  switch (t->kind) {
    case Kind::kString:
    case Kind::kUntypedString:
    case Kind::kPointer:
    case Kind::kUnsafePointer:
    case Kind::kSlice:
    case Kind::kMap:
    case Kind::kChan:
    case Kind::kInterface:
    case Kind::kFunc:
    case Kind::kUntypedNil:
    case Kind::kInvalid:
      return true;
    case Kind::kArray:
      return t->len > 0 && HasPointers(t->elem);
    case Kind::kStruct:
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
    case Kind::kUnsafePointer:
    case Kind::kMap:
    case Kind::kChan:
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
    case Kind::kComplex64:
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
  constexpr int64_t kHuge = int64_t{1} << 50;
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
    case Kind::kComplex128:
    case Kind::kString:
    case Kind::kInterface:
      return 16;
    case Kind::kSlice:
      return 24;
    case Kind::kArray: {
      int64_t e = Size(t->elem);
      if (e != 0 && t->len > kHuge / e) return kHuge;
      return e * t->len;
    }
    case Kind::kStruct: {
      int64_t off = 0, maxa = 1;
      for (const Field& f : t->fields) {
        int64_t a = Align(f.type);
        maxa = std::max(maxa, a);
        off = (off + a - 1) / a * a;
        off += Size(f.type);
        if (off > kHuge) return kHuge;
      }
      // A trailing zero-size field gets one byte of padding.
      if (!t->fields.empty() && Size(t->fields.back().type) == 0 && off > 0) off++;
      return (off + maxa - 1) / maxa * maxa;
    }
    case Kind::kTuple: {
      int64_t s = 0;
      for (const Field& f : t->fields) s += Size(f.type);
      return s;
    }
    default:
      return 8;  // int, uint, uintptr, float64, complex64, pointers, maps, chans, funcs
  }
}

int IntBits(const Type* t) {
  switch (K(t)) {
    case Kind::kInt8:
    case Kind::kUint8:
      return 8;
    case Kind::kInt16:
    case Kind::kUint16:
      return 16;
    case Kind::kInt32:
    case Kind::kUint32:
      return 32;
    case Kind::kInt:
    case Kind::kInt64:
    case Kind::kUint:
    case Kind::kUint64:
    case Kind::kUintptr:
      return 64;
    default:
      return 0;
  }
}

static bool IdenticalSig(const Type* a, const Type* b) {
  if (a->variadic != b->variadic || a->fields.size() != b->fields.size() ||
      a->results.size() != b->results.size())
    return false;
  for (size_t i = 0; i < a->fields.size(); ++i)
    if (!Identical(a->fields[i].type, b->fields[i].type)) return false;
  for (size_t i = 0; i < a->results.size(); ++i)
    if (!Identical(a->results[i].type, b->results[i].type)) return false;
  return true;
}

bool Identical(const Type* a, const Type* b) {
  if (a == b) return true;
  if (a == nullptr || b == nullptr) return false;
  // any is an alias of interface{}.
  if (a == U().any_t) a = U().empty_iface;
  if (b == U().any_t) b = U().empty_iface;
  if (a == b) return true;
  if (a->kind == Kind::kNamed || b->kind == Kind::kNamed) {
    // Instantiations of one generic type with identical arguments.
    if (a->kind != b->kind || a->origin == nullptr || a->origin != b->origin ||
        a->type_args.size() != b->type_args.size())
      return false;
    for (size_t i = 0; i < a->type_args.size(); ++i)
      if (!Identical(a->type_args[i], b->type_args[i])) return false;
    return true;
  }
  if (a->kind == Kind::kTypeParam || b->kind == Kind::kTypeParam) return false;
  if (a->kind != b->kind) return false;
  switch (a->kind) {
    case Kind::kPointer:
    case Kind::kSlice:
      return Identical(a->elem, b->elem);
    case Kind::kArray:
      return a->len == b->len && Identical(a->elem, b->elem);
    case Kind::kMap:
      return Identical(a->key, b->key) && Identical(a->elem, b->elem);
    case Kind::kChan:
      return a->dir == b->dir && Identical(a->elem, b->elem);
    case Kind::kStruct:
      if (a->fields.size() != b->fields.size()) return false;
      for (size_t i = 0; i < a->fields.size(); ++i)
        if (a->fields[i].name != b->fields[i].name ||
            a->fields[i].embedded != b->fields[i].embedded ||
            !Identical(a->fields[i].type, b->fields[i].type))
          return false;
      return true;
    case Kind::kInterface:
      if (a->methods.size() != b->methods.size() || a->terms.size() != b->terms.size() ||
          a->comparable != b->comparable)
        return false;
      for (size_t i = 0; i < a->methods.size(); ++i)
        if (a->methods[i].name != b->methods[i].name ||
            !IdenticalSig(a->methods[i].sig, b->methods[i].sig))
          return false;
      for (size_t i = 0; i < a->terms.size(); ++i)
        if (a->terms[i].tilde != b->terms[i].tilde ||
            !Identical(a->terms[i].type, b->terms[i].type))
          return false;
      return true;
    case Kind::kFunc:
      return IdenticalSig(a, b);
    case Kind::kTuple:
      if (a->fields.size() != b->fields.size()) return false;
      for (size_t i = 0; i < a->fields.size(); ++i)
        if (!Identical(a->fields[i].type, b->fields[i].type)) return false;
      return true;
    default:
      return true;  // basic kinds are singletons, but be tolerant of copies
  }
}

bool Comparable(const Type* t) {
  if (t->kind == Kind::kTypeParam) return true;
  const Type* u = Under(t);
  switch (u->kind) {
    case Kind::kSlice:
    case Kind::kMap:
    case Kind::kFunc:
      return false;
    case Kind::kArray:
      return Comparable(u->elem);
    case Kind::kStruct:
      for (const Field& f : u->fields)
        if (!Comparable(f.type)) return false;
      return true;
    default:
      return true;
  }
}

bool HasTypeParam(const Type* t) {
  if (t == nullptr) return false;
  switch (t->kind) {
    case Kind::kTypeParam:
      return true;
    case Kind::kNamed:
      for (const Type* a : t->type_args)
        if (HasTypeParam(a)) return true;
      return false;
    case Kind::kPointer:
    case Kind::kSlice:
    case Kind::kArray:
    case Kind::kChan:
      return HasTypeParam(t->elem);
    case Kind::kMap:
      return HasTypeParam(t->key) || HasTypeParam(t->elem);
    case Kind::kStruct:
    case Kind::kTuple:
      for (const Field& f : t->fields)
        if (HasTypeParam(f.type)) return true;
      return false;
    case Kind::kFunc:
      for (const Field& f : t->fields)
        if (HasTypeParam(f.type)) return true;
      for (const Field& f : t->results)
        if (HasTypeParam(f.type)) return true;
      return false;
    case Kind::kInterface:
      for (const Method& m : t->methods)
        if (HasTypeParam(m.sig)) return true;
      for (const TypeTerm& term : t->terms)
        if (HasTypeParam(term.type)) return true;
      return false;
    default:
      return false;
  }
}

// ------------------------------------------------------------- printing

static void Print(const Type* t, std::string* out);

static void PrintSig(const Type* t, std::string* out) {
  out->append("(");
  for (size_t i = 0; i < t->fields.size(); ++i) {
    if (i) out->append(", ");
    if (t->variadic && i + 1 == t->fields.size() && t->fields[i].type->kind == Kind::kSlice) {
      out->append("...");
      Print(t->fields[i].type->elem, out);
    } else {
      Print(t->fields[i].type, out);
    }
  }
  out->append(")");
  if (t->results.size() == 1) {
    out->append(" ");
    Print(t->results[0].type, out);
  } else if (t->results.size() > 1) {
    out->append(" (");
    for (size_t i = 0; i < t->results.size(); ++i) {
      if (i) out->append(", ");
      Print(t->results[i].type, out);
    }
    out->append(")");
  }
}

static const char* BasicName(Kind k) {
  switch (k) {
    case Kind::kInvalid:
      return "invalid type";
    case Kind::kBool:
      return "bool";
    case Kind::kInt:
      return "int";
    case Kind::kInt8:
      return "int8";
    case Kind::kInt16:
      return "int16";
    case Kind::kInt32:
      return "int32";
    case Kind::kInt64:
      return "int64";
    case Kind::kUint:
      return "uint";
    case Kind::kUint8:
      return "uint8";
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
    case Kind::kComplex64:
      return "complex64";
    case Kind::kComplex128:
      return "complex128";
    case Kind::kString:
      return "string";
    case Kind::kUnsafePointer:
      return "unsafe.Pointer";
    case Kind::kUntypedBool:
      return "untyped bool";
    case Kind::kUntypedInt:
      return "untyped int";
    case Kind::kUntypedRune:
      return "untyped rune";
    case Kind::kUntypedFloat:
      return "untyped float";
    case Kind::kUntypedComplex:
      return "untyped complex";
    case Kind::kUntypedString:
      return "untyped string";
    case Kind::kUntypedNil:
      return "untyped nil";
    default:
      return nullptr;
  }
}

static void Print(const Type* t, std::string* out) {
  if (t == nullptr) {
    out->append("<nil>");
    return;
  }
  if (t == U().any_t) {
    out->append("any");
    return;
  }
  if (!t->name.empty() && t->kind != Kind::kNamed && t->kind != Kind::kTypeParam) {
    out->append(t->name);  // byte, rune
    return;
  }
  if (const char* b = BasicName(t->kind)) {
    out->append(b);
    return;
  }
  switch (t->kind) {
    case Kind::kPointer:
      out->append("*");
      Print(t->elem, out);
      return;
    case Kind::kSlice:
      out->append("[]");
      Print(t->elem, out);
      return;
    case Kind::kArray:
      absl::StrAppend(out, "[", t->len, "]");
      Print(t->elem, out);
      return;
    case Kind::kMap:
      out->append("map[");
      Print(t->key, out);
      out->append("]");
      Print(t->elem, out);
      return;
    case Kind::kChan:
      if (t->dir == ChanDir::kRecv) {
        out->append("<-chan ");
      } else if (t->dir == ChanDir::kSend) {
        out->append("chan<- ");
      } else {
        out->append("chan ");
        if (t->elem->kind == Kind::kChan && t->elem->dir == ChanDir::kRecv) {
          out->append("(");
          Print(t->elem, out);
          out->append(")");
          return;
        }
      }
      Print(t->elem, out);
      return;
    case Kind::kStruct: {
      if (t->fields.empty()) {
        out->append("struct {}");
        return;
      }
      out->append("struct { ");
      for (size_t i = 0; i < t->fields.size(); ++i) {
        if (i) out->append("; ");
        const Field& f = t->fields[i];
        if (!f.embedded) absl::StrAppend(out, f.name, " ");
        Print(f.type, out);
      }
      out->append(" }");
      return;
    }
    case Kind::kInterface: {
      if (t->methods.empty() && t->terms.empty() && !t->comparable) {
        out->append("interface {}");
        return;
      }
      std::vector<std::string> elems;
      if (t->comparable) elems.push_back("comparable");
      for (const Method& m : t->methods) {
        std::string s = m.name;
        PrintSig(m.sig, &s);
        elems.push_back(s);
      }
      if (!t->terms.empty()) {
        std::string s;
        for (size_t i = 0; i < t->terms.size(); ++i) {
          if (i) s.append(" | ");
          if (t->terms[i].tilde) s.append("~");
          Print(t->terms[i].type, &s);
        }
        elems.push_back(s);
      }
      absl::StrAppend(out, "interface { ", absl::StrJoin(elems, "; "), " }");
      return;
    }
    case Kind::kFunc:
      out->append("func");
      PrintSig(t, out);
      return;
    case Kind::kTuple:
      out->append("(");
      for (size_t i = 0; i < t->fields.size(); ++i) {
        if (i) out->append(", ");
        Print(t->fields[i].type, out);
      }
      out->append(")");
      return;
    case Kind::kNamed:
    case Kind::kTypeParam: {
      if (!t->pkg.empty()) absl::StrAppend(out, t->pkg, ".");
      out->append(t->name);
      if (!t->type_args.empty()) {
        out->append("[");
        for (size_t i = 0; i < t->type_args.size(); ++i) {
          if (i) out->append(",");
          Print(t->type_args[i], out);
        }
        out->append("]");
      }
      return;
    }
    default:
      out->append("?");
  }
}

std::string TypeString(const Type* t) {
  std::string s;
  Print(t, &s);
  return s;
}

const Type* DefaultType(const Type* t) {
  switch (t->kind) {
    case Kind::kUntypedBool:
      return U().bool_t;
    case Kind::kUntypedInt:
      return U().int_t;
    case Kind::kUntypedRune:
      return U().rune_t;
    case Kind::kUntypedFloat:
      return U().float64_t;
    case Kind::kUntypedComplex:
      return U().complex128_t;
    case Kind::kUntypedString:
      return U().string_t;
    default:
      return t;
  }
}

// ------------------------------------------------------------- lookup

Selection LookupFieldOrMethod(const Type* t, const std::string& name) {
  Selection none;
  if (t == nullptr || name == "_") return none;
  bool start_ptr = false;
  if (t->kind != Kind::kNamed && t->kind != Kind::kTypeParam && Under(t)->kind == Kind::kPointer) {
    t = Under(t)->elem;
    start_ptr = true;
  } else if (t->kind == Kind::kNamed && Under(t)->kind == Kind::kPointer) {
    // Methods are not looked up through a named pointer type; fields are.
    const Type* e = Under(t)->elem;
    Selection s = LookupFieldOrMethod(e, name);
    if (s.kind == Selection::Kind::kMethod) return none;
    s.indirect = true;
    return s;
  }
  struct Cand {
    const Type* t;  // named, struct or interface type (not a pointer)
    std::vector<int> path;
    bool indirect;
  };
  std::vector<Cand> level{{t, {}, start_ptr}};
  std::set<const Type*> seen;
  while (!level.empty()) {
    std::vector<Cand> next;
    int found = 0;
    Selection best;
    for (const Cand& c : level) {
      if (c.t->kind == Kind::kNamed) {
        if (!seen.insert(c.t).second) continue;
        for (const Method& m : c.t->methods) {
          if (m.name != name || Under(c.t)->kind == Kind::kInterface) continue;
          ++found;
          best = Selection{};
          best.kind = Selection::Kind::kMethod;
          best.path = c.path;
          best.method = &m;
          best.indirect = c.indirect;
          best.holder = c.t;
        }
      }
      const Type* u = Under(c.t);
      if (u->kind == Kind::kInterface) {
        for (const Method& m : u->methods) {
          if (m.name != name) continue;
          ++found;
          best = Selection{};
          best.kind = Selection::Kind::kMethod;
          best.path = c.path;
          best.method = &m;
          best.indirect = c.indirect;
          best.holder = c.t;
        }
        continue;
      }
      if (u->kind != Kind::kStruct) continue;
      for (size_t i = 0; i < u->fields.size(); ++i) {
        const Field& f = u->fields[i];
        if (f.name == name) {
          ++found;
          best = Selection{};
          best.kind = Selection::Kind::kField;
          best.path = c.path;
          best.field = &f;
          best.field_index = static_cast<int>(i);
          best.indirect = c.indirect;
          best.holder = c.t;
        }
        if (f.embedded) {
          Cand n{f.type, c.path, c.indirect};
          if (Under(f.type)->kind == Kind::kPointer && f.type->kind != Kind::kNamed) {
            n.t = Under(f.type)->elem;
            n.indirect = true;
          }
          n.path.push_back(static_cast<int>(i));
          next.push_back(n);
        }
      }
    }
    if (found > 1) {
      Selection amb;
      amb.kind = Selection::Kind::kAmbiguous;
      return amb;
    }
    if (found == 1) return best;
    level = std::move(next);
  }
  return none;
}

bool HasMethod(const Type* t, const Method& m, bool* pointer_only) {
  if (IsInterface(t)) {
    for (const Method& mm : Under(t)->methods)
      if (mm.name == m.name) return Identical(mm.sig, m.sig);
    return false;
  }
  if (t->kind == Kind::kTypeParam) {
    const Type* c = Under(t);
    for (const Method& mm : c->methods)
      if (mm.name == m.name) return Identical(mm.sig, m.sig);
    return false;
  }
  bool is_ptr = t->kind != Kind::kNamed && Under(t)->kind == Kind::kPointer;
  Selection sel = LookupFieldOrMethod(t, m.name);
  if (sel.kind != Selection::Kind::kMethod) return false;
  if (!Identical(sel.method->sig, m.sig)) return false;
  bool holder_iface = Under(sel.holder)->kind == Kind::kInterface;
  if (sel.method->ptr_recv && !is_ptr && !sel.indirect && !holder_iface) {
    if (pointer_only != nullptr) *pointer_only = true;
    return false;
  }
  return true;
}

bool Implements(const Type* t, const Type* iface) {
  for (const Method& m : Under(iface)->methods)
    if (!HasMethod(t, m, nullptr)) return false;
  return true;
}

bool Satisfies(const Type* t, const Type* c) {
  const Type* cu = Under(c);
  if (cu->kind != Kind::kInterface) return false;
  if (!Implements(t, c)) return false;
  if (cu->comparable && !Comparable(t)) return false;
  if (cu->terms.empty()) return true;
  if (t->kind == Kind::kTypeParam) {
    // Every term of t's constraint must be in c's terms.
    const Type* tc = Under(t);
    if (tc->terms.empty()) return false;
    for (const TypeTerm& tt : tc->terms) {
      bool ok = false;
      for (const TypeTerm& ct : cu->terms)
        if (ct.tilde ? Identical(Under(tt.type), Under(ct.type))
                     : (!tt.tilde && Identical(tt.type, ct.type)))
          ok = true;
      if (!ok) return false;
    }
    return true;
  }
  for (const TypeTerm& term : cu->terms) {
    if (term.tilde ? Identical(Under(t), Under(term.type)) : Identical(t, term.type)) return true;
  }
  return false;
}

std::string MissingMethod(const Type* t, const Type* iface) {
  for (const Method& m : Under(iface)->methods) {
    bool ptr_only = false;
    if (!HasMethod(t, m, &ptr_only)) {
      if (ptr_only)
        return absl::StrCat(":\n\t", TypeString(t), " does not implement ", TypeString(iface),
                            " (method ", m.name, " has pointer receiver)");
      return absl::StrCat(":\n\t", TypeString(t), " does not implement ", TypeString(iface),
                          " (missing method ", m.name, ")");
    }
  }
  return "";
}

// ------------------------------------------------------------- universe

const Universe& U() {
  static const Universe* u = [] {
    auto* u = new Universe;
    auto mk = [](Kind k, const char* name = "") {
      Type* t = new Type(k);
      t->name = name;
      return t;
    };
    u->invalid = mk(Kind::kInvalid);
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
    u->complex64_t = mk(Kind::kComplex64);
    u->complex128_t = mk(Kind::kComplex128);
    u->string_t = mk(Kind::kString);
    u->unsafe_pointer = mk(Kind::kUnsafePointer);
    u->byte_t = mk(Kind::kUint8, "byte");
    u->rune_t = mk(Kind::kInt32, "rune");
    u->untyped_bool = mk(Kind::kUntypedBool);
    u->untyped_int = mk(Kind::kUntypedInt);
    u->untyped_rune = mk(Kind::kUntypedRune);
    u->untyped_float = mk(Kind::kUntypedFloat);
    u->untyped_complex = mk(Kind::kUntypedComplex);
    u->untyped_string = mk(Kind::kUntypedString);
    u->untyped_nil = mk(Kind::kUntypedNil);
    u->empty_iface = mk(Kind::kInterface);
    u->any_t = mk(Kind::kInterface);
    Type* err = mk(Kind::kNamed, "error");
    Type* eu = mk(Kind::kInterface);
    Type* sig = mk(Kind::kFunc);
    sig->results.push_back(Field{"", u->string_t});
    eu->methods.push_back(Method{"Error", sig, false, nullptr, {}});
    err->underlying = eu;
    u->error_t = err;
    Type* cmp = mk(Kind::kNamed, "comparable");
    Type* cu = mk(Kind::kInterface);
    cu->comparable = true;
    cmp->underlying = cu;
    u->comparable_t = cmp;
    return u;
  }();
  return *u;
}

Type* TypeArena::New(Kind k) {
  types_.emplace_back(k);
  return &types_.back();
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

const Type* TypeArena::Tuple(std::vector<const Type*> types) {
  Type* t = New(Kind::kTuple);
  for (const Type* e : types) t->fields.push_back(Field{"", e});
  return t;
}

}  // namespace gclab::escape
