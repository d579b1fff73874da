// Expressions. Expr() returns a C++ expression for a node's value; calls,
// receives, allocations and other runtime operations are materialized into
// temporaries as they are met (gc's order: left to right), everything else
// is returned inline and evaluated where the value is finally used.
#include <cinttypes>
#include <cmath>
#include <cstdio>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "gocompile/codegen.h"

namespace gclab::gocompile {

using escape::Under;

namespace {

bool IsBlank(const Node* n) { return n == nullptr || (n->op == Op::kName && n->obj == nullptr); }

bool IsWord(const Type* t) {
  Kind k = Under(t)->kind;
  return k == Kind::kPointer || k == Kind::kMap || k == Kind::kChan || k == Kind::kFunc ||
         k == Kind::kUnsafePointer;
}

int FieldIndex(const Type* st, const std::string& name) {
  const Type* u = Under(st);
  for (size_t i = 0; i < u->fields.size(); ++i)
    if (u->fields[i].name == name) return static_cast<int>(i);
  // Embedded fields are named after their type.
  for (size_t i = 0; i < u->fields.size(); ++i) {
    const Type* ft = u->fields[i].type;
    if (ft->kind != Kind::kNamed && Under(ft)->kind == Kind::kPointer) ft = Under(ft)->elem;
    if (u->fields[i].embedded && ft->kind == Kind::kNamed && ft->name == name)
      return static_cast<int>(i);
  }
  return -1;
}

}  // namespace

std::string QuoteC(const std::string& s);

// ---------------------------------------------------------------- temporaries

std::string Codegen::Temp(const Type* t, const std::string& value) {
  // Already a temporary (materialized by Expr): no copy.
  if (temp_slots_.count(value) || plain_temps_.count(value)) return value;
  const std::string name = NewTempName();
  Emit(absl::StrCat(CType(t), " ", name, " = ", value, ";"));
  const int nptrs = static_cast<int>(PtrOffsets(t).size());
  if (nptrs > 0) {
    const int first = AllocSlots(nptrs);
    temp_slots_[name] = first;
    Emit(MirrorStmts(name, t, first));
  } else {
    plain_temps_.insert(name);
  }
  return name;
}

int Codegen::MirrorSlotOf(const std::string& temp) {
  auto it = temp_slots_.find(temp);
  return it == temp_slots_.end() ? 0 : it->second;
}

bool Codegen::HasEffects(const Node* n) const {
  if (n == nullptr) return false;
  switch (n->op) {
    case Op::kCallFunc:
    case Op::kCallMeth:
    case Op::kCallInter:
    case Op::kRecv:
    case Op::kAppend:
    case Op::kNew:
    case Op::kPtrLit:
    case Op::kSliceLit:
    case Op::kMapLit:
    case Op::kMakeSlice:
    case Op::kMakeMap:
    case Op::kMakeChan:
    case Op::kClosure:
    case Op::kMethValue:
    case Op::kAddStr:
    case Op::kStr2Bytes:
    case Op::kBytes2Str:
    case Op::kStr2Runes:
    case Op::kRunes2Str:
    case Op::kRuneStr:
    case Op::kIndexMap:
    case Op::kCopy:
    case Op::kPanic:
    case Op::kRecover:
    case Op::kConvIface:
      return true;
    default:
      break;
  }
  if (!n->init.empty()) return true;
  if (HasEffects(n->x) || HasEffects(n->y) || HasEffects(n->z)) return true;
  if (n->op != Op::kPtrLit && HasEffects(n->w)) return true;
  for (const Node* c : n->list)
    if (HasEffects(c)) return true;
  for (const Node* c : n->list2)
    if (HasEffects(c)) return true;
  return false;
}

// ---------------------------------------------------------------- literals

std::string Codegen::Literal(const Node* n, const Type* t) {
  const escape::Constant& c = n->cval;
  const Type* u = Under(t);
  if (escape::IsUntyped(t)) u = Under(escape::DefaultType(t));
  if (escape::IsBoolean(u)) return c.bool_val() ? "true" : "false";
  if (escape::IsString(u)) {
    const std::string& s = c.string_val();
    if (s.empty()) return "gort::String{}";
    return absl::StrCat("gort::Literal(", LiteralOffset(s), ", ", s.size(), ")");
  }
  if (escape::IsInteger(u)) {
    escape::Constant iv = c.ToInt();
    const std::string ct = CType(u);
    if (escape::IsUnsigned(u)) {
      std::optional<uint64_t> v = iv.Uint64();
      return absl::StrCat("static_cast<", ct, ">(UINT64_C(", v.value_or(0), "))");
    }
    std::optional<int64_t> v = iv.Int64();
    int64_t x = v.value_or(0);
    if (x == INT64_MIN) return absl::StrCat("static_cast<", ct, ">(INT64_MIN)");
    return absl::StrCat("static_cast<", ct, ">(INT64_C(", x, "))");
  }
  if (escape::IsFloat(u)) {
    double d = static_cast<double>(c.Real());
    // A literal written in the source is read exactly from its text.
    const Node* syn = n->syntax;
    if (syn != nullptr && syn->op == Op::kBasicLit && (syn->int_val == 0 || syn->int_val == 1)) {
      std::string text;
      for (char ch : syn->str)
        if (ch != '_') text += ch;
      if (text.size() > 1 && text[0] == '0' &&
          (text[1] == 'o' || text[1] == 'O' || text[1] == 'b' || text[1] == 'B')) {
        // octal/binary integers: the long double value is exact
      } else {
        d = std::strtod(text.c_str(), nullptr);
      }
    }
    if (d == 0) d = 0;  // Go constants have no negative zero
    char buf[64];
    if (u->kind == Kind::kFloat32) {
      float f = static_cast<float>(syn != nullptr && syn->op == Op::kBasicLit
                                       ? std::strtof(syn->str.c_str(), nullptr)
                                       : static_cast<float>(c.Real()));
      std::snprintf(buf, sizeof(buf), "%a", static_cast<double>(f));
      return absl::StrCat("static_cast<float>(", buf, ")");
    }
    std::snprintf(buf, sizeof(buf), "%a", d);
    return absl::StrCat("static_cast<double>(", buf, ")");
  }
  Unsupported(n->pos, absl::StrCat("constant of type ", escape::TypeString(t)));
  return "0";
}

// ---------------------------------------------------------------- conversions

// The C++ value of `v` (Go type from) as Go type to, when Go allows the
// assignment or conversion without a runtime operation (identical
// underlying types, nil, channel direction).
std::string Codegen::ConvertValue(const std::string& v, const Type* from, const Type* to,
                                  escape::Pos pos) {
  if (from == nullptr || to == nullptr) return v;
  if (escape::IsInterface(to) && !escape::IsInterface(from)) {
    // Only reached for values of interface-typed places assigned from
    // concrete values without a conversion node (never for valid IR).
    Unsupported(pos, "implicit interface conversion");
    return v;
  }
  if (escape::IsInterface(to) && escape::IsInterface(from)) {
    const bool te = Under(to)->methods.empty(), fe = Under(from)->methods.empty();
    if (te && !fe) return absl::StrCat("gort::ToEFace(", v, ")");
    if (!te && fe)
      return absl::StrCat("gort::AssertIFace(g, ", v, ", ", TypeInfo(to), ", nullptr, nullptr)");
    if (!te && !fe && !escape::Identical(Under(from), Under(to)))
      return absl::StrCat("gort::ConvI2I(g, ", v, ", ", TypeInfo(to), ")");
  }
  return v;
}

std::string Codegen::ExprAs(const Node* n, const Type* t) {
  if (n->op == Op::kNil) return ZeroValue(t);
  if (n->op == Op::kLiteral) return Literal(n, escape::IsInterface(t) ? n->type : t);
  return ConvertValue(Expr(n), n->type, t, n->pos);
}

std::string Codegen::Convert(const Node* n) {
  const Type* to = n->type;
  const Node* x = n->x;
  if (x->op == Op::kNil) return ZeroValue(to);
  const Type* from = x->type;
  std::string v = Expr(x);
  const Type* tu = Under(to);
  const Type* fu = Under(from);
  if (escape::IsNumeric(tu) && (escape::IsNumeric(fu) || escape::IsUntyped(from))) {
    const std::string ct = CType(to);
    if (escape::IsInteger(tu) && escape::IsFloat(fu))
      return absl::StrCat("gort::FloatToInt<", ct, ">(", v, ")");
    return absl::StrCat("static_cast<", ct, ">(", v, ")");
  }
  if (tu->kind == Kind::kUnsafePointer || fu->kind == Kind::kUnsafePointer ||
      fu->kind == Kind::kUintptr) {
    Unsupported(n->pos, "unsafe conversions");
    return v;
  }
  return ConvertValue(v, from, to, n->pos);
}

// A constant converted to an interface lives in an immortal box made at
// startup (Go lays it out in read-only data): no allocation at run time.
std::string Codegen::ConstBox(const Node* x, const Type* t) {
  const std::string key = absl::StrCat(TypeInfo(t), "=", Literal(x, t));
  auto it = const_boxes_.find(key);
  if (it != const_boxes_.end()) return it->second;
  const std::string name = absl::StrCat("CB", const_boxes_.size());
  const_boxes_[key] = name;
  absl::StrAppend(&protos_, "gort::Word ", name, " = 0;\n");
  absl::StrAppend(&const_box_init_, "  { ", CType(t), " v = ", Literal(x, t), "; ", name,
                  " = gort::ImmortalBox(g, ", TypeInfo(t), ", &v); }\n");
  return name;
}

std::string Codegen::ConvIface(const Node* n) {
  const Type* to = n->type;
  const Node* x = n->x;
  const Type* from = x->type;
  const bool empty = Under(to)->methods.empty();
  if (x->op == Op::kNil) return ZeroValue(to);
  if (escape::IsInterface(from)) return ConvertValue(Expr(x), from, to, n->pos);
  std::string data;
  if (escape::IsDirectIface(from)) {
    std::string v = Expr(x);
    data = IsWord(from) ? v : absl::StrCat("gort::BitCast<gort::Word>(", v, ")");
  } else if (x->op == Op::kLiteral || SizeOf(from) == 0) {
    data = SizeOf(from) == 0 ? "gort::ZeroBase()" : ConstBox(x, from);
  } else {
    std::string v = Temp(from, Expr(x));
    const std::string site = SiteRef(n, nullptr, TypeInfo(from));
    f_->may_stack_allocate |= SiteBits(n, nullptr) != 0;
    data = Temp(escape::U().uintptr_t_,
                absl::StrCat("gort::Box(g, ", site, ", ", TypeInfo(from), ", &", v, ")"));
    // The box's word is a pointer: root it until the interface is used.
    const int s = AllocSlots(1);
    Emit(absl::StrCat(Slot(s), " = ", data, ";"));
  }
  if (empty) return absl::StrCat("gort::EFace{", TypeInfo(from), ", ", data, "}");
  return absl::StrCat("gort::IFace{", ItabFor(from, to), ", ", data, "}");
}

// ---------------------------------------------------------------- operators

std::string Codegen::ArithOp(const std::string& op, const std::string& a, const std::string& b,
                             const Type* t, const Type* bt, escape::Pos pos) {
  const std::string ct = CType(t);
  const Type* u = Under(t);
  if (op == "/" || op == "%") {
    if (escape::IsInteger(u))
      return absl::StrCat(op == "/" ? "gort::Div<" : "gort::Rem<", ct, ">(g, ", a, ", ", b, ", ",
                          PosRef(pos), ")");
    return absl::StrCat("(", a, " / ", b, ")");
  }
  if (op == "<<" || op == ">>") {
    return absl::StrCat(op == "<<" ? "gort::Shl<" : "gort::Shr<", ct, ">(g, ", a, ", ", b, ", ",
                        PosRef(pos), ")");
  }
  if (op == "&^") return absl::StrCat("static_cast<", ct, ">(", a, " & ~", b, ")");
  if (escape::IsFloat(u)) return absl::StrCat("(", a, " ", op, " ", b, ")");
  return absl::StrCat("static_cast<", ct, ">(", a, " ", op, " ", b, ")");
}

// x op y for comparison operators; x or y may be an interface compared
// with a value of a concrete type (no boxing).
std::string Codegen::CompareValues(const std::string& op, const std::string& a, const Type* at,
                                   const std::string& b, const Type* bt, escape::Pos pos) {
  const bool ai = escape::IsInterface(at), bi = escape::IsInterface(bt);
  if (ai != bi) {
    const std::string& iv = ai ? a : b;
    const Type* it = ai ? at : bt;
    std::string cv = ai ? b : a;
    const Type* ct = ai ? bt : at;
    if (escape::IsUntyped(ct)) ct = escape::DefaultType(ct);
    const std::string e =
        Temp(escape::U().empty_iface,
             Under(it)->methods.empty() ? iv : absl::StrCat("gort::ToEFace(", iv, ")"));
    cv = Temp(ct, cv);
    std::string value =
        escape::IsDirectIface(ct)
            ? absl::StrCat("gort::BitCast<", CType(ct), ">(", e, ".data)")
            : absl::StrCat("(*reinterpret_cast<const ", CType(ct), "*>(gort::Addr(", e, ".data)))");
    std::string eq =
        absl::StrCat("(", e, ".type == ", TypeInfo(ct), " && ", EqualExpr(ct, value, cv), ")");
    return op == "==" ? eq : absl::StrCat("!", eq);
  }
  const Type* t = escape::IsUntyped(at) && !escape::IsUntyped(bt) ? bt : at;
  const Type* u = Under(t);
  if (op == "==" || op == "!=") {
    std::string eq;
    if (u->kind == Kind::kSlice)
      eq = absl::StrCat("(", a, ").ptr == (", b, ").ptr");
    else
      eq = EqualExpr(t, a, b);
    return op == "==" ? absl::StrCat("(", eq, ")") : absl::StrCat("!(", eq, ")");
  }
  if (escape::IsString(u))
    return absl::StrCat("(gort::StringCompare(", a, ", ", b, ") ", op, " 0)");
  return absl::StrCat("(", a, " ", op, " ", b, ")");
}

std::string Codegen::Arith(const Node* n) {
  const std::string& op = n->str;
  if (op == "==" || op == "!=" || op == "<" || op == "<=" || op == ">" || op == ">=") {
    // Comparisons with nil.
    if (n->y->op == Op::kNil || n->x->op == Op::kNil) {
      const Node* v = n->y->op == Op::kNil ? n->x : n->y;
      std::string e = Expr(v);
      const Type* u = Under(v->type);
      std::string isnil;
      if (u->kind == Kind::kSlice)
        isnil = absl::StrCat("(", e, ").ptr == 0");
      else if (u->kind == Kind::kInterface)
        isnil = absl::StrCat("(", e, ").", u->methods.empty() ? "type" : "tab", " == nullptr");
      else
        isnil = absl::StrCat("(", e, ") == 0");
      return op == "==" ? absl::StrCat("(", isnil, ")") : absl::StrCat("!(", isnil, ")");
    }
    std::string a = n->x->op == Op::kLiteral ? Literal(n->x, escape::IsInterface(n->y->type)
                                                                 ? escape::DefaultType(n->x->type)
                                                                 : n->x->type)
                                             : Expr(n->x);
    std::string b = n->y->op == Op::kLiteral ? Literal(n->y, escape::IsInterface(n->x->type)
                                                                 ? escape::DefaultType(n->y->type)
                                                                 : n->y->type)
                                             : Expr(n->y);
    if (HasEffects(n->y) && !HasEffects(n->x)) {
      // a is inline and read after b's effects, as gc does.
    }
    return CompareValues(op, a, n->x->type, b, n->y->type, n->pos);
  }
  std::string a = Expr(n->x);
  std::string b = Expr(n->y);
  return ArithOp(op, a, b, n->type, n->y->type, n->pos);
}

// ---------------------------------------------------------------- places

// The lvalue of an addressable or assignable expression, with the effects
// of its operands (calls in index or pointer expressions) done now.
Codegen::Place Codegen::PrepareLhs(const Node* n) {
  Place p;
  switch (n->op) {
    case Op::kName: {
      p.lvalue = VarRef(n->obj);
      auto it = vars_.find(n->obj);
      if (n->obj->cls == escape::VarClass::kExtern) {
        p.barrier = true;
      } else if (it != vars_.end() && it->second.storage == Storage::kLocal) {
        p.local = n->obj;
      } else {
        p.barrier = true;
      }
      return p;
    }
    case Op::kDeref: {
      std::string ptr = Temp(n->x->type, Expr(n->x));
      if (SizeOf(n->type) == 0) {
        Emit(absl::StrCat("(void)gort::Deref(g, ", ptr, ", ", Pos(n), ");"));
        p.lvalue = "";
        p.zero_size = true;
        return p;
      }
      p.lvalue = absl::StrCat("(*reinterpret_cast<", CType(n->type), "*>(gort::Deref(g, ", ptr,
                              ", ", Pos(n), ")))");
      p.barrier = true;
      return p;
    }
    case Op::kDotPtr: {
      std::string ptr = Temp(n->x->type, Expr(n->x));
      const Type* st = Under(n->x->type)->elem;
      const int fi = FieldIndex(st, n->str);
      if (SizeOf(n->type) == 0) {
        Emit(absl::StrCat("(void)gort::Deref(g, ", ptr, ", ", Pos(n), ");"));
        p.zero_size = true;
        return p;
      }
      p.lvalue = absl::StrCat("reinterpret_cast<", CType(st), "*>(gort::Deref(g, ", ptr, ", ",
                              Pos(n), "))->f", fi);
      p.barrier = true;
      return p;
    }
    case Op::kDot: {
      Place base = PrepareLhs(n->x);
      const int fi = FieldIndex(n->x->type, n->str);
      p = base;
      if (SizeOf(n->type) == 0) {
        p.zero_size = true;
        return p;
      }
      p.lvalue = absl::StrCat("(", base.lvalue, ").f", fi);
      return p;
    }
    case Op::kIndexArr: {
      Place base = PrepareLhs(n->x);
      const Type* at = Under(n->x->type);
      std::string i = n->y->op == Op::kLiteral ? Expr(n->y) : Temp(n->y->type, Expr(n->y));
      p = base;
      if (SizeOf(n->type) == 0) {
        p.zero_size = true;
        return p;
      }
      std::string idx = n->y->op == Op::kLiteral
                            ? i
                            : absl::StrCat("gort::Idx(g, ", i, ", ", at->len, ", ", Pos(n), ")");
      p.lvalue = absl::StrCat("(", base.lvalue, ").v[", idx, "]");
      return p;
    }
    case Op::kIndexSlice: {
      std::string s = Temp(n->x->type, Expr(n->x));
      std::string i = Temp(n->y->type, Expr(n->y));
      if (SizeOf(n->type) == 0) {
        Emit(absl::StrCat("gort::CheckIndex(g, ", i, ", ", s, ".len, ", Pos(n), ");"));
        p.zero_size = true;
        return p;
      }
      p.lvalue = absl::StrCat("(*gort::SliceElem<", CType(n->type), ">(g, ", s, ", ", i, ", ",
                              Pos(n), "))");
      p.barrier = true;
      return p;
    }
    default:
      Unsupported(n->pos, "assignment target");
      return p;
  }
}

std::string Codegen::LhsValue(const Node* n, const Place& p) {
  if (n->op == Op::kIndexMap) return MapIndexPrepared(n, p);
  if (p.zero_size) return "gort::Empty{}";
  return p.lvalue;
}

void Codegen::StoreToPrepared(const Node* n, const Place& p, const std::string& value,
                              const Type* t) {
  if (n->op == Op::kIndexMap) {
    MapAssignPrepared(n, p, value);
    return;
  }
  if (p.zero_size || SizeOf(t) == 0) {
    Emit(absl::StrCat("(void)(", value, ");"));
    return;
  }
  Emit(StoreStmt(p.lvalue, value, t, p.barrier, n->pos) + ";");
  if (p.local != nullptr) MirrorVar(p.local);
}

void Codegen::StoreTo(const Node* lhs, const std::string& value, const Type* t) {
  if (IsBlank(lhs)) {
    Emit(absl::StrCat("(void)(", value, ");"));
    return;
  }
  if (lhs->op == Op::kIndexMap) {
    Place p = PrepareMapLhs(lhs);
    MapAssignPrepared(lhs, p, value);
    return;
  }
  Place p = PrepareLhs(lhs);
  StoreToPrepared(lhs, p, value, t);
}

std::string Codegen::StoreStmt(const std::string& lvalue, const std::string& value, const Type* t,
                               bool barrier, escape::Pos pos) {
  if (!barrier || !HasPtrs(t)) return absl::StrCat(lvalue, " = ", value);
  const Type* u = Under(t);
  const std::string pr = PosRef(pos);
  if (IsWord(t)) return absl::StrCat("gort::StorePtr(g, &", lvalue, ", ", value, ", ", pr, ")");
  switch (u->kind) {
    case Kind::kString:
      return absl::StrCat("gort::StoreString(g, &", lvalue, ", ", value, ", ", pr, ")");
    case Kind::kSlice:
      return absl::StrCat("gort::StoreSlice(g, &", lvalue, ", ", value, ", ", pr, ")");
    case Kind::kInterface:
      return absl::StrCat(u->methods.empty() ? "gort::StoreEFace(g, &" : "gort::StoreIFace(g, &",
                          lvalue, ", ", value, ", ", pr, ")");
    default:
      break;
  }
  // Structs and arrays with pointers: a generated typed store.
  const std::string ct = CType(t);
  auto it = store_fns_.find(ct);
  std::string fn;
  if (it != store_fns_.end()) {
    fn = it->second;
  } else {
    fn = absl::StrCat("ST", store_fns_.size());
    store_fns_[ct] = fn;
    absl::StrAppend(&protos_, "void ", fn, "(gort::G* g, ", ct, "* d, const ", ct,
                    "& v, const gort::Pos* pos);\n");
    std::string body;
    if (u->kind == Kind::kStruct) {
      for (size_t i = 0; i < u->fields.size(); ++i) {
        if (SizeOf(u->fields[i].type) == 0) continue;
        absl::StrAppend(
            &body, "  ",
            StoreStmtPos(absl::StrCat("d->f", i), absl::StrCat("v.f", i), u->fields[i].type),
            ";\n");
      }
    } else {
      absl::StrAppend(&body, "  for (int64_t i = 0; i < ", u->len, "; ++i) ",
                      StoreStmtPos("d->v[i]", "v.v[i]", u->elem), ";\n");
    }
    absl::StrAppend(&wrappers_, "void ", fn, "(gort::G* g, ", ct, "* d, const ", ct,
                    "& v, const gort::Pos* pos) {\n", body, "}\n");
  }
  return absl::StrCat(fn, "(g, &", lvalue, ", ", value, ", ", pr, ")");
}

// A barriered store inside a generated store function (position `pos`).
std::string Codegen::StoreStmtPos(const std::string& lvalue, const std::string& value,
                                  const Type* t) {
  std::string s = StoreStmt(lvalue, value, t, true, escape::Pos{});
  // Replace the position reference by the function's parameter.
  const std::string none = PosRef(escape::Pos{});
  size_t at;
  while ((at = s.find(none)) != std::string::npos) s.replace(at, none.size(), "pos");
  return s;
}

// &n as a Go pointer word.
std::string Codegen::AddrOf(const Node* n) {
  switch (n->op) {
    case Op::kName: {
      std::string a = VarAddr(n->obj);
      if (a.empty()) Unsupported(n->pos, absl::StrCat("address of ", n->obj->name));
      return a;
    }
    case Op::kDeref:
      return absl::StrCat("gort::FieldPtr(g, ", Expr(n->x), ", 0, ", Pos(n), ")");
    case Op::kDotPtr: {
      const Type* st = Under(n->x->type)->elem;
      return absl::StrCat("gort::FieldPtr(g, ", Expr(n->x), ", ",
                          FieldOffset(st, FieldIndex(st, n->str)), ", ", Pos(n), ")");
    }
    case Op::kDot: {
      std::string base = AddrOf(n->x);
      return absl::StrCat("gort::Advance(", base, ", ",
                          FieldOffset(n->x->type, FieldIndex(n->x->type, n->str)), ")");
    }
    case Op::kIndexArr: {
      std::string base = AddrOf(n->x);
      const Type* at = Under(n->x->type);
      std::string i = Expr(n->y);
      return absl::StrCat("gort::Advance(", base, ", static_cast<uint64_t>(gort::Idx(g, ", i, ", ",
                          at->len, ", ", Pos(n), ")) * ", SizeOf(at->elem), ")");
    }
    case Op::kIndexSlice: {
      std::string s = Temp(n->x->type, Expr(n->x));
      std::string i = Expr(n->y);
      return absl::StrCat("gort::SliceElemPtr(g, ", s, ", ", i, ", ", SizeOf(n->type), ", ", Pos(n),
                          ")");
    }
    default:
      Unsupported(n->pos, "address of this expression");
      return "0";
  }
}

// ---------------------------------------------------------------- expressions

std::string Codegen::Expr(const Node* n) {
  for (const Node* i : n->init) Stmt(i);
  switch (n->op) {
    case Op::kName:
      if (n->obj == nullptr) {
        Unsupported(n->pos, "blank identifier as a value");
        return "0";
      }
      if (SizeOf(n->type) == 0) return "gort::Empty{}";
      return VarRef(n->obj);
    case Op::kLiteral:
      return Literal(n, n->type);
    case Op::kNil:
      return ZeroValue(n->type);
    case Op::kFuncName:
      if (n->fn == nullptr || n->fn->external) {
        Unsupported(n->pos, absl::StrCat("standard function ", n->str, " as a value"));
        return "0";
      }
      return FuncValue(n->fn);
    case Op::kMethodExpr:
      return MethodExprValue(n);
    case Op::kAddr:
      return AddrOf(n->x);
    case Op::kDeref: {
      std::string p = Expr(n->x);
      if (SizeOf(n->type) == 0)
        return absl::StrCat("((void)gort::Deref(g, ", p, ", ", Pos(n), "), gort::Empty{})");
      return absl::StrCat("(*reinterpret_cast<", CType(n->type), "*>(gort::Deref(g, ", p, ", ",
                          Pos(n), ")))");
    }
    case Op::kDot: {
      std::string x = Expr(n->x);
      if (SizeOf(n->type) == 0) return "gort::Empty{}";
      return absl::StrCat("(", x, ").f", FieldIndex(n->x->type, n->str));
    }
    case Op::kDotPtr: {
      std::string p = Expr(n->x);
      const Type* st = Under(n->x->type)->elem;
      if (SizeOf(n->type) == 0)
        return absl::StrCat("((void)gort::Deref(g, ", p, ", ", Pos(n), "), gort::Empty{})");
      return absl::StrCat("reinterpret_cast<", CType(st), "*>(gort::Deref(g, ", p, ", ", Pos(n),
                          "))->f", FieldIndex(st, n->str));
    }
    case Op::kIndexArr: {
      std::string a = Expr(n->x);
      std::string i = Expr(n->y);
      const Type* at = Under(n->x->type);
      if (SizeOf(n->type) == 0)
        return absl::StrCat("((void)gort::Idx(g, ", i, ", ", at->len, ", ", Pos(n),
                            "), gort::Empty{})");
      if (n->y->op == Op::kLiteral) return absl::StrCat("(", a, ").v[", i, "]");
      return absl::StrCat("(", a, ").v[gort::Idx(g, ", i, ", ", at->len, ", ", Pos(n), ")]");
    }
    case Op::kIndexSlice: {
      std::string s = Expr(n->x);
      std::string i = Expr(n->y);
      if (SizeOf(n->type) == 0)
        return absl::StrCat("((void)gort::SliceElem<char>(g, ", s, ", ", i, ", ", Pos(n),
                            "), gort::Empty{})");
      return absl::StrCat("(*gort::SliceElem<", CType(n->type), ">(g, ", s, ", ", i, ", ", Pos(n),
                          "))");
    }
    case Op::kIndexString: {
      std::string s = Expr(n->x);
      std::string i = Expr(n->y);
      return absl::StrCat("gort::StringIndex(g, ", s, ", ", i, ", ", Pos(n), ")");
    }
    case Op::kIndexMap:
      return MapIndex(n, false, nullptr);
    case Op::kSliceArr:
    case Op::kSliceSlice: {
      std::string x = Temp(n->x->type, Expr(n->x));
      std::string lo = n->y != nullptr ? Expr(n->y) : "0";
      std::string ptr, cap, len;
      int64_t es;
      if (n->op == Op::kSliceArr) {
        const Type* at = Under(Under(n->x->type)->elem);
        ptr = absl::StrCat("gort::FieldPtr(g, ", x, ", 0, ", Pos(n), ")");
        cap = len = absl::StrCat(at->len);
        es = SizeOf(at->elem);
      } else {
        ptr = absl::StrCat(x, ".ptr");
        cap = absl::StrCat(x, ".cap");
        len = absl::StrCat(x, ".len");
        es = SizeOf(Under(n->x->type)->elem);
      }
      std::string hi = n->z != nullptr ? Expr(n->z) : len;
      std::string max = n->w != nullptr ? Expr(n->w) : cap;
      return Temp(n->type,
                  absl::StrCat("gort::SliceOf(g, ", ptr, ", ", cap, ", ", lo, ", ", hi, ", ", max,
                               ", ", n->ddd ? "true" : "false", ", ", es, ", ", Pos(n), ")"));
    }
    case Op::kSliceStr: {
      std::string x = Temp(n->x->type, Expr(n->x));
      std::string lo = n->y != nullptr ? Expr(n->y) : "0";
      std::string hi = n->z != nullptr ? Expr(n->z) : absl::StrCat(x, ".len");
      return absl::StrCat("gort::Substring(g, ", x, ", ", lo, ", ", hi, ", ", Pos(n), ")");
    }
    case Op::kConv:
      return Convert(n);
    case Op::kConvIface:
      return ConvIface(n);
    case Op::kStr2Bytes:
    case Op::kBytes2Str:
    case Op::kStr2Runes:
    case Op::kRunes2Str:
    case Op::kRuneStr: {
      std::string x = Expr(n->x);
      const char* fn = n->op == Op::kStr2Bytes   ? "StringToBytes"
                       : n->op == Op::kBytes2Str ? "BytesToString"
                       : n->op == Op::kStr2Runes ? "StringToRunes"
                       : n->op == Op::kRunes2Str ? "RunesToString"
                                                 : "RuneToString";
      const std::string ti = n->op == Op::kStr2Runes ? "&gort::kTypeInt32" : "&gort::kTypeUint8";
      f_->may_stack_allocate |= SiteBits(n, nullptr) != 0;
      return Temp(
          n->type,
          absl::StrCat("gort::", fn, "(g, ", SiteRef(n, nullptr, ti), ", ",
                       n->op == Op::kRuneStr ? absl::StrCat("static_cast<int64_t>(", x, ")") : x,
                       ")"));
    }
    case Op::kAddStr: {
      std::vector<std::string> parts;
      for (const Node* e : n->list) parts.push_back(Expr(e));
      const std::string arr = NewTempName();
      Emit(absl::StrCat("const gort::String ", arr, "[] = {", absl::StrJoin(parts, ", "), "};"));
      f_->may_stack_allocate |= SiteBits(n, nullptr) != 0;
      return Temp(n->type,
                  absl::StrCat("gort::Concat(g, ", SiteRef(n, nullptr, "&gort::kTypeUint8"), ", ",
                               arr, ", ", parts.size(), ")"));
    }
    case Op::kArith:
      return Arith(n);
    case Op::kLogic: {
      std::string a = Expr(n->x);
      if (!HasEffects(n->y)) return absl::StrCat("(", a, " ", n->str, " ", Expr(n->y), ")");
      const std::string t = NewTempName();
      Emit(absl::StrCat("bool ", t, " = ", a, ";"));
      Emit(absl::StrCat("if (", n->str == "&&" ? "" : "!", t, ") {"));
      ++f_->indent;
      const int mark = f_->next_slot;
      std::string b = Expr(n->y);
      Emit(absl::StrCat(t, " = ", b, ";"));
      f_->next_slot = mark;
      --f_->indent;
      Emit("}");
      return t;
    }
    case Op::kUnaryOp: {
      std::string x = Expr(n->x);
      const std::string ct = CType(n->type);
      if (n->str == "!") return absl::StrCat("(!", x, ")");
      if (n->str == "+") return x;
      if (n->str == "^") return absl::StrCat("static_cast<", ct, ">(~", x, ")");
      if (escape::IsFloat(n->type)) return absl::StrCat("(-", x, ")");
      return absl::StrCat("static_cast<", ct, ">(0 - ", x, ")");
    }
    case Op::kCallFunc:
    case Op::kCallMeth:
    case Op::kCallInter:
      return Call(n);
    case Op::kAppend:
      return Append(n);
    case Op::kCopy: {
      std::string d = Expr(n->x);
      std::string s = Expr(n->y);
      if (escape::IsString(n->y->type))
        return Temp(n->type, absl::StrCat("gort::CopyString(g, ", d, ", ", s, ")"));
      return Temp(n->type, absl::StrCat("gort::Copy(g, ", d, ", ", s, ", ",
                                        TypeInfo(Under(n->x->type)->elem), ")"));
    }
    case Op::kLen:
    case Op::kCap: {
      std::string x = Expr(n->x);
      const Type* u = Under(n->x->type);
      if (u->kind == Kind::kPointer) u = Under(u->elem);
      const char* field = n->op == Op::kLen ? "len" : "cap";
      switch (u->kind) {
        case Kind::kString:
          return absl::StrCat("(", x, ").len");
        case Kind::kSlice:
          return absl::StrCat("(", x, ").", field);
        case Kind::kArray:
          return absl::StrCat("((void)(", x, "), INT64_C(", u->len, "))");
        case Kind::kMap:
          return absl::StrCat("gort::MapLen(", x, ")");
        case Kind::kChan:
          return absl::StrCat(n->op == Op::kLen ? "gort::ChanLen(" : "gort::ChanCap(", x, ")");
        default:
          Unsupported(n->pos, "len/cap operand");
          return "0";
      }
    }
    case Op::kDelete: {
      std::string m = Temp(n->list[0]->type, Expr(n->list[0]));
      const Type* mt = Under(n->list[0]->type);
      std::string k = Temp(mt->key, ExprAs(n->list[1], mt->key));
      Emit(absl::StrCat("gort::MapDelete(g, ", m, ", &", k, ");"));
      return "";
    }
    case Op::kPanic: {
      std::string v = Temp(escape::U().empty_iface, ExprAs(n->x, escape::U().empty_iface));
      Emit(absl::StrCat("gort::PanicValue(g, ", v, ", ", Pos(n), ");"));
      return "";
    }
    case Op::kPrint:
    case Op::kPrintln: {
      std::vector<std::string> items;
      for (const Node* e : n->list) {
        const Type* t = escape::IsUntyped(e->type) ? escape::DefaultType(e->type) : e->type;
        std::string v = Temp(t, ExprAs(e, t));
        items.push_back(absl::StrCat("gort::PrintArg{", TypeInfo(t), ", &", v, "}"));
      }
      const std::string arr = NewTempName();
      Emit(absl::StrCat("const gort::PrintArg ", arr, "[] = {",
                        items.empty() ? "{}" : absl::StrJoin(items, ", "), "};"));
      Emit(absl::StrCat("gort::BuiltinPrint(g, ", arr, ", ", items.size(), ", ",
                        n->op == Op::kPrintln ? "true" : "false", ");"));
      return "";
    }
    case Op::kRecover:
      return Temp(n->type, "gort::Recover(g, can_recover)");
    case Op::kClose: {
      std::string c = Expr(n->x);
      Emit(absl::StrCat("gort::ChanClose(g, ", c, ", ", Pos(n), ");"));
      return "";
    }
    case Op::kNew: {
      const Type* t = Under(n->type)->elem;
      f_->may_stack_allocate |= SiteBits(n, nullptr) != 0;
      return Temp(n->type, absl::StrCat("gort::New(g, ", SiteRef(n, nullptr, TypeInfo(t)), ")"));
    }
    case Op::kMakeSlice: {
      std::string len = Expr(n->x);
      std::string cap = n->y != nullptr ? Expr(n->y) : "";
      if (cap.empty()) {
        len = Temp(escape::U().int_t, absl::StrCat("static_cast<int64_t>(", len, ")"));
        cap = len;
      }
      f_->may_stack_allocate |= SiteBits(n, nullptr) != 0;
      return Temp(n->type, absl::StrCat("gort::MakeSlice(g, ",
                                        SiteRef(n, nullptr, TypeInfo(Under(n->type)->elem)),
                                        ", static_cast<int64_t>(", len, "), static_cast<int64_t>(",
                                        cap, "), ", Pos(n), ")"));
    }
    case Op::kMakeMap: {
      std::string hint = n->x != nullptr ? Expr(n->x) : "0";
      f_->may_stack_allocate |= SiteBits(n, nullptr) != 0;
      return Temp(n->type,
                  absl::StrCat("gort::MakeMap(g, ", SiteRef(n, nullptr, "&gort::kTypeHMap"), ", ",
                               TypeInfo(n->type), ", static_cast<int64_t>(", hint, "))"));
    }
    case Op::kMakeChan: {
      std::string size = n->x != nullptr ? Expr(n->x) : "0";
      return Temp(n->type, absl::StrCat("gort::MakeChan(g, ", TypeInfo(n->type),
                                        ", static_cast<int64_t>(", size, "), ", Pos(n), ")"));
    }
    case Op::kMethValue:
      return MethodValue(n);
    case Op::kClosure:
      return ClosureValue(n);
    case Op::kPtrLit:
    case Op::kStructLit:
    case Op::kArrayLit:
    case Op::kSliceLit:
    case Op::kMapLit:
      return CompositeLit(n, n->type);
    case Op::kDotType:
      return TypeAssert(n, nullptr);
    case Op::kRecv:
      return Recv(n, nullptr);
    case Op::kSlice2ArrPtr: {
      std::string s = Temp(n->x->type, Expr(n->x));
      const int64_t len = Under(Under(n->type)->elem)->len;
      return absl::StrCat("gort::SliceToArrayPtr(g, ", s, ", ", len, ", ", Pos(n), ")");
    }
    default:
      Unsupported(n->pos, absl::StrCat("expression (", escape::ExprString(n), ")"));
      return "0";
  }
}

// ---------------------------------------------------------------- composite literals

std::string Codegen::CompositeLit(const Node* n, const Type* t) {
  if (n->op == Op::kPtrLit) {
    const Node* lit = n->x;
    const Type* vt = lit->type;
    // Values first, then the object: nothing half-built is live at a safepoint.
    std::vector<LitStore> stores = LitStores(lit, vt);
    f_->may_stack_allocate |= SiteBits(n, nullptr) != 0;
    std::string w =
        Temp(n->type, absl::StrCat("gort::New(g, ", SiteRef(n, nullptr, TypeInfo(vt)), ")"));
    if (!stores.empty()) {
      const std::string obj =
          absl::StrCat("(*reinterpret_cast<", CType(vt), "*>(gort::Addr(", w, ")))");
      for (const LitStore& st : stores)
        Emit(StoreStmt(absl::StrCat(obj, st.path), st.value, st.type, true, n->pos) + ";");
    }
    return w;
  }
  const Type* u = Under(t);
  if (n->op == Op::kSliceLit) {
    const Type* et = u->elem;
    const int64_t len = n->int_val;
    std::vector<std::pair<int64_t, std::string>> elems;
    int64_t next = 0;
    for (const Node* e : n->list) {
      const Node* v = e;
      if (e->op == Op::kKey) {
        next = e->x->cval.ToInt().Int64().value_or(0);
        v = e->y;
      }
      std::string val = ExprAs(v, et);
      if (HasPtrs(et) || HasEffects(v)) val = Temp(et, val);
      elems.emplace_back(next++, val);
    }
    if (len == 0) return "gort::Slice{gort::ZeroBase(), 0, 0}";
    f_->may_stack_allocate |= SiteBits(n, nullptr) != 0;
    std::string arr =
        Temp(escape::U().uintptr_t_,
             absl::StrCat("gort::NewArray(g, ", SiteRef(n, nullptr, TypeInfo(et)), ", ", len, ")"));
    const int s = AllocSlots(1);
    Emit(absl::StrCat(Slot(s), " = ", arr, ";"));
    if (SizeOf(et) > 0) {
      for (auto& [i, v] : elems)
        Emit(StoreStmt(
                 absl::StrCat("reinterpret_cast<", CType(et), "*>(gort::Addr(", arr, "))[", i, "]"),
                 v, et, true, n->pos) +
             ";");
    }
    return absl::StrCat("gort::Slice{", arr, ", ", len, ", ", len, "}");
  }
  if (n->op == Op::kMapLit) {
    f_->may_stack_allocate |= SiteBits(n, nullptr) != 0;
    std::string m =
        Temp(t, absl::StrCat("gort::MakeMap(g, ", SiteRef(n, nullptr, "&gort::kTypeHMap"), ", ",
                             TypeInfo(t), ", ", n->list.size(), ")"));
    for (const Node* e : n->list) {
      std::string k = Temp(u->key, ExprAs(e->x, u->key));
      std::string v = Temp(u->elem, ExprAs(e->y, u->elem));
      Emit(absl::StrCat("gort::MapAssign(g, ", m, ", &", k, ", &", v, ");"));
    }
    return m;
  }
  // A struct or array value.
  std::vector<LitStore> stores = LitStores(n, t);
  if (SizeOf(t) == 0) return "gort::Empty{}";
  const std::string v = NewTempName();
  Emit(absl::StrCat(CType(t), " ", v, "{};"));
  for (const LitStore& st : stores) Emit(absl::StrCat(v, st.path, " = ", st.value, ";"));
  const int nptrs = static_cast<int>(PtrOffsets(t).size());
  if (nptrs > 0) Emit(MirrorStmts(v, t, AllocSlots(nptrs)));
  return v;
}

// The (member path, value) stores of a struct or array literal, values
// evaluated now in order (nested literals flattened into paths).
std::vector<Codegen::LitStore> Codegen::LitStores(const Node* n, const Type* t) {
  std::vector<LitStore> out;
  const Type* u = Under(t);
  auto add = [&](const std::string& path, const Node* v, const Type* ft) {
    if (SizeOf(ft) == 0) {
      if (HasEffects(v)) Emit(absl::StrCat("(void)(", Expr(v), ");"));
      return;
    }
    if ((v->op == Op::kStructLit || v->op == Op::kArrayLit) && v->type != nullptr) {
      for (const LitStore& inner : LitStores(v, ft))
        out.push_back(LitStore{path + inner.path, inner.value, inner.type});
      return;
    }
    std::string val = ExprAs(v, ft);
    if (HasPtrs(ft) || HasEffects(v)) val = Temp(ft, val);
    out.push_back(LitStore{path, val, ft});
  };
  if (n->op == Op::kStructLit) {
    for (const Node* e : n->list) {
      const int fi = FieldIndex(t, e->str);
      add(absl::StrCat(".f", fi), e->x, u->fields[fi].type);
    }
  } else if (n->op == Op::kArrayLit) {
    int64_t next = 0;
    for (const Node* e : n->list) {
      const Node* v = e;
      if (e->op == Op::kKey) {
        next = e->x->cval.ToInt().Int64().value_or(0);
        v = e->y;
      }
      add(absl::StrCat(".v[", next++, "]"), v, u->elem);
    }
  }
  return out;
}

// ---------------------------------------------------------------- append

std::string Codegen::Append(const Node* n) {
  const Type* st = n->type;
  const Type* et = Under(st)->elem;
  std::string s = Temp(st, Expr(n->list[0]));
  if (n->ddd) {
    const Node* src = n->list[1];
    std::string v = Temp(src->type, Expr(src));
    std::string r =
        escape::IsString(src->type)
            ? absl::StrCat("gort::AppendString(g, ", s, ", ", v, ")")
            : absl::StrCat("gort::AppendSlice(g, ", s, ", ", v, ", ", TypeInfo(et), ")");
    return Temp(st, r);
  }
  std::vector<std::string> vals;
  for (size_t i = 1; i < n->list.size(); ++i) {
    std::string v = ExprAs(n->list[i], et);
    vals.push_back(Temp(et, v));
  }
  if (vals.empty()) return s;
  const std::string nl = NewTempName();
  Emit(absl::StrCat("const int64_t ", nl, " = ", s, ".len + ", vals.size(), ";"));
  Emit(absl::StrCat("if (", nl, " > ", s, ".cap) { ", s, " = gort::GrowSlice(g, ", s, ", ",
                    TypeInfo(et), ", ", nl, "); ",
                    HasPtrs(st) ? MirrorStmts(s, st, MirrorSlotOf(s)) : "", "} else { ", s,
                    ".len = ", nl, "; }"));
  if (SizeOf(et) > 0) {
    for (size_t i = 0; i < vals.size(); ++i)
      Emit(StoreStmt(absl::StrCat("gort::SliceData<", CType(et), ">(", s, ")[", nl, " - ",
                                  vals.size() - i, "]"),
                     vals[i], et, true, n->pos) +
           ";");
  }
  return s;
}

// ---------------------------------------------------------------- maps, channels

Codegen::Place Codegen::PrepareMapLhs(const Node* n) {
  Place p;
  const Type* mt = Under(n->x->type);
  p.map = Temp(n->x->type, Expr(n->x));
  p.key = Temp(mt->key, ExprAs(n->y, mt->key));
  return p;
}

std::string Codegen::MapIndexPrepared(const Node* n, const Place& p) {
  const Type* mt = Under(n->x->type);
  return Temp(mt->elem, absl::StrCat("*reinterpret_cast<const ", CType(mt->elem),
                                     "*>(gort::MapAccess(g, ", p.map, ", &", p.key, ", nullptr))"));
}

void Codegen::MapAssignPrepared(const Node* n, const Place& p, const std::string& value) {
  const Type* mt = Under(n->x->type);
  std::string v = Temp(mt->elem, value);
  Emit(absl::StrCat("gort::MapAssign(g, ", p.map, ", &", p.key, ", &", v, ");"));
}

void Codegen::MapAssign(const Node* lhs, const Node* rhs) {
  Place p = PrepareMapLhs(lhs);
  const Type* mt = Under(lhs->x->type);
  MapAssignPrepared(lhs, p, ExprAs(rhs, mt->elem));
}

std::string Codegen::MapIndex(const Node* n, bool comma_ok, std::string* ok) {
  Place p = PrepareMapLhs(n);
  const Type* mt = Under(n->x->type);
  std::string okv = "nullptr";
  if (comma_ok) {
    *ok = NewTempName();
    Emit(absl::StrCat("bool ", *ok, " = false;"));
    okv = absl::StrCat("&", *ok);
  }
  return Temp(mt->elem,
              absl::StrCat("*reinterpret_cast<const ", CType(mt->elem), "*>(gort::MapAccess(g, ",
                           p.map, ", &", p.key, ", ", okv, "))"));
}

std::string Codegen::Recv(const Node* n, std::string* ok) {
  const Type* et = Under(n->x->type)->elem;
  std::string c = Expr(n->x);
  const std::string v = NewTempName();
  Emit(absl::StrCat(CType(et), " ", v, "{};"));
  const int nptrs = static_cast<int>(PtrOffsets(et).size());
  const int slots = nptrs > 0 ? AllocSlots(nptrs) : -1;
  std::string call =
      absl::StrCat("gort::ChanRecv(g, ", c, ", &", v, ", ",
                   slots >= 0 ? absl::StrCat("&", Slot(slots)) : "nullptr", ", ", Pos(n), ")");
  if (ok != nullptr) {
    *ok = NewTempName();
    Emit(absl::StrCat("const bool ", *ok, " = ", call, ";"));
  } else {
    Emit(absl::StrCat("(void)", call, ";"));
  }
  return v;
}

void Codegen::Send(const Node* n) {
  const Type* et = Under(n->x->type)->elem;
  std::string c = Temp(n->x->type, Expr(n->x));
  std::string v = Temp(et, ExprAs(n->y, et));
  Emit(absl::StrCat("gort::ChanSend(g, ", c, ", &", v, ", ", Pos(n), ");"));
}

std::string Codegen::TypeAssert(const Node* n, std::string* ok) {
  const Type* t = n->op == Op::kDotType2 ? n->w->type : n->type;
  const Type* xt = n->x->type;
  std::string x = Expr(n->x);
  const std::string e =
      Temp(escape::U().empty_iface,
           Under(xt)->methods.empty() ? x : absl::StrCat("gort::ToEFace(", x, ")"));
  if (escape::IsInterface(t)) {
    if (ok != nullptr) {
      *ok = NewTempName();
      Emit(absl::StrCat("bool ", *ok, " = false;"));
      if (Under(t)->methods.empty()) {
        Emit(absl::StrCat(*ok, " = ", e, ".type != nullptr;"));
        return Temp(t, e);
      }
      return Temp(t, absl::StrCat("gort::AssertIFace(g, ", e, ", ", TypeInfo(t), ", &", *ok, ", ",
                                  Pos(n), ")"));
    }
    if (Under(t)->methods.empty()) {
      Emit(absl::StrCat("if (", e, ".type == nullptr) gort::PanicAssert(g, nullptr, ", TypeInfo(t),
                        ", ", TypeInfo(xt), ", ", Pos(n), ");"));
      return e;
    }
    return Temp(
        t, absl::StrCat("gort::AssertIFace(g, ", e, ", ", TypeInfo(t), ", nullptr, ", Pos(n), ")"));
  }
  const std::string ti = TypeInfo(t);
  if (ok != nullptr) {
    *ok = NewTempName();
    Emit(absl::StrCat("const bool ", *ok, " = ", e, ".type == ", ti, ";"));
    return Temp(t, absl::StrCat(*ok, " ? ", EFaceTo(e, t), " : ", ZeroValue(t)));
  }
  Emit(absl::StrCat("if (", e, ".type != ", ti, ") gort::PanicAssert(g, ", e, ".type, ", ti, ", ",
                    TypeInfo(xt), ", ", Pos(n), ");"));
  return Temp(t, EFaceTo(e, t));
}

// ---------------------------------------------------------------- calls

// Evaluates a call's callee (func value, receiver or interface) and
// arguments in Go's order; the values are temporaries or inline pure
// expressions. The call's init statements (the callee's or receiver's
// temporary, escape's RewriteNonNameCall) were run by the caller (Expr,
// GoDefer), once.
Codegen::CallParts Codegen::EvalCallParts(const Node* call, bool all_temps) {
  CallParts p;
  const Type* sig = nullptr;
  size_t first_arg = 0;
  switch (call->op) {
    case Op::kCallFunc: {
      const Node* fx = call->x;
      sig = Under(fx->type);
      if (fx->op == Op::kFuncName && fx->fn != nullptr) {
        p.kind = fx->fn->external ? CallParts::kStd : CallParts::kStatic;
        p.fn = fx->fn;
      } else {
        p.kind = CallParts::kValue;
        p.values.push_back(Temp(fx->type, Expr(fx)));
        p.types.push_back(fx->type);
      }
      break;
    }
    case Op::kCallMeth: {
      p.fn = call->fn;
      p.kind = p.fn != nullptr && p.fn->external ? CallParts::kStdMethod : CallParts::kStatic;
      sig = Under(call->type == nullptr ? nullptr : call->type);
      sig = p.fn != nullptr ? p.fn->sig : nullptr;
      // The receiver is argument 0 (a temporary if a later argument has
      // effects: it is evaluated first).
      const Node* r = call->list[0];
      bool later = all_temps;
      for (size_t i = 1; i < call->list.size(); ++i) later |= HasEffects(call->list[i]);
      std::string rv = Expr(r);
      p.values.push_back(later ? Temp(r->type, rv) : rv);
      p.types.push_back(r->type);
      first_arg = 1;
      break;
    }
    case Op::kCallInter: {
      p.kind = CallParts::kInterface;
      const Node* dot = call->x;
      sig = Under(dot->type);
      p.iface_type = dot->x->type;
      p.method = dot->str;
      p.values.push_back(Temp(dot->x->type, Expr(dot->x)));
      p.types.push_back(dot->x->type);
      break;
    }
    default:
      break;
  }
  p.sig = sig;
  p.first_value_arg = static_cast<int>(p.values.size());
  // An argument is materialized if a later one has effects (gc's order:
  // calls happen left to right) or if the caller needs every value stored.
  std::vector<bool> later_effects(call->list.size() + 1, false);
  for (size_t i = call->list.size(); i-- > first_arg;)
    later_effects[i] = later_effects[i + 1] || HasEffects(call->list[i]);
  for (size_t i = first_arg; i < call->list.size(); ++i) {
    const Node* a = call->list[i];
    const size_t pi = i - first_arg;
    const Type* pt = sig != nullptr && pi < sig->fields.size() ? sig->fields[pi].type : a->type;
    std::string v = ExprAs(a, pt);
    if (all_temps || later_effects[i + 1]) v = Temp(pt, v);
    p.values.push_back(v);
    p.types.push_back(pt);
  }
  return p;
}

// The call expression from evaluated parts (`vals` are C++ expressions for
// p.values, e.g. fields of a defer record).
std::string Codegen::CallFromParts(const Node* call, const CallParts& p,
                                   const std::vector<std::string>& vals) {
  std::vector<std::string> args(vals.begin() + p.first_value_arg, vals.end());
  switch (p.kind) {
    case CallParts::kStatic: {
      std::vector<std::string> all = {"g"};
      if (call->op == Op::kCallMeth) all.push_back(vals[0]);
      if (call->op == Op::kCallFunc && call->x->op == Op::kClosure) {
        // not reached: directly called closures are func values
      }
      all.insert(all.end(), args.begin(), args.end());
      return absl::StrCat(FuncCName(p.fn), "(", absl::StrJoin(all, ", "), ")");
    }
    case CallParts::kValue: {
      const std::string fv = vals[0];
      std::vector<std::string> all = {"g", fv};
      all.insert(all.end(), args.begin(), args.end());
      return absl::StrCat("reinterpret_cast<", FuncPtrType(p.sig, true),
                          ">(*reinterpret_cast<void**>(gort::Deref(g, ", fv, ", ", Pos(call),
                          ")))(", absl::StrJoin(all, ", "), ")");
    }
    case CallParts::kInterface: {
      const std::string iv = vals[0];
      const int k = IfaceMethodIndex(p.iface_type, p.method);
      std::vector<std::string> all = {"g", absl::StrCat(iv, ".data")};
      all.insert(all.end(), args.begin(), args.end());
      return absl::StrCat("reinterpret_cast<", FuncPtrType(p.sig, true), ">(gort::ITab(g, ", iv,
                          ", ", Pos(call), ")->fun[", k, "])(", absl::StrJoin(all, ", "), ")");
    }
    case CallParts::kStd:
    case CallParts::kStdMethod:
      return StdCall(call, p, vals);
  }
  return "";
}

std::string Codegen::Call(const Node* n) {
  CallParts p = EvalCallParts(n, /*all_temps=*/false);
  std::string call = CallFromParts(n, p, p.values);
  if (call.empty()) return "";
  const Type* rt = n->type;
  if (rt == nullptr) {
    Emit(absl::StrCat(call, ";"));
    return "";
  }
  std::string t = Temp(rt, call);
  // Escape checks: a pointer into a popped frame may come back from a
  // callee that returned the address of its own stack object.
  std::vector<uint32_t> ptrs = PtrOffsets(rt);
  for (uint32_t o : ptrs)
    Emit(absl::StrCat("gort::MirrorCheck(g, gort::WordAt(&", t, ", ", o, "), ", Pos(n), ");"));
  return t;
}

}  // namespace gclab::gocompile
