// Implicit conversions (go's typecheck.assignconvfn, noder's assignconvfn)
// and constant representation (types2's representable).
#include "absl/strings/str_cat.h"
#include "escape/syntax_printer.h"
#include "escape/typecheck/checker.h"

namespace gclab::escape {

std::string Checker::ExprText(const Node* syntax) { return SyntaxString(syntax); }

std::string Checker::Describe(const Node* v) const {
  if (v->op == Op::kType) return "type";
  if (v->type == nullptr) return "no value";
  if (v->op == Op::kLiteral) {
    if (IsUntyped(v->type))
      return absl::StrCat(TypeString(v->type), " constant",
                          v->cval.kind() == Constant::Kind::kInt && v->syntax != nullptr &&
                                  v->syntax->op != Op::kBasicLit
                              ? absl::StrCat(" ", v->cval.ToString())
                              : "");
    return absl::StrCat("constant ", v->cval.ToString(), " of type ", TypeString(v->type));
  }
  if (v->op == Op::kNil) return "untyped nil";
  if (v->op == Op::kName && v->obj != nullptr && v->obj->kind == ObjKind::kVar)
    return absl::StrCat("variable of type ", TypeString(v->type));
  return absl::StrCat("value of type ", TypeString(v->type));
}

namespace {

std::string IRText(const Node* v) {
  if (v->op == Op::kLiteral && v->syntax != nullptr) return SyntaxString(v->syntax);
  if (v->op == Op::kLiteral || v->op == Op::kName || v->op == Op::kFuncName) return v->str;
  if (v->op == Op::kNil) return "nil";
  return "value";
}

}  // namespace

bool Checker::HasUniquePos(const Node* n) {
  if (n == nullptr || !n->pos.Known()) return false;
  return n->op != Op::kName && n->op != Op::kFuncName;
}

void Checker::SetPos(const Node* n) {
  if (HasUniquePos(n)) base_pos_ = n->pos;
}

Node* Checker::ConvIface(Node* v, const Type* t, Pos pos, bool implicit) {
  Node* c = NewNode(Op::kConvIface, pos);
  c->x = v;
  c->type = t;
  c->implicit = implicit;
  return c;
}

bool Checker::Representable(const Constant& c, const Type* t, Constant* rounded) const {
  const Type* u = Under(t);
  if (t->kind == Kind::kTypeParam) return true;
  if (IsInteger(u) && !IsUntyped(u)) {
    Constant i = c.ToInt();
    if (!i.known()) return false;
    bool ok = i.FitsInt(IntBits(u), IsUnsigned(u));
    if (ok && rounded != nullptr) *rounded = i;
    return ok;
  }
  if (IsFloat(u) && !IsUntyped(u)) {
    Constant f = c.ToFloat();
    if (!f.known()) return false;
    int bits = u->kind == Kind::kFloat32 ? 32 : 64;
    bool ok = f.FitsFloat(bits);
    if (ok && rounded != nullptr) *rounded = f;
    return ok;
  }
  if (IsComplex(u) && !IsUntyped(u)) {
    Constant z = c.ToComplex();
    if (!z.known()) return false;
    int bits = u->kind == Kind::kComplex64 ? 32 : 64;
    bool ok =
        Constant::Float(z.Real()).FitsFloat(bits) && Constant::Float(z.Imag()).FitsFloat(bits);
    if (ok && rounded != nullptr) *rounded = z;
    return ok;
  }
  return true;
}

absl::StatusOr<Node*> Checker::ConvertConst(Node* v, const Type* t, absl::string_view context) {
  const Type* u = Under(t);
  Kind vk = v->type->kind;
  auto fail = [&](absl::string_view why) {
    return Err(v->pos, absl::StrCat("cannot use ", IRText(v), " (", Describe(v), ") as ",
                                    TypeString(t), " value in ", context, why));
  };
  if (t->kind == Kind::kTypeParam || IsInvalid(t)) {
    Node* c = CopyNode(v);
    c->type = t;
    return c;
  }
  if (v->op != Op::kLiteral) {
    // A non-constant untyped value: a comparison (bool) or a shift.
    bool ok = (vk == Kind::kUntypedBool && u->kind == Kind::kBool) ||
              ((vk == Kind::kUntypedInt || vk == Kind::kUntypedRune) && IsNumeric(u));
    if (!ok) return fail("");
    return RetypeUntyped(v, t, context);
  }
  bool ok = false;
  switch (vk) {
    case Kind::kUntypedBool:
      ok = u->kind == Kind::kBool;
      break;
    case Kind::kUntypedString:
      ok = u->kind == Kind::kString;
      break;
    case Kind::kUntypedInt:
    case Kind::kUntypedRune:
    case Kind::kUntypedFloat:
    case Kind::kUntypedComplex:
      ok = IsNumeric(u) && !IsUntyped(u);
      break;
    default:
      ok = Identical(v->type, t) || (Identical(Under(v->type), u) &&
                                     (v->type->kind != Kind::kNamed || t->kind != Kind::kNamed));
      break;
  }
  if (!ok) return fail("");
  Constant val = v->cval;
  if (IsNumeric(u) && !IsUntyped(u)) {
    if (IsInteger(u) && !val.ToInt().known()) return fail(" (truncated)");
    if (!Representable(val, t, &val)) return fail(" (overflows)");
  }
  Node* c = CopyNode(v);
  c->type = t;
  c->cval = val;
  return c;
}

absl::StatusOr<Node*> Checker::RetypeUntyped(Node* v, const Type* t, absl::string_view context) {
  if (v->op == Op::kLiteral) return ConvertConst(v, t, context);
  if (!IsUntyped(v->type)) return v;
  Node* c = CopyNode(v);
  c->type = t;
  if (v->op == Op::kArith && (v->str == "<<" || v->str == ">>")) {
    // "1 << s" in an int64 context shifts an int64 1.
    if (!IsInteger(t))
      return Err(v->pos, absl::StrCat("invalid operation: shifted operand ", IRText(v->x),
                                      " (type ", TypeString(t), ") must be integer"));
    absl::StatusOr<Node*> x = RetypeUntyped(v->x, t, context);
    if (!x.ok()) return x.status();
    c->x = *x;
  } else if (v->op == Op::kArith && v->type->kind != Kind::kUntypedBool) {
    for (Node** operand : {&c->x, &c->y}) {
      absl::StatusOr<Node*> o = RetypeUntyped(*operand, t, context);
      if (!o.ok()) return o.status();
      *operand = *o;
    }
  } else if (v->op == Op::kUnaryOp) {
    absl::StatusOr<Node*> x = RetypeUntyped(v->x, t, context);
    if (!x.ok()) return x.status();
    c->x = *x;
  }
  return c;
}

absl::StatusOr<Node*> Checker::DefaultConst(Node* v, absl::string_view context) {
  if (!IsUntyped(v->type)) return v;
  if (v->type->kind == Kind::kUntypedNil)
    return Err(v->pos, absl::StrCat("use of untyped nil in ", context));
  return ConvertConst(v, DefaultType(v->type), context);
}

absl::StatusOr<Node*> Checker::Assign(Node* v, const Type* t, absl::string_view context) {
  if (t == nullptr) return v;
  if (absl::Status st = SingleValue(v); !st.ok()) return st;
  if (IsInvalid(t) || IsInvalid(v->type)) return v;
  bool iface = IsInterface(t);
  if (IsUntyped(v->type)) {
    if (v->type->kind == Kind::kUntypedNil) {
      if (!IsNilable(t) && t->kind != Kind::kTypeParam)
        return Err(v->pos,
                   absl::StrCat("cannot use nil as ", TypeString(t), " value in ", context));
      Node* c = CopyNode(v);
      c->type = t;
      return c;
    }
    if (iface) {
      absl::StatusOr<Node*> d = DefaultConst(v, context);
      if (!d.ok()) return d.status();
      if (!Implements((*d)->type, t))
        return Err(v->pos,
                   absl::StrCat("cannot use ", IRText(v), " (", Describe(v), ") as ", TypeString(t),
                                " value in ", context, MissingMethod((*d)->type, t)));
      return ConvIface(*d, t, base_pos_, true);
    }
    return ConvertConst(v, t, context);
  }
  if (Identical(v->type, t)) return v;
  if (iface) {
    if (!Implements(v->type, t))
      return Err(v->pos,
                 absl::StrCat("cannot use ", IRText(v), " (", Describe(v), ") as ", TypeString(t),
                              " value in ", context, MissingMethod(v->type, t)));
    return ConvIface(v, t, base_pos_, true);
  }
  const Type* vu = Under(v->type);
  const Type* tu = Under(t);
  bool ok = false;
  // Identical underlying types, at least one of them not named.
  if ((v->type->kind != Kind::kNamed || t->kind != Kind::kNamed) && Identical(vu, tu) &&
      v->type->kind != Kind::kTypeParam && t->kind != Kind::kTypeParam)
    ok = true;
  // A bidirectional channel to a directional one of the same element type.
  if (vu->kind == Kind::kChan && tu->kind == Kind::kChan && vu->dir == ChanDir::kBoth &&
      Identical(vu->elem, tu->elem) && (v->type->kind != Kind::kNamed || t->kind != Kind::kNamed))
    ok = true;
  // Shape instantiations: types that differ only by shapes.
  if ((v->type->shape || t->shape) && Identical(vu, tu)) ok = true;
  if (!ok)
    return Err(v->pos, absl::StrCat("cannot use ", IRText(v), " (", Describe(v), ") as ",
                                    TypeString(t), " value in ", context));
  Node* c = NewNode(Op::kConv, base_pos_);
  c->x = v;
  c->type = t;
  c->implicit = true;
  return c;
}

}  // namespace gclab::escape
