// C++ types of Go types, runtime type information (gort::Type), method
// sets, interface wrappers and itabs, equality functions.
//
// Go values keep Go's amd64 layout: structs become C++ structs with their
// fields at Go's offsets (zero-size fields have no storage; padding is
// explicit and checked with static_assert), named types share the C++ type
// of their underlying type, pointers/maps/channels/funcs are one gort::Word.
#include <algorithm>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_replace.h"
#include "gocompile/codegen.h"

namespace gclab::gocompile {

using escape::Identical;
using escape::Under;

namespace {

std::string CString(const std::string& s) {
  std::string out = "\"";
  for (unsigned char c : s) {
    if (c == '"' || c == '\\') {
      out += '\\';
      out += static_cast<char>(c);
    } else if (c >= 32 && c < 127) {
      out += static_cast<char>(c);
    } else {
      absl::StrAppend(&out, "\\", (c >> 6) & 7, (c >> 3) & 7, c & 7);
    }
  }
  return out + "\"";
}

}  // namespace

std::string QuoteC(const std::string& s) { return CString(s); }

int64_t Codegen::SizeOf(const Type* t) const { return escape::Size(t); }

bool Codegen::HasPtrs(const Type* t) const { return escape::HasPointers(t); }

std::vector<uint32_t> Codegen::PtrOffsets(const Type* t) {
  std::vector<uint32_t> out;
  const Type* u = Under(t);
  switch (u->kind) {
    case Kind::kPointer:
    case Kind::kMap:
    case Kind::kChan:
    case Kind::kFunc:
    case Kind::kUnsafePointer:
    case Kind::kString:
    case Kind::kSlice:
      out.push_back(0);
      break;
    case Kind::kInterface:
      out.push_back(8);
      break;
    case Kind::kArray: {
      std::vector<uint32_t> e = PtrOffsets(u->elem);
      const int64_t es = SizeOf(u->elem);
      if (!e.empty())
        for (int64_t i = 0; i < u->len; ++i)
          for (uint32_t o : e) out.push_back(static_cast<uint32_t>(i * es + o));
      break;
    }
    case Kind::kStruct:
    case Kind::kTuple: {
      int64_t off = 0;
      for (const escape::Field& f : u->fields) {
        off = (off + escape::Align(f.type) - 1) / escape::Align(f.type) * escape::Align(f.type);
        for (uint32_t o : PtrOffsets(f.type)) out.push_back(static_cast<uint32_t>(off + o));
        off += SizeOf(f.type);
      }
      break;
    }
    default:
      break;
  }
  return out;
}

std::string Codegen::CType(const Type* t) {
  const Type* u = Under(t);
  switch (u->kind) {
    case Kind::kBool:
    case Kind::kUntypedBool:
      return "bool";
    case Kind::kInt:
    case Kind::kInt64:
    case Kind::kUntypedInt:
      return "int64_t";
    case Kind::kInt8:
      return "int8_t";
    case Kind::kInt16:
      return "int16_t";
    case Kind::kInt32:
    case Kind::kUntypedRune:
      return "int32_t";
    case Kind::kUint:
    case Kind::kUint64:
    case Kind::kUintptr:
      return "uint64_t";
    case Kind::kUint8:
      return "uint8_t";
    case Kind::kUint16:
      return "uint16_t";
    case Kind::kUint32:
      return "uint32_t";
    case Kind::kFloat32:
      return "float";
    case Kind::kFloat64:
    case Kind::kUntypedFloat:
      return "double";
    case Kind::kString:
    case Kind::kUntypedString:
      return "gort::String";
    case Kind::kPointer:
    case Kind::kMap:
    case Kind::kChan:
    case Kind::kFunc:
    case Kind::kUnsafePointer:
    case Kind::kUntypedNil:
      return "gort::Word";
    case Kind::kSlice:
      return "gort::Slice";
    case Kind::kInterface:
      return u->methods.empty() ? "gort::EFace" : "gort::IFace";
    case Kind::kArray:
      if (SizeOf(t) == 0) return "gort::Empty";
      return absl::StrCat("gort::Array<", CType(u->elem), ", ", u->len, ">");
    case Kind::kStruct:
      if (SizeOf(t) == 0) return "gort::Empty";
      return StructName(u);
    case Kind::kTuple: {
      std::vector<const Type*> ts;
      for (const escape::Field& f : u->fields) ts.push_back(f.type);
      return TupleType(ts);
    }
    default:
      return "void";
  }
}

std::string Codegen::StructName(const Type* u) {
  for (const TypeEntry& e : structs_)
    if (Identical(e.t, u)) return e.cname;
  // Field types first (dependency order of the definitions).
  std::vector<std::string> ftypes;
  for (const escape::Field& f : u->fields) ftypes.push_back(CType(f.type));
  const std::string name = absl::StrCat("S", structs_.size());
  structs_.push_back(TypeEntry{u, name, ""});
  std::string def = absl::StrCat("struct ", name, " {  // ", escape::TypeString(u), "\n");
  int64_t off = 0;
  int pad = 0;
  std::string checks;
  for (size_t i = 0; i < u->fields.size(); ++i) {
    const escape::Field& f = u->fields[i];
    const int64_t a = escape::Align(f.type);
    const int64_t at = (off + a - 1) / a * a;
    if (SizeOf(f.type) == 0) {
      off = at;
      continue;
    }
    if (at > off) absl::StrAppend(&def, "  char pad", pad++, "[", at - off, "];\n");
    absl::StrAppend(&def, "  ", ftypes[i], " f", i, ";\n");
    absl::StrAppend(&checks, "static_assert(offsetof(", name, ", f", i, ") == ", at, ");\n");
    off = at + SizeOf(f.type);
  }
  const int64_t size = SizeOf(u);
  if (size > off) absl::StrAppend(&def, "  char pad", pad++, "[", size - off, "];\n");
  absl::StrAppend(&def, "};\nstatic_assert(sizeof(", name, ") == ", size, ");\n", checks);
  types_ += def;
  return name;
}

std::string Codegen::TupleType(const std::vector<const Type*>& ts) {
  std::vector<std::string> cs;
  for (const Type* t : ts) cs.push_back(CType(t));
  return absl::StrCat("gort::T", ts.size(), "<", absl::StrJoin(cs, ", "), ">");
}

std::string Codegen::ZeroValue(const Type* t) { return absl::StrCat(CType(t), "{}"); }

std::string Codegen::FuncPtrType(const Type* sig, bool with_ctx) {
  std::string ret;
  if (sig->results.empty()) {
    ret = "void";
  } else if (sig->results.size() == 1) {
    ret = CType(sig->results[0].type);
  } else {
    std::vector<const Type*> ts;
    for (const escape::Field& f : sig->results) ts.push_back(f.type);
    ret = TupleType(ts);
  }
  std::vector<std::string> ps = {"gort::G*"};
  if (with_ctx) ps.push_back("gort::Word");
  for (const escape::Field& f : sig->fields) ps.push_back(CType(f.type));
  const std::string key = absl::StrCat(ret, "(", absl::StrJoin(ps, ","), ")");
  auto it = fptr_names_.find(key);
  if (it != fptr_names_.end()) return it->second;
  const std::string name = absl::StrCat("FP", fptr_names_.size());
  fptr_names_[key] = name;
  absl::StrAppend(&protos_, "typedef ", ret, " (*", name, ")(", absl::StrJoin(ps, ", "), ");\n");
  return name;
}

// ---------------------------------------------------------------- %T names

std::string Codegen::TypeName(const Type* t) {
  if (t->kind == Kind::kNamed) {
    if (t->name == "error" && t->pkg.empty() && t->obj == nullptr) return "error";
    std::string pkg = t->pkg.empty() ? "main" : t->pkg.substr(t->pkg.rfind('/') + 1);
    if (t->obj != nullptr && t->obj->pkg == nullptr && t->pkg.empty()) pkg = "main";
    return absl::StrCat(pkg, ".", t->name);
  }
  switch (t->kind) {
    case Kind::kPointer:
      return absl::StrCat("*", TypeName(t->elem));
    case Kind::kSlice:
      return absl::StrCat("[]", TypeName(t->elem));
    case Kind::kArray:
      return absl::StrCat("[", t->len, "]", TypeName(t->elem));
    case Kind::kMap:
      return absl::StrCat("map[", TypeName(t->key), "]", TypeName(t->elem));
    case Kind::kChan:
      return absl::StrCat(t->dir == escape::ChanDir::kSend   ? "chan<- "
                          : t->dir == escape::ChanDir::kRecv ? "<-chan "
                                                             : "chan ",
                          TypeName(t->elem));
    case Kind::kFunc: {
      std::vector<std::string> in, out;
      for (size_t i = 0; i < t->fields.size(); ++i) {
        const Type* p = t->fields[i].type;
        if (t->variadic && i + 1 == t->fields.size())
          in.push_back(absl::StrCat("...", TypeName(Under(p)->elem)));
        else
          in.push_back(TypeName(p));
      }
      for (const escape::Field& f : t->results) out.push_back(TypeName(f.type));
      std::string s = absl::StrCat("func(", absl::StrJoin(in, ", "), ")");
      if (out.size() == 1) absl::StrAppend(&s, " ", out[0]);
      if (out.size() > 1) absl::StrAppend(&s, " (", absl::StrJoin(out, ", "), ")");
      return s;
    }
    case Kind::kInterface: {
      if (t->methods.empty()) return "interface {}";
      std::vector<std::string> ms;
      for (const escape::Method& m : t->methods) {
        std::string sig = TypeName(m.sig);
        ms.push_back(absl::StrCat(m.name, sig.substr(4)));
      }
      return absl::StrCat("interface { ", absl::StrJoin(ms, "; "), " }");
    }
    case Kind::kStruct: {
      if (t->fields.empty()) return "struct {}";
      std::vector<std::string> fs;
      for (const escape::Field& f : t->fields)
        fs.push_back(f.embedded ? TypeName(f.type) : absl::StrCat(f.name, " ", TypeName(f.type)));
      return absl::StrCat("struct { ", absl::StrJoin(fs, "; "), " }");
    }
    default:
      return escape::TypeString(t);
  }
}

// ---------------------------------------------------------------- method sets

std::vector<Codegen::MethodEntry> Codegen::MethodSet(const Type* t) {
  std::vector<MethodEntry> out;
  const bool is_ptr = t->kind != Kind::kNamed && Under(t)->kind == Kind::kPointer;
  const Type* base = is_ptr ? Under(t)->elem : t;
  if (Under(base)->kind == Kind::kInterface) return out;
  // Candidate names: declared methods of the type and of embedded types.
  std::set<std::string> names;
  std::vector<const Type*> work = {base};
  std::set<const Type*> seen;
  while (!work.empty()) {
    const Type* x = work.back();
    work.pop_back();
    if (!seen.insert(x).second) continue;
    if (x->kind == Kind::kNamed)
      for (const escape::Method& m : x->methods) names.insert(m.name);
    const Type* xu = Under(x);
    if (xu->kind == Kind::kPointer) xu = Under(xu->elem);
    if (xu->kind == Kind::kInterface)
      for (const escape::Method& m : xu->methods) names.insert(m.name);
    if (xu->kind == Kind::kStruct)
      for (const escape::Field& f : xu->fields)
        if (f.embedded) {
          const Type* ft = f.type;
          if (Under(ft)->kind == Kind::kPointer && ft->kind != Kind::kNamed) ft = Under(ft)->elem;
          work.push_back(ft);
        }
  }
  for (const std::string& name : names) {
    escape::Selection sel = escape::LookupFieldOrMethod(t, name);
    if (sel.kind != escape::Selection::Kind::kMethod) continue;
    if (escape::IsInterface(sel.holder)) {
      // Promoted from an embedded interface field: callable through it.
      out.push_back(MethodEntry{name, sel.method, sel.holder, sel.path, sel.indirect, false});
      continue;
    }
    if (sel.method->ptr_recv && !is_ptr && !sel.indirect) continue;  // not in T's method set
    out.push_back(
        MethodEntry{name, sel.method, sel.holder, sel.path, sel.indirect, sel.method->ptr_recv});
  }
  return out;
}

int Codegen::IfaceMethodIndex(const Type* iface, const std::string& name) {
  const Type* u = Under(iface);
  for (size_t i = 0; i < u->methods.size(); ++i)
    if (u->methods[i].name == name) return static_cast<int>(i);
  return -1;
}

// R IW(G* g, Word data, params...): calls method m on the value an
// interface of dynamic type t holds.
std::string Codegen::IfaceWrapper(const Type* t, const MethodEntry& m) {
  const std::string key = absl::StrCat(TypeInfo(t), ".", m.name);
  auto it = wrapper_names_.find(key);
  if (it != wrapper_names_.end()) return it->second;
  // A method of a standard type the runtime does not implement: no
  // wrapper (the method table holds null; an itab needing it is refused).
  std::string std_target;
  if (m.method->fn != nullptr && m.method->fn->external) {
    std_target = StdFuncName(m.method->fn);
    if (std_target.empty()) {
      wrapper_names_[key] = "";
      return "";
    }
  }
  const std::string name = absl::StrCat("IW", wrapper_names_.size());
  wrapper_names_[key] = name;
  const Type* sig = m.method->sig;
  std::string params, args;
  for (size_t i = 0; i < sig->fields.size(); ++i) {
    absl::StrAppend(&params, ", ", CType(sig->fields[i].type), " a", i);
    absl::StrAppend(&args, ", a", i);
  }
  std::string ret = sig->results.empty()       ? "void"
                    : sig->results.size() == 1 ? CType(sig->results[0].type)
                                               : CType(prog_->types.Tuple([&] {
                                                   std::vector<const Type*> v;
                                                   for (auto& f : sig->results) v.push_back(f.type);
                                                   return v;
                                                 }()));
  // Walk from the interface's data word to the receiver: `cur` is a Go
  // pointer word to a value of type cur_t (have_ptr) or a value expression.
  const bool is_ptr = t->kind != Kind::kNamed && Under(t)->kind == Kind::kPointer;
  bool have_ptr = is_ptr;
  std::string cur = "data";
  const Type* cur_t = is_ptr ? Under(t)->elem : t;
  if (!is_ptr) {
    cur = escape::IsDirectIface(t)
              ? absl::StrCat("(*reinterpret_cast<", CType(t), "*>(&data))")
              : absl::StrCat("(*reinterpret_cast<", CType(t), "*>(gort::Addr(data)))");
  }
  for (int idx : m.path) {
    const Type* st = Under(cur_t);
    const Type* ft = st->fields[idx].type;
    const bool field_is_ptr = ft->kind != Kind::kNamed && Under(ft)->kind == Kind::kPointer;
    if (have_ptr) {
      cur = absl::StrCat("gort::FieldPtr(g, ", cur, ", ", FieldOffset(st, idx), ", nullptr)");
      if (field_is_ptr)
        cur = absl::StrCat("(*reinterpret_cast<gort::Word*>(gort::Addr(", cur, ")))");
    } else {
      cur = absl::StrCat("(", cur, ").f", idx);
      have_ptr = field_is_ptr;
    }
    cur_t = field_is_ptr ? Under(ft)->elem : ft;
  }
  std::string call;
  if (escape::IsInterface(m.recv_named)) {
    // Through an embedded interface value.
    int k = IfaceMethodIndex(m.recv_named, m.name);
    call = absl::StrCat("gort::IFace iv = ", cur, "; if (!iv.tab) gort::PanicNil(g, nullptr); ",
                        "return reinterpret_cast<", FuncPtrType(sig, true), ">(iv.tab->fun[", k,
                        "])(g, iv.data", args, ");");
  } else {
    const std::string target = std_target.empty() ? FuncCName(m.method->fn) : std_target;
    if (m.ptr_recv) {
      call = absl::StrCat("return ", target, "(g, ", cur, args, ");");
    } else {
      std::string recv = have_ptr ? absl::StrCat("*reinterpret_cast<", CType(cur_t),
                                                 "*>(gort::Deref(g, ", cur, ", nullptr))")
                                  : cur;
      call = absl::StrCat("return ", target, "(g, ", recv, args, ");");
    }
  }
  absl::StrAppend(&wrappers_, ret, " ", name, "(gort::G* g, gort::Word data", params, ") { ", call,
                  " }\n");
  absl::StrAppend(&protos_, ret, " ", name, "(gort::G* g, gort::Word data", params, ");\n");
  return name;
}

// ---------------------------------------------------------------- type info

int64_t Codegen::FieldOffset(const Type* st, int idx) {
  const Type* u = Under(st);
  int64_t off = 0;
  for (int i = 0; i <= idx; ++i) {
    const int64_t a = escape::Align(u->fields[i].type);
    off = (off + a - 1) / a * a;
    if (i == idx) break;
    off += SizeOf(u->fields[i].type);
  }
  return off;
}

std::string Codegen::TypeInfo(const Type* t) {
  // Predeclared types are the runtime's.
  const escape::Universe& u = escape::U();
  struct Predeclared {
    const Type* t;
    const char* name;
  };
  const Predeclared kPre[] = {
      {u.bool_t, "kTypeBool"},           {u.int_t, "kTypeInt"},
      {u.int8_t_, "kTypeInt8"},          {u.int16_t_, "kTypeInt16"},
      {u.int32_t_, "kTypeInt32"},        {u.int64_t_, "kTypeInt64"},
      {u.uint_t, "kTypeUint"},           {u.uint8_t_, "kTypeUint8"},
      {u.uint16_t_, "kTypeUint16"},      {u.uint32_t_, "kTypeUint32"},
      {u.uint64_t_, "kTypeUint64"},      {u.uintptr_t_, "kTypeUintptr"},
      {u.float32_t, "kTypeFloat32"},     {u.float64_t, "kTypeFloat64"},
      {u.string_t, "kTypeString"},       {u.byte_t, "kTypeUint8"},
      {u.rune_t, "kTypeInt32"},          {u.error_t, "kTypeError"},
      {u.untyped_bool, "kTypeBool"},     {u.untyped_int, "kTypeInt"},
      {u.untyped_rune, "kTypeInt32"},    {u.untyped_float, "kTypeFloat64"},
      {u.untyped_string, "kTypeString"},
  };
  for (const Predeclared& p : kPre)
    if (t == p.t) return absl::StrCat("&gort::", p.name);
  if (t->kind == Kind::kInterface && t->methods.empty()) return "&gort::kTypeEmptyInterface";
  if (t->kind == Kind::kNamed && t->name == "any" && Under(t)->methods.empty())
    return "&gort::kTypeEmptyInterface";
  for (const TypeEntry& e : tinfos_)
    if (Identical(e.t, t) && (e.t->kind == Kind::kNamed) == (t->kind == Kind::kNamed))
      return absl::StrCat("&", e.ti);
  const std::string name = absl::StrCat("TI", tinfos_.size());
  tinfos_.push_back(TypeEntry{t, "", name});
  absl::StrAppend(&protos_, "extern gort::Type ", name, ";\n");
  const Type* ut = Under(t);
  std::string kind;
  switch (ut->kind) {
    case Kind::kBool:
      kind = "kBool";
      break;
    case Kind::kInt:
      kind = "kInt";
      break;
    case Kind::kInt8:
      kind = "kInt8";
      break;
    case Kind::kInt16:
      kind = "kInt16";
      break;
    case Kind::kInt32:
      kind = "kInt32";
      break;
    case Kind::kInt64:
      kind = "kInt64";
      break;
    case Kind::kUint:
      kind = "kUint";
      break;
    case Kind::kUint8:
      kind = "kUint8";
      break;
    case Kind::kUint16:
      kind = "kUint16";
      break;
    case Kind::kUint32:
      kind = "kUint32";
      break;
    case Kind::kUint64:
      kind = "kUint64";
      break;
    case Kind::kUintptr:
      kind = "kUintptr";
      break;
    case Kind::kFloat32:
      kind = "kFloat32";
      break;
    case Kind::kFloat64:
      kind = "kFloat64";
      break;
    case Kind::kString:
      kind = "kString";
      break;
    case Kind::kPointer:
      kind = "kPointer";
      break;
    case Kind::kSlice:
      kind = "kSlice";
      break;
    case Kind::kArray:
      kind = "kArray";
      break;
    case Kind::kMap:
      kind = "kMap";
      break;
    case Kind::kChan:
      kind = "kChan";
      break;
    case Kind::kFunc:
      kind = "kFunc";
      break;
    case Kind::kStruct:
      kind = "kStruct";
      break;
    case Kind::kInterface:
      kind = "kInterface";
      break;
    default:
      kind = "kPointer";
      break;
  }
  std::string pre;  // arrays the Type refers to
  std::string fields = "nullptr", nfields = "0";
  if (ut->kind == Kind::kStruct && !ut->fields.empty()) {
    std::vector<std::string> fs;
    int64_t off = 0;
    for (const escape::Field& f : ut->fields) {
      const int64_t a = escape::Align(f.type);
      off = (off + a - 1) / a * a;
      fs.push_back(absl::StrCat("{", CString(f.name), ", ", TypeInfo(f.type), ", ", off, ", ",
                                f.embedded ? "true" : "false", "}"));
      off += SizeOf(f.type);
    }
    absl::StrAppend(&pre, "const gort::FieldInfo ", name, "_fields[] = {", absl::StrJoin(fs, ", "),
                    "};\n");
    fields = absl::StrCat(name, "_fields");
    nfields = absl::StrCat(ut->fields.size());
  }
  std::string methods = "nullptr", nmethods = "0";
  if (ut->kind == Kind::kInterface && !ut->methods.empty()) {
    std::vector<std::string> ms;
    for (const escape::Method& m : ut->methods)
      ms.push_back(absl::StrCat("{", CString(m.name), ", ", TypeInfo(m.sig), ", nullptr}"));
    absl::StrAppend(&pre, "const gort::MethodInfo ", name, "_methods[] = {",
                    absl::StrJoin(ms, ", "), "};\n");
    methods = absl::StrCat(name, "_methods");
    nmethods = absl::StrCat(ut->methods.size());
  } else {
    std::vector<MethodEntry> set = MethodSet(t);
    if (!set.empty()) {
      std::vector<std::string> ms;
      for (const MethodEntry& m : set) {
        const std::string w = IfaceWrapper(t, m);
        ms.push_back(absl::StrCat(
            "{", CString(m.name), ", ", TypeInfo(m.method->sig), ", ",
            w.empty() ? "nullptr" : absl::StrCat("reinterpret_cast<void*>(&", w, ")"), "}"));
      }
      absl::StrAppend(&pre, "const gort::MethodInfo ", name, "_methods[] = {",
                      absl::StrJoin(ms, ", "), "};\n");
      methods = absl::StrCat(name, "_methods");
      nmethods = absl::StrCat(set.size());
    }
  }
  std::vector<uint32_t> ptrs = PtrOffsets(t);
  std::string ptrs_ref = "nullptr";
  if (!ptrs.empty()) {
    absl::StrAppend(&pre, "const uint32_t ", name, "_ptrs[] = {", absl::StrJoin(ptrs, ", "),
                    "};\n");
    ptrs_ref = absl::StrCat(name, "_ptrs");
  }
  std::string in = "nullptr", out = "nullptr";
  size_t nin = 0, nout = 0;
  if (ut->kind == Kind::kFunc) {
    std::vector<std::string> is, os;
    for (const escape::Field& f : ut->fields) is.push_back(TypeInfo(f.type));
    for (const escape::Field& f : ut->results) os.push_back(TypeInfo(f.type));
    if (!is.empty()) {
      absl::StrAppend(&pre, "const gort::Type* const ", name, "_in[] = {", absl::StrJoin(is, ", "),
                      "};\n");
      in = absl::StrCat(name, "_in");
    }
    if (!os.empty()) {
      absl::StrAppend(&pre, "const gort::Type* const ", name, "_out[] = {", absl::StrJoin(os, ", "),
                      "};\n");
      out = absl::StrCat(name, "_out");
    }
    nin = is.size();
    nout = os.size();
  }
  const std::string elem =
      (ut->kind == Kind::kPointer || ut->kind == Kind::kSlice || ut->kind == Kind::kArray ||
       ut->kind == Kind::kChan || ut->kind == Kind::kMap)
          ? TypeInfo(ut->elem)
          : "nullptr";
  const std::string key = ut->kind == Kind::kMap ? TypeInfo(ut->key) : "nullptr";
  std::string pkg;
  if (t->kind == Kind::kNamed) pkg = t->pkg.empty() ? "main" : t->pkg;
  const bool direct = escape::IsDirectIface(t);
  const bool comparable = escape::Comparable(t);
  std::string def = absl::StrCat(
      pre, "gort::Type ", name, " = {.kind = gort::Kind::", kind,
      ", .direct_iface = ", direct ? "true" : "false",
      ", .comparable = ", comparable ? "true" : "false",
      ", .named = ", t->kind == Kind::kNamed ? "true" : "false", ", .size = ", SizeOf(t),
      ", .align = ", escape::Align(t), ", .name = ", CString(TypeName(t)),
      ", .pkgpath = ", CString(pkg), ", .elem = ", elem, ", .key = ", key,
      ", .len = ", ut->kind == Kind::kArray ? ut->len : 0,
      ", .chan_dir = ", ut->kind == Kind::kChan ? static_cast<int>(ut->dir) : 0,
      ", .fields = ", fields, ", .nfields = ", nfields, ", .methods = ", methods,
      ", .nmethods = ", nmethods, ", .ptrs = ", ptrs_ref, ", .nptrs = ", ptrs.size(),
      ", .in = ", in, ", .nin = ", nin, ", .out = ", out, ", .nout = ", nout,
      ", .variadic = ", ut->variadic ? "true" : "false", ", .desc = nullptr, .adesc = nullptr};\n");
  typeinfo_ += def;
  absl::StrAppend(&init_, "  gort::InitType(&", name, ");\n");
  return absl::StrCat("&", name);
}

std::string Codegen::ItabFor(const Type* concrete, const Type* iface) {
  const std::string ti = TypeInfo(concrete), ii = TypeInfo(iface);
  const std::string key = absl::StrCat(ii, "/", ti);
  auto it = itab_names_.find(key);
  if (it != itab_names_.end()) return it->second;
  const Type* u = Under(iface);
  std::vector<MethodEntry> set = MethodSet(concrete);
  std::vector<std::string> funs;
  for (const escape::Method& im : u->methods) {
    const MethodEntry* found = nullptr;
    for (const MethodEntry& m : set)
      if (m.name == im.name) found = &m;
    funs.push_back(found != nullptr ? absl::StrCat("reinterpret_cast<void*>(&",
                                                   IfaceWrapper(concrete, *found), ")")
                                    : "nullptr");
  }
  const std::string name = absl::StrCat("IT", itab_names_.size());
  absl::StrAppend(&typeinfo_, "gort::ItabN<", std::max<size_t>(funs.size(), 1), "> ", name,
                  "_tab = {", ii, ", ", ti, ", {",
                  funs.empty() ? "nullptr" : absl::StrJoin(funs, ", "), "}};\n");
  absl::StrAppend(&protos_, "extern gort::ItabN<", std::max<size_t>(funs.size(), 1), "> ", name,
                  "_tab;\n");
  const std::string ref = absl::StrCat("reinterpret_cast<const gort::Itab*>(&", name, "_tab)");
  itab_names_[key] = ref;
  return ref;
}

// ---------------------------------------------------------------- equality

std::string Codegen::EqualExpr(const Type* t, const std::string& a, const std::string& b) {
  const Type* u = Under(t);
  switch (u->kind) {
    case Kind::kString:
    case Kind::kUntypedString:
      return absl::StrCat("gort::StringEqual(", a, ", ", b, ")");
    case Kind::kInterface:
      return absl::StrCat(u->methods.empty() ? "gort::EFaceEqual(g, " : "gort::IFaceEqual(g, ", a,
                          ", ", b, ")");
    case Kind::kStruct:
    case Kind::kArray: {
      if (SizeOf(t) == 0) return "true";
      const std::string ct = CType(t);
      auto it = eq_names_.find(ct);
      std::string fn;
      if (it != eq_names_.end()) {
        fn = it->second;
      } else {
        fn = absl::StrCat("EQ", eq_names_.size());
        eq_names_[ct] = fn;
        absl::StrAppend(&protos_, "bool ", fn, "(gort::G* g, const ", ct, "& a, const ", ct,
                        "& b);\n");
        std::string body;
        if (u->kind == Kind::kStruct) {
          for (size_t i = 0; i < u->fields.size(); ++i) {
            const escape::Field& f = u->fields[i];
            if (f.name == "_" || SizeOf(f.type) == 0) continue;
            absl::StrAppend(&body, "  if (!(",
                            EqualExpr(f.type, absl::StrCat("a.f", i), absl::StrCat("b.f", i)),
                            ")) return false;\n");
          }
        } else {
          absl::StrAppend(&body, "  for (int64_t i = 0; i < ", u->len, "; ++i) if (!(",
                          EqualExpr(u->elem, "a.v[i]", "b.v[i]"), ")) return false;\n");
        }
        absl::StrAppend(&wrappers_, "bool ", fn, "(gort::G* g, const ", ct, "& a, const ", ct,
                        "& b) {\n", body, "  return true;\n}\n");
      }
      return absl::StrCat(fn, "(g, ", a, ", ", b, ")");
    }
    default:
      return absl::StrCat("(", a, ") == (", b, ")");
  }
}

}  // namespace gclab::gocompile
