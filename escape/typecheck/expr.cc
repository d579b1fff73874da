// Expressions (go's typecheck/expr.go, noder/expr.go): operands,
// operators with constant folding, index, slice, type assertions,
// composite and function literals.
//
// Expr() records irgen's base position: it is set on entry to every
// non-constant expression; constant and type expressions leave it as it
// was (irgen does not translate their parts).
#include <set>

#include "absl/strings/str_cat.h"
#include "escape/typecheck/checker.h"

namespace gclab::escape {

absl::StatusOr<Node*> Checker::Expr(const Node* n, ExprMode mode) {
  if (StackExhausted()) return TooDeep(n->pos);
  const Node* u = n;
  while (u->op == Op::kParen) u = u->x;
  Pos saved = base_pos_;
  if (stencil_) {
    // subster: a constant is one node with its own position; names and
    // types do not move base.Pos.
    if (u->op != Op::kIdent) base_pos_ = u->pos;
    absl::StatusOr<Node*> r = ExprImpl(u, mode);
    if (r.ok()) {
      Op op = (*r)->op;
      if (op == Op::kLiteral || op == Op::kNil) {
        base_pos_ = u->pos;
      } else if (op == Op::kType || op == Op::kName || op == Op::kFuncName) {
        base_pos_ = saved;
      }
    }
    return r;
  }
  base_pos_ = u->pos;
  absl::StatusOr<Node*> r = ExprImpl(u, mode);
  if (r.ok() && ((*r)->op == Op::kLiteral || (*r)->op == Op::kType)) base_pos_ = saved;
  return r;
}

absl::StatusOr<Node*> Checker::ExprImpl(const Node* n, ExprMode mode) {
  switch (n->op) {
    case Op::kBasicLit:
      return BasicLit(n);
    case Op::kIdent:
      return Ident(n, mode);
    case Op::kFuncLit:
      return FuncLit(n);
    case Op::kCompositeLit:
      return CompositeLit(n, nullptr);
    case Op::kSelector:
      return Selector(n, mode);
    case Op::kIndex:
      return Index(n, mode);
    case Op::kSliceExpr:
      return SliceExpr(n);
    case Op::kTypeAssert:
      return TypeAssert(n, mode);
    case Op::kCall:
      return Call(n, mode);
    case Op::kStar: {
      absl::StatusOr<Node*> x = Expr(n->x);
      if (!x.ok()) return x.status();
      if ((*x)->op == Op::kType) return TypeNode(prog_->types.Pointer((*x)->type), n->pos);
      if (absl::Status st = SingleValue(*x); !st.ok()) return st;
      if ((*x)->type->kind == Kind::kUntypedNil)
        return Err(n->pos, "invalid operation: cannot indirect nil");
      const Type* core = CoreType((*x)->type);
      if (core == nullptr || core->kind != Kind::kPointer)
        return Err(n->pos, absl::StrCat("invalid operation: cannot indirect ", ExprText(n->x), " (",
                                        Describe(*x), ")"));
      Node* r = NewNode(Op::kDeref, n->pos);
      r->x = *x;
      r->type = core->elem;
      return r;
    }
    case Op::kUnary:
      return Unary(n, mode);
    case Op::kBinary:
      return BinaryExpr(n);
    case Op::kKeyValue:
      return Err(n->pos, "unexpected key:value expression");
    case Op::kArrayType:
    case Op::kSliceType:
    case Op::kMapType:
    case Op::kFuncType:
    case Op::kStructType:
    case Op::kInterfaceType:
    case Op::kChanType: {
      absl::StatusOr<const Type*> t = ResolveType(n);
      if (!t.ok()) return t.status();
      return TypeNode(*t, n->pos);
    }
    default:
      return Err(n->pos, "unexpected expression");
  }
}

absl::StatusOr<Node*> Checker::BasicLit(const Node* n) {
  const Universe& u = U();
  std::optional<Constant> v;
  const Type* t = nullptr;
  switch (n->int_val) {
    case 0:
      v = ParseNumberLiteral(n->str);
      t = u.untyped_int;
      break;
    case 1:
      v = ParseNumberLiteral(n->str);
      t = u.untyped_float;
      break;
    case 2:
      v = ParseNumberLiteral(n->str);
      t = u.untyped_complex;
      break;
    case 3:
      v = ParseRuneLiteral(n->str);
      t = u.untyped_rune;
      break;
    default:
      v = ParseStringLiteral(n->str);
      t = u.untyped_string;
      break;
  }
  if (!v.has_value()) return Err(n->pos, absl::StrCat("malformed literal ", n->str));
  if (t == u.untyped_float && v->kind() == Constant::Kind::kInt) v = v->ToFloat();
  return ConstNode(*v, t, n);
}

absl::StatusOr<Node*> Checker::Ident(const Node* n, ExprMode mode) {
  if (n->str == "_") return Err(n->pos, "cannot use _ as value");
  Obj* o = scope_->Lookup(n->str);
  if (o == nullptr) return Err(n->pos, absl::StrCat("undefined: ", n->str));
  switch (o->kind) {
    case ObjKind::kVar: {
      if (state_.count(o) && state_[o] != DeclState::kDone) {
        if (absl::Status st = CheckGlobal(o); !st.ok()) return st;
      }
      if (o->type == nullptr || (IsInvalid(o->type) && !IsOpaque(o->type)))
        return Err(n->pos, absl::StrCat("invalid use of ", n->str, " (invalid type)"));
      if (!mode.lhs) o->used = true;
      if (o->cls != VarClass::kExtern && o->curfn != fn_) Capture(o);
      return NameNode(o, n->pos);
    }
    case ObjKind::kConst: {
      if (o->name == "iota" && o->pkg == nullptr && universe_.LookupLocal("iota") == o) {
        if (iota_ < 0) return Err(n->pos, "cannot use iota outside constant declaration");
        return ConstNode(Constant::Int(iota_), U().untyped_int, n);
      }
      if (state_.count(o) && state_[o] != DeclState::kDone) {
        if (absl::Status st = EvalConst(o); !st.ok()) return st;
      }
      if (o->type == nullptr || IsInvalid(o->type))
        return Err(n->pos, absl::StrCat("invalid use of constant ", n->str));
      return ConstNode(o->val, o->type, n);
    }
    case ObjKind::kTypeName: {
      if (o->type == nullptr) {
        if (absl::Status st = ResolveTypeName(o); !st.ok()) return st;
      }
      if (o->type == nullptr) return Err(n->pos, absl::StrCat("invalid use of type ", n->str));
      if (!o->type->type_params.empty())
        return Err(n->pos,
                   absl::StrCat("cannot use generic type ", n->str, " without instantiation"));
      return TypeNode(o->type, n->pos);
    }
    case ObjKind::kFunc: {
      if (o->fn != nullptr && o->fn->generic)
        return Err(n->pos,
                   absl::StrCat("cannot use generic function ", n->str, " without instantiation"));
      if (o->type == nullptr) return Err(n->pos, absl::StrCat("invalid use of ", n->str));
      Node* f = NewNode(Op::kFuncName, n->pos);
      f->fn = o->fn;
      f->type = o->type;
      f->str = n->str;
      return f;
    }
    case ObjKind::kNil: {
      Node* r = NewNode(Op::kNil, n->pos);
      r->type = U().untyped_nil;
      r->str = "nil";
      return r;
    }
    case ObjKind::kBuiltin:
      return Err(n->pos, absl::StrCat(n->str, " (built-in function ", n->str, ") must be called"));
    case ObjKind::kPkg:
      return Err(n->pos, absl::StrCat("use of package ", n->str, " without selector"));
  }
  return Err(n->pos, "unexpected identifier");
}

absl::StatusOr<Node*> Checker::Unary(const Node* n, ExprMode mode) {
  if (n->str == "&") {
    absl::StatusOr<Node*> x = Expr(n->x);
    if (!x.ok()) return x.status();
    Node* v = *x;
    switch (v->op) {
      case Op::kStructLit:
      case Op::kArrayLit:
      case Op::kSliceLit:
      case Op::kMapLit: {
        Node* r = NewNode(Op::kPtrLit, n->pos);
        r->x = v;
        r->type = prog_->types.Pointer(v->type);
        return r;
      }
      default:
        break;
    }
    if (absl::Status st = SingleValue(v); !st.ok()) return st;
    if (!Addressable(v))
      return Err(n->pos, absl::StrCat("invalid operation: cannot take address of ", ExprText(n->x),
                                      " (", Describe(v), ")"));
    Node* r = NewNode(Op::kAddr, n->pos);
    r->x = v;
    r->type = prog_->types.Pointer(v->type);
    return r;
  }
  absl::StatusOr<Node*> xr = Expr(n->x);
  if (!xr.ok()) return xr.status();
  Node* x = *xr;
  if (absl::Status st = SingleValue(x); !st.ok()) return st;
  if (n->str == "<-") {
    const Type* ct = CoreType(x->type);
    if (ct == nullptr || ct->kind != Kind::kChan)
      return Err(n->pos, absl::StrCat("invalid operation: cannot receive from non-channel ",
                                      ExprText(n->x), " (", Describe(x), ")"));
    if (ct->dir == ChanDir::kSend)
      return Err(n->pos, absl::StrCat("invalid operation: cannot receive from send-only channel ",
                                      ExprText(n->x), " (", Describe(x), ")"));
    Node* r = NewNode(Op::kRecv, n->pos);
    r->x = x;
    r->type = ct->elem;
    if (mode.comma_ok) r->type = prog_->types.Tuple({ct->elem, U().untyped_bool});
    return r;
  }
  const std::string& op = n->str;
  bool ok = op == "!" ? IsBoolean(x->type) : op == "^" ? IsInteger(x->type) : IsNumeric(x->type);
  if (!ok)
    return Err(n->pos, absl::StrCat("invalid operation: operator ", op, " not defined on ",
                                    ExprText(n->x), " (", Describe(x), ")"));
  if (x->op == Op::kLiteral) {
    int bits = IsUnsigned(x->type) && !IsUntyped(x->type) ? IntBits(x->type) : 0;
    std::optional<Constant> v = Constant::Unary(op, x->cval, bits);
    if (!v.has_value()) return Err(n->pos, absl::StrCat("invalid constant operation ", op));
    if (!IsUntyped(x->type) && !Representable(*v, x->type, nullptr))
      return Err(n->pos,
                 absl::StrCat("constant ", v->ToString(), " overflows ", TypeString(x->type)));
    return ConstNode(*v, x->type, n);
  }
  Node* r = NewNode(Op::kUnaryOp, n->pos);
  r->str = op;
  r->x = x;
  r->type = x->type;
  return r;
}

namespace {

int UntypedRank(const Type* t) {
  switch (t->kind) {
    case Kind::kUntypedInt:
      return 1;
    case Kind::kUntypedRune:
      return 2;
    case Kind::kUntypedFloat:
      return 3;
    case Kind::kUntypedComplex:
      return 4;
    default:
      return 0;
  }
}

Constant ToKind(const Constant& c, const Type* t) {
  if (IsComplex(t)) return c.ToComplex();
  if (IsFloat(t)) return c.ToFloat();
  if (IsInteger(t)) return c.ToInt();
  return c;
}

bool IsComparisonOp(const std::string& op) {
  return op == "==" || op == "!=" || op == "<" || op == "<=" || op == ">" || op == ">=";
}

}  // namespace

absl::StatusOr<Node*> Checker::BinaryExpr(const Node* n) {
  absl::StatusOr<Node*> xr = Expr(n->x);
  if (!xr.ok()) return xr.status();
  absl::StatusOr<Node*> yr = Expr(n->y);
  if (!yr.ok()) return yr.status();
  Node* x = *xr;
  Node* y = *yr;
  if (absl::Status st = SingleValue(x); !st.ok()) return st;
  if (absl::Status st = SingleValue(y); !st.ok()) return st;
  const std::string& op = n->str;
  if (op == "<<" || op == ">>") return Shift(n, x, y);
  if (IsComparisonOp(op)) return Comparison(n, x, y);
  if (op == "&&" || op == "||") {
    if (!IsBoolean(x->type) || !IsBoolean(y->type))
      return Err(n->pos, absl::StrCat("invalid operation: operator ", op, " not defined on ",
                                      ExprText(!IsBoolean(x->type) ? n->x : n->y), " (",
                                      Describe(!IsBoolean(x->type) ? x : y), ")"));
    const Type* t = IsUntyped(x->type) ? y->type : x->type;
    if (!IsUntyped(x->type) && !IsUntyped(y->type) && !Identical(x->type, y->type))
      return Err(n->pos, absl::StrCat("invalid operation: ", ExprText(n), " (mismatched types ",
                                      TypeString(x->type), " and ", TypeString(y->type), ")"));
    if (x->op == Op::kLiteral && y->op == Op::kLiteral) {
      std::optional<Constant> v = Constant::Binary(op, x->cval, y->cval);
      if (v.has_value()) return ConstNode(*v, t, n);
    }
    Node* r = NewNode(Op::kLogic, n->pos);
    r->str = op;
    r->x = x;
    r->y = y;
    r->type = t;
    return r;
  }
  // Arithmetic: unify the operand types.
  if (IsUntyped(x->type) && !IsUntyped(y->type)) {
    absl::StatusOr<Node*> c = x->op == Op::kLiteral ? ConvertConst(x, y->type, "operation")
                                                    : Assign(x, y->type, "operation");
    if (!c.ok())
      return Err(n->pos, absl::StrCat("invalid operation: ", ExprText(n), " (mismatched types ",
                                      TypeString(x->type), " and ", TypeString(y->type), ")"));
    x = *c;
  } else if (IsUntyped(y->type) && !IsUntyped(x->type)) {
    absl::StatusOr<Node*> c = y->op == Op::kLiteral ? ConvertConst(y, x->type, "operation")
                                                    : Assign(y, x->type, "operation");
    if (!c.ok())
      return Err(n->pos, absl::StrCat("invalid operation: ", ExprText(n), " (mismatched types ",
                                      TypeString(x->type), " and ", TypeString(y->type), ")"));
    y = *c;
  } else if (IsUntyped(x->type) && IsUntyped(y->type) && x->type != y->type) {
    int rx = UntypedRank(x->type), ry = UntypedRank(y->type);
    if (rx == 0 || ry == 0)
      return Err(n->pos, absl::StrCat("invalid operation: ", ExprText(n), " (mismatched types ",
                                      TypeString(x->type), " and ", TypeString(y->type), ")"));
    const Type* t = rx > ry ? x->type : y->type;
    x = CopyNode(x);
    y = CopyNode(y);
    x->type = t;
    y->type = t;
    x->cval = ToKind(x->cval, t);
    y->cval = ToKind(y->cval, t);
  }
  if (!Identical(x->type, y->type))
    return Err(n->pos, absl::StrCat("invalid operation: ", ExprText(n), " (mismatched types ",
                                    TypeString(x->type), " and ", TypeString(y->type), ")"));
  const Type* t = x->type;
  bool ok;
  if (op == "+")
    ok = IsNumeric(t) || IsString(t);
  else if (op == "-" || op == "*" || op == "/")
    ok = IsNumeric(t);
  else
    ok = IsInteger(t);  // % & | ^ &^
  if (!ok)
    return Err(n->pos, absl::StrCat("invalid operation: operator ", op, " not defined on ",
                                    ExprText(n->x), " (", Describe(x), ")"));
  if ((op == "/" || op == "%") && y->op == Op::kLiteral && y->cval.IsZero() &&
      (IsInteger(t) || x->op == Op::kLiteral))
    return Err(n->y->pos, "invalid operation: division by zero");
  if (x->op == Op::kLiteral && y->op == Op::kLiteral) {
    Constant a = ToKind(x->cval, t), b = ToKind(y->cval, t);
    std::string cop = op;
    std::optional<Constant> v = Constant::Binary(cop, a, b);
    if (!v.has_value()) return Err(n->pos, absl::StrCat("invalid constant operation ", op));
    if (!IsUntyped(t) && !Representable(*v, t, nullptr))
      return Err(n->pos, absl::StrCat("constant ", v->ToString(), " overflows ", TypeString(t)));
    return ConstNode(*v, t, n);
  }
  if (op == "+" && IsString(t)) {
    // transformAdd: a concatenation extends its left operand's chain.
    Node* r = x;
    if (x->op == Op::kAddStr) {
      r->pos = n->pos;
    } else {
      r = NewNode(Op::kAddStr, n->pos);
      r->type = t;
      r->list.push_back(x);
    }
    if (y->op == Op::kAddStr) {
      r->list.insert(r->list.end(), y->list.begin(), y->list.end());
    } else {
      r->list.push_back(y);
    }
    return r;
  }
  Node* r = NewNode(Op::kArith, n->pos);
  r->str = op;
  r->x = x;
  r->y = y;
  r->type = t;
  return r;
}

absl::StatusOr<Node*> Checker::Shift(const Node* n, Node* x, Node* y) {
  const std::string& op = n->str;
  if (!IsInteger(y->type)) {
    bool ok = y->op == Op::kLiteral && IsUntyped(y->type) && y->cval.ToInt().known();
    if (!ok)
      return Err(n->y->pos, absl::StrCat("invalid operation: shift count ", ExprText(n->y), " (",
                                         Describe(y), ") must be integer"));
  }
  if (y->op == Op::kLiteral && y->cval.ToInt().Sign() < 0)
    return Err(n->y->pos, absl::StrCat("invalid operation: negative shift count ", ExprText(n->y)));
  bool x_int_const = x->op == Op::kLiteral && IsUntyped(x->type) && x->cval.ToInt().known();
  if (!IsInteger(x->type) && !x_int_const)
    return Err(n->pos, absl::StrCat("invalid operation: shifted operand ", ExprText(n->x), " (",
                                    Describe(x), ") must be integer"));
  if (x->op == Op::kLiteral && y->op == Op::kLiteral) {
    std::optional<uint64_t> s = y->cval.ToInt().Uint64();
    if (!s.has_value() || *s > 10000)
      return Err(n->y->pos, absl::StrCat("invalid shift count ", ExprText(n->y)));
    const Type* t = IsUntyped(x->type)
                        ? (x->type->kind == Kind::kUntypedRune ? x->type : U().untyped_int)
                        : x->type;
    std::optional<Constant> v = Constant::Shift(op, x->cval.ToInt(), *s);
    if (!v.has_value()) return Err(n->pos, "invalid shift");
    if (!IsUntyped(t) && !Representable(*v, t, nullptr))
      return Err(n->pos, absl::StrCat("constant ", v->ToString(), " overflows ", TypeString(t)));
    return ConstNode(*v, t, n);
  }
  Node* r = NewNode(Op::kArith, n->pos);
  r->str = op;
  r->x = x;
  r->y = y;
  // Shifting an untyped constant by a variable gives a non-constant untyped
  // integer: its context types it (RetypeUntyped), int if none.
  r->type = IsUntyped(x->type) ? U().untyped_int : x->type;
  return r;
}

absl::StatusOr<Node*> Checker::Comparison(const Node* n, Node* x, Node* y) {
  const std::string& op = n->str;
  auto mismatch = [&]() {
    return Err(n->pos, absl::StrCat("invalid operation: ", ExprText(n), " (mismatched types ",
                                    TypeString(x->type), " and ", TypeString(y->type), ")"));
  };
  bool nil_x = x->type->kind == Kind::kUntypedNil, nil_y = y->type->kind == Kind::kUntypedNil;
  if (nil_x || nil_y) {
    if (nil_x && nil_y)
      return Err(n->pos, absl::StrCat("invalid operation: ", ExprText(n), " (operator ", op,
                                      " not defined on nil)"));
    Node*& other = nil_x ? y : x;
    Node*& nil = nil_x ? x : y;
    if (!IsNilable(other->type)) return mismatch();
    if (op != "==" && op != "!=")
      return Err(n->pos, absl::StrCat("invalid operation: ", ExprText(n), " (operator ", op,
                                      " not defined on nil)"));
    nil = CopyNode(nil);
    nil->type = other->type;
  } else if (IsUntyped(x->type) && !IsUntyped(y->type)) {
    absl::StatusOr<Node*> c = x->op == Op::kLiteral && !IsInterface(y->type)
                                  ? ConvertConst(x, y->type, "comparison")
                                  : Assign(x, y->type, "comparison");
    if (!c.ok()) return mismatch();
    if (!IsInterface(y->type)) x = *c;
  } else if (IsUntyped(y->type) && !IsUntyped(x->type)) {
    absl::StatusOr<Node*> c = y->op == Op::kLiteral && !IsInterface(x->type)
                                  ? ConvertConst(y, x->type, "comparison")
                                  : Assign(y, x->type, "comparison");
    if (!c.ok()) return mismatch();
    if (!IsInterface(x->type)) y = *c;
  } else if (IsUntyped(x->type) && IsUntyped(y->type) && x->type != y->type) {
    int rx = UntypedRank(x->type), ry = UntypedRank(y->type);
    if (rx == 0 || ry == 0) return mismatch();
    const Type* t = rx > ry ? x->type : y->type;
    x = CopyNode(x);
    y = CopyNode(y);
    x->type = t;
    y->type = t;
    x->cval = ToKind(x->cval, t);
    y->cval = ToKind(y->cval, t);
  } else if (!Identical(x->type, y->type)) {
    // Interface against a concrete type implementing it: compared in place.
    // Two interfaces: one must implement the other (a value comparison
    // either way, nothing flows).
    bool ok = (IsInterface(x->type) && Implements(y->type, x->type)) ||
              (IsInterface(y->type) && Implements(x->type, y->type));
    // Otherwise one must be assignable to the other (chan T and <-chan T).
    if (!ok && !IsInterface(x->type) && !IsInterface(y->type))
      ok = Assign(x, y->type, "comparison").ok() || Assign(y, x->type, "comparison").ok();
    if (!ok) return mismatch();
  }
  if (!nil_x && !nil_y) {
    const Type* t = IsInterface(x->type) ? y->type : x->type;
    Kind k = Under(t)->kind;
    if (k == Kind::kSlice || k == Kind::kMap || k == Kind::kFunc)
      return Err(n->pos, absl::StrCat("invalid operation: ", ExprText(n), " (",
                                      k == Kind::kSlice ? "slice"
                                      : k == Kind::kMap ? "map"
                                                        : "func",
                                      " can only be compared to nil)"));
    if (op == "==" || op == "!=") {
      if (!Comparable(x->type) || !Comparable(y->type))
        return Err(n->pos, absl::StrCat("invalid operation: ", ExprText(n),
                                        " (incomparable types in type set)"));
    } else if (!(IsNumeric(t) || IsString(t)) || IsComplex(t)) {
      return Err(n->pos, absl::StrCat("invalid operation: ", ExprText(n), " (operator ", op,
                                      " not defined on ", ExprText(n->x), " (", Describe(x), "))"));
    }
  }
  if (x->op == Op::kLiteral && y->op == Op::kLiteral) {
    std::optional<bool> v = Constant::Compare(op, x->cval, y->cval);
    if (v.has_value()) return ConstNode(Constant::Bool(*v), U().untyped_bool, n);
  }
  Node* r = NewNode(Op::kArith, n->pos);
  r->str = op;
  r->x = x;
  r->y = y;
  r->type = U().untyped_bool;
  return r;
}

absl::StatusOr<Node*> Checker::IndexValue(const Node* e, int64_t bound) {
  absl::StatusOr<Node*> v = Expr(e);
  if (!v.ok()) return v.status();
  if (absl::Status st = SingleValue(*v); !st.ok()) return st;
  bool int_const = (*v)->op == Op::kLiteral && (*v)->cval.ToInt().known();
  if (!IsInteger((*v)->type) && !(IsUntyped((*v)->type) && int_const))
    return Err(e->pos, absl::StrCat("invalid argument: index ", ExprText(e), " (", Describe(*v),
                                    ") must be integer"));
  if ((*v)->op == Op::kLiteral) {
    Constant c = (*v)->cval.ToInt();
    if (c.Sign() < 0)
      return Err(e->pos, absl::StrCat("invalid argument: index ", ExprText(e),
                                      " (constant of type int) must not be negative"));
    std::optional<int64_t> i = c.Int64();
    if (bound >= 0 && (!i.has_value() || *i >= bound))
      return Err(e->pos, absl::StrCat("invalid argument: index ", ExprText(e),
                                      " out of bounds [0:", bound, "]"));
    if (IsUntyped((*v)->type)) return ConvertConst(*v, U().int_t, "index");
  }
  return *v;
}

absl::StatusOr<Node*> Checker::Index(const Node* n, ExprMode mode) {
  // Instantiation of a generic function or type: F[int], T[K, V].
  {
    const Node* b = n->x;
    while (b->op == Op::kParen) b = b->x;
    Obj* o = nullptr;
    if (b->op == Op::kIdent) o = scope_->Lookup(b->str);
    if (o != nullptr && o->kind == ObjKind::kTypeName && o->type != nullptr &&
        !o->type->type_params.empty()) {
      absl::StatusOr<const Type*> t = ResolveType(n);
      if (!t.ok()) return t.status();
      return TypeNode(*t, n->pos);
    }
    if (o != nullptr && o->kind == ObjKind::kFunc && o->fn != nullptr && o->fn->generic) {
      std::vector<const Type*> targs;
      for (const Node* a : n->list) {
        absl::StatusOr<const Type*> t = ResolveType(a);
        if (!t.ok()) return t.status();
        targs.push_back(*t);
      }
      absl::StatusOr<Func*> inst = Instance(o, targs, n->pos);
      if (!inst.ok()) return inst.status();
      Node* f = NewNode(Op::kFuncName, n->pos);
      f->fn = *inst;
      f->type = (*inst)->sig;
      f->str = (*inst)->name;
      return f;
    }
  }
  if (n->list.size() != 1) return Err(n->pos, absl::StrCat("unexpected comma; expecting ]"));
  absl::StatusOr<Node*> xr = Expr(n->x);
  if (!xr.ok()) return xr.status();
  Node* x = *xr;
  if (absl::Status st = SingleValue(x); !st.ok()) return st;
  const Type* t = CoreType(x->type);
  if (t == nullptr)
    return Err(n->pos, absl::StrCat("invalid operation: cannot index ", ExprText(n->x), " (",
                                    Describe(x), ")"));
  if (t->kind == Kind::kMap) {
    absl::StatusOr<Node*> k = Expr(n->list[0]);
    if (!k.ok()) return k.status();
    if (absl::Status st = SingleValue(*k); !st.ok()) return st;
    absl::StatusOr<Node*> ck = Assign(*k, t->key, "map index");
    if (!ck.ok()) return ck.status();
    Node* r = NewNode(Op::kIndexMap, n->pos);
    r->x = x;
    r->y = *ck;
    r->type = mode.comma_ok ? prog_->types.Tuple({t->elem, U().untyped_bool}) : t->elem;
    return r;
  }
  int64_t bound = -1;
  if (t->kind == Kind::kPointer && Under(t->elem)->kind == Kind::kArray) {
    Node* d = NewNode(Op::kDeref, n->pos);
    d->x = x;
    d->implicit = true;
    d->type = t->elem;
    x = d;
    t = Under(t->elem);
  }
  if (t->kind == Kind::kArray) bound = t->len;
  if ((t->kind == Kind::kString || t->kind == Kind::kUntypedString) && x->op == Op::kLiteral)
    bound = static_cast<int64_t>(x->cval.string_val().size());
  absl::StatusOr<Node*> idx = IndexValue(n->list[0], bound);
  if (!idx.ok()) return idx.status();
  Node* r = NewNode(Op::kIndexSlice, n->pos);
  r->x = x;
  r->y = *idx;
  switch (t->kind) {
    case Kind::kSlice:
      r->type = t->elem;
      break;
    case Kind::kArray:
      r->op = Op::kIndexArr;
      r->type = t->elem;
      break;
    case Kind::kString:
    case Kind::kUntypedString:
      r->op = Op::kIndexString;
      r->type = U().byte_t;
      if (IsUntyped(x->type)) {
        absl::StatusOr<Node*> c = ConvertConst(x, U().string_t, "index");
        if (!c.ok()) return c.status();
        r->x = *c;
      }
      break;
    default:
      return Err(n->pos, absl::StrCat("invalid operation: cannot index ", ExprText(n->x), " (",
                                      Describe(x), ")"));
  }
  return r;
}

absl::StatusOr<Node*> Checker::SliceExpr(const Node* n) {
  absl::StatusOr<Node*> xr = Expr(n->x);
  if (!xr.ok()) return xr.status();
  Node* x = *xr;
  if (absl::Status st = SingleValue(x); !st.ok()) return st;
  const Type* t = CoreType(x->type);
  Node* r = NewNode(Op::kSliceSlice, n->pos);
  int64_t bound = -1;
  if (t == nullptr) {
    return Err(n->pos, absl::StrCat("cannot slice ", ExprText(n->x), " (", Describe(x), ")"));
  } else if (t->kind == Kind::kString || t->kind == Kind::kUntypedString) {
    if (n->ddd) return Err(n->pos, "invalid operation: 3-index slice of string");
    r->op = Op::kSliceStr;
    if (IsUntyped(x->type)) {
      absl::StatusOr<Node*> c = ConvertConst(x, U().string_t, "slice");
      if (!c.ok()) return c.status();
      x = *c;
    }
    if (x->op == Op::kLiteral) bound = static_cast<int64_t>(x->cval.string_val().size()) + 1;
    r->type = x->type;
  } else if (t->kind == Kind::kSlice) {
    r->type = x->type;
  } else if (t->kind == Kind::kArray) {
    if (!Addressable(x))
      return Err(n->pos, absl::StrCat("invalid operation: ", ExprText(n->x),
                                      " (slice of unaddressable value)"));
    r->op = Op::kSliceArr;
    Node* a = NewNode(Op::kAddr, n->x->pos);
    a->x = x;
    a->implicit = true;
    a->type = prog_->types.Pointer(x->type);
    x = a;
    r->type = prog_->types.Slice(t->elem);
    bound = t->len + 1;
  } else if (t->kind == Kind::kPointer && Under(t->elem)->kind == Kind::kArray) {
    r->op = Op::kSliceArr;
    r->type = prog_->types.Slice(Under(t->elem)->elem);
    bound = Under(t->elem)->len + 1;
  } else {
    return Err(n->pos, absl::StrCat("cannot slice ", ExprText(n->x), " (", Describe(x), ")"));
  }
  r->x = x;
  for (auto [e, slot] : {std::pair{n->y, &r->y}, std::pair{n->z, &r->z}, std::pair{n->w, &r->w}}) {
    if (e == nullptr) continue;
    absl::StatusOr<Node*> v = IndexValue(e, bound);
    if (!v.ok()) return v.status();
    *slot = *v;
  }
  r->ddd = n->ddd;
  return r;
}

absl::StatusOr<Node*> Checker::TypeAssert(const Node* n, ExprMode mode) {
  if (n->y == nullptr)
    return Err(n->pos, "invalid syntax tree: use of .(type) outside type switch");
  absl::StatusOr<Node*> xr = Expr(n->x);
  if (!xr.ok()) return xr.status();
  Node* x = *xr;
  if (absl::Status st = SingleValue(x); !st.ok()) return st;
  if (!IsInterface(x->type))
    return Err(n->x->pos, absl::StrCat("invalid operation: ", ExprText(n->x), " (", Describe(x),
                                       ") is not an interface"));
  absl::StatusOr<const Type*> tr = ResolveType(n->y);
  if (!tr.ok()) return tr.status();
  const Type* t = *tr;
  if (!IsInterface(t) && !Implements(t, x->type))
    return Err(n->y->pos, absl::StrCat("impossible type assertion: ", ExprText(n->x), ".(",
                                       ExprText(n->y), ")", MissingMethod(t, x->type)));
  Node* r = NewNode(mode.comma_ok ? Op::kDotType2 : Op::kDotType, n->pos);
  r->x = x;
  r->type = t;
  if (mode.comma_ok) {
    r->w = TypeNode(t, n->pos);
    r->type = prog_->types.Tuple({t, U().untyped_bool});
  }
  return r;
}

absl::StatusOr<Node*> Checker::CompositeLit(const Node* n, const Type* elided) {
  if (StackExhausted()) return TooDeep(n->pos);
  const Type* t = elided;
  if (n->x != nullptr) {
    if (n->x->op == Op::kArrayType && n->x->x == nullptr) {
      // [...]T{...}: the length is the largest index + 1.
      absl::StatusOr<const Type*> et = ResolveType(n->x->y);
      if (!et.ok()) return et.status();
      Type* at = prog_->types.New(Kind::kArray);
      at->elem = *et;
      int64_t maxi = 0, next = 0;
      for (const Node* e : n->list) {
        if (e->op == Op::kKeyValue) {
          Pos saved = base_pos_;
          absl::StatusOr<Node*> k = Expr(e->x);
          base_pos_ = saved;
          if (!k.ok()) return k.status();
          std::optional<int64_t> kv =
              (*k)->op == Op::kLiteral ? (*k)->cval.ToInt().Int64() : std::nullopt;
          if (!kv.has_value() || *kv < 0)
            return Err(e->x->pos, "index must be non-negative integer constant");
          next = *kv;
        }
        ++next;
        maxi = std::max(maxi, next);
      }
      at->len = maxi;
      t = at;
    } else {
      absl::StatusOr<const Type*> rt = ResolveType(n->x);
      if (!rt.ok()) return rt.status();
      t = *rt;
    }
  }
  if (t == nullptr) return Err(n->pos, "invalid composite literal type: missing type");
  const Type* u = CoreType(t);
  if (u == nullptr)
    return Err(n->pos, absl::StrCat("invalid composite literal type ", TypeString(t)));
  // Translate the elements first (irgen), then convert them (transformCompLit).
  struct Elem {
    const Node* syntax;  // the value's syntax
    const Node* key_syntax = nullptr;
    Node* key = nullptr;
    Node* value = nullptr;
    Pos conv_pos;  // where transformCompLit positions its conversion
    const Type* type = nullptr;
  };
  std::vector<Elem> elems;
  auto value = [&](const Node* e, const Type* et) -> absl::StatusOr<Node*> {
    if (e->op == Op::kCompositeLit && e->x == nullptr) {
      // An elided type: T{...}, or &T{...} for a pointer element type.
      base_pos_ = e->pos;
      if (et->kind != Kind::kNamed && Under(et)->kind == Kind::kPointer) {
        absl::StatusOr<Node*> lit = CompositeLit(e, Under(et)->elem);
        if (!lit.ok()) return lit.status();
        Node* p = NewNode(Op::kPtrLit, e->pos);
        p->x = *lit;
        p->type = et;
        return p;
      }
      return CompositeLit(e, et);
    }
    return Expr(e);
  };
  Node* r = NewNode(Op::kStructLit, n->pos);
  r->type = t;
  r->w = n->w;
  switch (u->kind) {
    case Kind::kStruct: {
      bool keyed = !n->list.empty() && n->list[0]->op == Op::kKeyValue;
      std::set<std::string> seen;
      for (size_t i = 0; i < n->list.size(); ++i) {
        const Node* e = n->list[i];
        Elem el;
        if (keyed) {
          if (e->op != Op::kKeyValue || e->x->op != Op::kIdent)
            return Err(e->pos, "mixture of field:value and value elements in struct literal");
          int idx = -1;
          for (size_t k = 0; k < u->fields.size(); ++k)
            if (u->fields[k].name == e->x->str) idx = static_cast<int>(k);
          if (idx < 0)
            return Err(e->x->pos, absl::StrCat("unknown field ", e->x->str,
                                               " in struct literal of type ", TypeString(t)));
          if (!seen.insert(e->x->str).second)
            return Err(e->x->pos,
                       absl::StrCat("duplicate field name ", e->x->str, " in struct literal"));
          el.key_syntax = e->x;
          el.syntax = e->y;
          el.type = u->fields[idx].type;
          el.conv_pos = e->pos;
        } else {
          if (e->op == Op::kKeyValue)
            return Err(e->pos, "mixture of field:value and value elements in struct literal");
          if (i >= u->fields.size())
            return Err(e->pos,
                       absl::StrCat("too many values in struct literal of type ", TypeString(t)));
          el.syntax = e;
          el.type = u->fields[i].type;
          el.conv_pos = e->pos;
        }
        absl::StatusOr<Node*> v = value(el.syntax, el.type);
        if (!v.ok()) return v.status();
        el.value = *v;
        elems.push_back(el);
      }
      if (!keyed && !n->list.empty() && n->list.size() < u->fields.size())
        return Err(n->w->pos,
                   absl::StrCat("too few values in struct literal of type ", TypeString(t)));
      break;
    }
    case Kind::kArray:
    case Kind::kSlice: {
      r->op = u->kind == Kind::kArray ? Op::kArrayLit : Op::kSliceLit;
      int64_t next = 0, maxn = 0;
      std::set<int64_t> seen;
      for (const Node* e : n->list) {
        Elem el;
        el.syntax = e;
        el.conv_pos = e->pos;
        if (e->op == Op::kKeyValue) {
          absl::StatusOr<Node*> k = Expr(e->x);
          if (!k.ok()) return k.status();
          std::optional<int64_t> kv =
              (*k)->op == Op::kLiteral ? (*k)->cval.ToInt().Int64() : std::nullopt;
          if (!kv.has_value() || *kv < 0)
            return Err(e->x->pos, "index must be non-negative integer constant");
          next = *kv;
          el.key = *k;
          el.syntax = e->y;
        }
        if (!seen.insert(next).second)
          return Err(e->pos, absl::StrCat("duplicate index ", next, " in array or slice literal"));
        if (u->kind == Kind::kArray && next >= u->len)
          return Err(el.syntax->pos,
                     absl::StrCat("index ", next, " out of bounds [0:", u->len, "]"));
        el.type = u->elem;
        absl::StatusOr<Node*> v = value(el.syntax, el.type);
        if (!v.ok()) return v.status();
        el.value = *v;
        elems.push_back(el);
        ++next;
        maxn = std::max(maxn, next);
      }
      r->int_val = maxn;
      break;
    }
    case Kind::kMap: {
      r->op = Op::kMapLit;
      for (const Node* e : n->list) {
        if (e->op != Op::kKeyValue) return Err(e->pos, "missing key in map literal");
        Elem el;
        el.conv_pos = e->pos;
        absl::StatusOr<Node*> k = value(e->x, u->key);
        if (!k.ok()) return k.status();
        el.key = *k;
        el.syntax = e->y;
        el.type = u->elem;
        absl::StatusOr<Node*> v = value(e->y, u->elem);
        if (!v.ok()) return v.status();
        el.value = *v;
        elems.push_back(el);
      }
      break;
    }
    default:
      return Err(n->pos, absl::StrCat("invalid composite literal type ", TypeString(t)));
  }
  // transformCompLit: each conversion at its element's (or key's) position;
  // base.Pos is restored afterwards.
  Pos saved = base_pos_;
  for (Elem& el : elems) {
    base_pos_ = el.conv_pos;
    if (u->kind == Kind::kMap) {
      absl::StatusOr<Node*> ck = Assign(el.key, u->key, "map literal");
      if (!ck.ok()) return ck.status();
      absl::StatusOr<Node*> cv = Assign(el.value, u->elem, "map literal");
      if (!cv.ok()) return cv.status();
      Node* kv = NewNode(Op::kKey, el.conv_pos);
      kv->x = *ck;
      kv->y = *cv;
      r->list.push_back(kv);
      continue;
    }
    absl::StatusOr<Node*> cv = Assign(
        el.value, el.type, u->kind == Kind::kStruct ? "struct literal" : "array or slice literal");
    if (!cv.ok()) return cv.status();
    if (u->kind == Kind::kStruct) {
      Node* sk = NewNode(Op::kStructKey, el.conv_pos);
      sk->str = el.key_syntax != nullptr ? el.key_syntax->str : u->fields[r->list.size()].name;
      sk->x = *cv;
      r->list.push_back(sk);
    } else if (el.key != nullptr) {
      Node* kv = NewNode(Op::kKey, el.conv_pos);
      kv->x = el.key;
      kv->y = *cv;
      r->list.push_back(kv);
    } else {
      r->list.push_back(*cv);
    }
  }
  base_pos_ = saved;
  return r;
}

absl::StatusOr<Node*> Checker::FuncLit(const Node* n) {
  if (StackExhausted()) return TooDeep(n->pos);
  Func* f = prog_->NewFunc();
  // Function literals of package-level initializers are functions of their
  // own (not hidden closures of init).
  bool global = fn_ == init_;
  f->outer = global ? nullptr : fn_;
  f->pos = n->pos;
  f->decl = n;
  NameClosure(f);
  absl::StatusOr<const Type*> sig = Signature(n->y, f, nullptr);
  if (!sig.ok()) return sig.status();
  f->sig = *sig;
  if (global) {
    prog_->funcs.push_back(f);
  } else {
    fn_->closures.push_back(f);
  }
  Node* c = NewNode(Op::kClosure, n->pos);
  c->fn = f;
  c->type = f->sig;
  f->clo = c;
  Func* saved_fn = fn_;
  FuncState* saved_fs = fs_;
  FuncState fs;
  fs_ = &fs;
  fn_ = f;
  absl::Status st;
  {
    ScopeGuard guard(&scope_, &bindings_);
    for (Obj* o : f->dcl)
      if (!o->name.empty() && o->name[0] != '~') scope_->Insert(o);
    Node* body = NewNode(Op::kBlockStmt, n->z->pos);
    st = Stmts(n->z->list, &body->list);
    if (st.ok()) st = CheckUnused(scope_);
    if (st.ok()) st = CheckLabels(n->z);
    if (st.ok() && !f->sig->results.empty() && !Terminates(n->z))
      st = Err(n->z->w->pos, "missing return");
    f->body = body;
  }
  fn_ = saved_fn;
  fs_ = saved_fs;
  if (!st.ok()) return st;
  if (global) Deadcode(f);
  return c;
}

absl::Status Checker::SingleValue(const Node* v, const Node* at) {
  if (v->op == Op::kType)
    return Err(v->pos, absl::StrCat(at != nullptr ? ExprText(at) : TypeString(v->type),
                                    " (type) is not an expression"));
  if (v->type == nullptr)
    return Err(v->pos, absl::StrCat(at != nullptr ? ExprText(at) : std::string("expression"),
                                    " (no value) used as value"));
  if (v->type->kind == Kind::kTuple) return Err(v->pos, "multiple-value in single-value context");
  return absl::OkStatus();
}

bool Checker::Addressable(const Node* x) const {
  switch (x->op) {
    case Op::kName:
      return x->obj != nullptr && x->obj->kind == ObjKind::kVar;
    case Op::kDeref:
    case Op::kDotPtr:
    case Op::kIndexSlice:
      return true;
    case Op::kDot:
    case Op::kIndexArr:
      return Addressable(x->x);
    default:
      return false;
  }
}

}  // namespace gclab::escape
