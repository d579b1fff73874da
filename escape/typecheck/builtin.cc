// Built-in functions (go's typecheck/func.go tc* and noder's
// transformBuiltin), including package unsafe's.
#include "absl/strings/str_cat.h"
#include "escape/typecheck/checker.h"

namespace gclab::escape {
namespace {

// Whether evaluating x involves a call or a channel receive (then len/cap of
// an array is not constant).
bool HasCallOrRecv(const Node* x) {
  if (x == nullptr) return false;
  switch (x->op) {
    case Op::kCallFunc:
    case Op::kCallInter:
    case Op::kCallMeth:
    case Op::kAppend:
    case Op::kRecv:
    case Op::kMakeSlice:
    case Op::kMakeMap:
    case Op::kMakeChan:
      return true;
    default:
      return HasCallOrRecv(x->x) || HasCallOrRecv(x->y);
  }
}

const char* BuiltinName(Builtin b) {
  switch (b) {
    case Builtin::kAppend:
      return "append";
    case Builtin::kCap:
      return "cap";
    case Builtin::kClose:
      return "close";
    case Builtin::kComplex:
      return "complex";
    case Builtin::kCopy:
      return "copy";
    case Builtin::kDelete:
      return "delete";
    case Builtin::kImag:
      return "imag";
    case Builtin::kLen:
      return "len";
    case Builtin::kMake:
      return "make";
    case Builtin::kNew:
      return "new";
    case Builtin::kPanic:
      return "panic";
    case Builtin::kPrint:
      return "print";
    case Builtin::kPrintln:
      return "println";
    case Builtin::kReal:
      return "real";
    case Builtin::kRecover:
      return "recover";
    case Builtin::kUnsafeAdd:
      return "unsafe.Add";
    case Builtin::kUnsafeAlignof:
      return "unsafe.Alignof";
    case Builtin::kUnsafeOffsetof:
      return "unsafe.Offsetof";
    case Builtin::kUnsafeSizeof:
      return "unsafe.Sizeof";
    case Builtin::kUnsafeSlice:
      return "unsafe.Slice";
    default:
      return "builtin";
  }
}

}  // namespace

absl::StatusOr<Node*> Checker::BuiltinCall(const Node* n, Builtin b, ExprMode mode) {
  const char* name = BuiltinName(b);
  auto nargs = [&](size_t lo, size_t hi) -> absl::Status {
    if (n->list.size() < lo)
      return Err(n->pos, absl::StrCat("not enough arguments for ", ExprText(n), " (expected ", lo,
                                      ", found ", n->list.size(), ")"));
    if (n->list.size() > hi)
      return Err(n->list[hi]->pos,
                 absl::StrCat("too many arguments for ", ExprText(n), " (expected ", hi, ", found ",
                              n->list.size(), ")"));
    return absl::OkStatus();
  };
  if (n->ddd && b != Builtin::kAppend)
    return Err(n->pos, absl::StrCat("invalid operation: invalid use of ... with built-in ", name));
  auto value = [&](size_t i) -> absl::StatusOr<Node*> {
    absl::StatusOr<Node*> v = Expr(n->list[i]);
    if (!v.ok()) return v.status();
    if (absl::Status st = SingleValue(*v); !st.ok()) return st;
    return *v;
  };
  (void)mode;
  switch (b) {
    case Builtin::kLen:
    case Builtin::kCap: {
      if (absl::Status st = nargs(1, 1); !st.ok()) return st;
      absl::StatusOr<Node*> x = value(0);
      if (!x.ok()) return x.status();
      const Type* u = CoreType((*x)->type);
      if (u == nullptr) u = U().invalid;
      if (u->kind == Kind::kPointer && Under(u->elem)->kind == Kind::kArray) u = Under(u->elem);
      bool ok = u->kind == Kind::kSlice || u->kind == Kind::kArray || u->kind == Kind::kChan ||
                (b == Builtin::kLen && (u->kind == Kind::kString || u->kind == Kind::kMap ||
                                        u->kind == Kind::kUntypedString));
      if (!ok)
        return Err(n->list[0]->pos, absl::StrCat("invalid argument: ", ExprText(n->list[0]), " (",
                                                 Describe(*x), ") for ", name));
      if (u->kind == Kind::kArray && !HasCallOrRecv(*x))
        return ConstNode(Constant::Int(u->len), U().int_t, n);
      if ((*x)->op == Op::kLiteral && IsString((*x)->type))
        return ConstNode(Constant::Int(static_cast<int64_t>((*x)->cval.string_val().size())),
                         U().int_t, n);
      Node* r = NewNode(b == Builtin::kLen ? Op::kLen : Op::kCap, n->pos);
      r->x = *x;
      r->type = U().int_t;
      return r;
    }
    case Builtin::kNew: {
      if (absl::Status st = nargs(1, 1); !st.ok()) return st;
      absl::StatusOr<const Type*> t = ResolveType(n->list[0]);
      if (!t.ok()) return t.status();
      Node* r = NewNode(Op::kNew, n->pos);
      r->type = prog_->types.Pointer(*t);
      r->w = TypeNode(*t, n->list[0]->pos);
      return r;
    }
    case Builtin::kMake: {
      if (n->list.empty())
        return Err(n->pos, "not enough arguments for make() (expected 1, found 0)");
      absl::StatusOr<const Type*> tr = ResolveType(n->list[0]);
      if (!tr.ok()) return tr.status();
      const Type* t = *tr;
      const Type* u = CoreType(t);
      if (u == nullptr) u = U().invalid;
      auto size = [&](size_t i) -> absl::StatusOr<Node*> {
        absl::StatusOr<Node*> v = value(i);
        if (!v.ok()) return v.status();
        bool int_const = (*v)->op == Op::kLiteral && (*v)->cval.ToInt().known();
        if (!IsInteger((*v)->type) && !(IsUntyped((*v)->type) && int_const))
          return Err(n->list[i]->pos, absl::StrCat("cannot convert ", ExprText(n->list[i]), " (",
                                                   Describe(*v), ") to type int"));
        if ((*v)->op == Op::kLiteral) {
          if ((*v)->cval.ToInt().Sign() < 0)
            return Err(n->list[i]->pos,
                       absl::StrCat("invalid argument: index ", ExprText(n->list[i]),
                                    " (constant of type int) must not be negative"));
          if (IsUntyped((*v)->type)) return ConvertConst(*v, U().int_t, "argument to make");
        }
        return *v;
      };
      Node* r = NewNode(Op::kMakeSlice, n->pos);
      r->type = t;
      r->w = n->list[0];
      if (u->kind == Kind::kSlice) {
        if (absl::Status st = nargs(2, 3); !st.ok()) return st;
        absl::StatusOr<Node*> l = size(1);
        if (!l.ok()) return l.status();
        r->x = *l;
        if (n->list.size() == 3) {
          absl::StatusOr<Node*> c = size(2);
          if (!c.ok()) return c.status();
          r->y = *c;
          if (r->x->op == Op::kLiteral && r->y->op == Op::kLiteral) {
            std::optional<bool> gt = Constant::Compare(">", r->x->cval, r->y->cval);
            if (gt.has_value() && *gt)
              return Err(n->list[1]->pos, "invalid argument: length and capacity swapped");
          }
        }
      } else if (u->kind == Kind::kMap || u->kind == Kind::kChan) {
        if (absl::Status st = nargs(1, 2); !st.ok()) return st;
        r->op = u->kind == Kind::kMap ? Op::kMakeMap : Op::kMakeChan;
        if (n->list.size() == 2) {
          absl::StatusOr<Node*> l = size(1);
          if (!l.ok()) return l.status();
          r->x = *l;
        }
      } else {
        return Err(n->list[0]->pos,
                   absl::StrCat("invalid argument: cannot make ", ExprText(n->list[0]),
                                "; type must be slice, map, or channel"));
      }
      return r;
    }
    case Builtin::kAppend: {
      if (n->list.empty())
        return Err(n->pos, "not enough arguments for append() (expected 1, found 0)");
      absl::StatusOr<std::vector<Node*>> args = ArgList(n);
      if (!args.ok()) return args.status();
      Node* s = (*args)[0];
      if (absl::Status st = SingleValue(s); !st.ok()) return st;
      if (s->type->kind == Kind::kUntypedNil)
        return Err(n->list[0]->pos, "invalid argument: nil (untyped nil value) is not a slice");
      const Type* core = CoreType(s->type);
      if (core == nullptr || core->kind != Kind::kSlice)
        return Err(n->list[0]->pos, absl::StrCat("invalid argument: ", ExprText(n->list[0]), " (",
                                                 Describe(s), ") is not a slice"));
      Node* r = NewNode(Op::kAppend, n->pos);
      r->type = s->type;
      r->list.push_back(s);
      const Type* et = core->elem;
      if (n->ddd) {
        if (absl::Status st = nargs(2, 2); !st.ok()) return st;
        Node* v = (*args)[1];
        if (absl::Status st = SingleValue(v); !st.ok()) return st;
        if (IsString(v->type) && Under(et)->kind == Kind::kUint8) {
          if (IsUntyped(v->type)) {
            absl::StatusOr<Node*> c = ConvertConst(v, U().string_t, "append");
            if (!c.ok()) return c.status();
            v = *c;
          }
        } else {
          absl::StatusOr<Node*> c = Assign(v, core, "append");
          if (!c.ok()) return c.status();
          v = *c;
        }
        r->list.push_back(v);
        r->ddd = true;
        return r;
      }
      for (size_t i = 1; i < args->size(); ++i) {
        if (absl::Status st = SingleValue((*args)[i]); !st.ok()) return st;
        absl::StatusOr<Node*> c = Assign((*args)[i], et, "argument to append");
        if (!c.ok()) return c.status();
        r->list.push_back(*c);
      }
      return r;
    }
    case Builtin::kCopy: {
      if (absl::Status st = nargs(2, 2); !st.ok()) return st;
      absl::StatusOr<Node*> d = value(0);
      if (!d.ok()) return d.status();
      absl::StatusOr<Node*> s = value(1);
      if (!s.ok()) return s.status();
      const Type* dc = CoreType((*d)->type);
      const Type* sc = CoreType((*s)->type);
      if (dc == nullptr || dc->kind != Kind::kSlice)
        return Err(n->pos, absl::StrCat("invalid argument: copy expects slice arguments; found ",
                                        ExprText(n->list[0]), " (", Describe(*d), ") and ",
                                        ExprText(n->list[1]), " (", Describe(*s), ")"));
      Node* src = *s;
      if (IsString(src->type) && Under(dc->elem)->kind == Kind::kUint8) {
        if (IsUntyped(src->type)) {
          absl::StatusOr<Node*> c = ConvertConst(src, U().string_t, "copy");
          if (!c.ok()) return c.status();
          src = *c;
        }
      } else if (sc == nullptr || sc->kind != Kind::kSlice || !Identical(dc->elem, sc->elem)) {
        return Err(n->pos,
                   absl::StrCat("invalid argument: arguments to copy ", ExprText(n->list[0]), " (",
                                Describe(*d), ") and ", ExprText(n->list[1]), " (", Describe(*s),
                                ") have different element types"));
      }
      Node* r = NewNode(Op::kCopy, n->pos);
      r->x = *d;
      r->y = src;
      r->type = U().int_t;
      return r;
    }
    case Builtin::kDelete: {
      if (absl::Status st = nargs(2, 2); !st.ok()) return st;
      absl::StatusOr<Node*> m = value(0);
      if (!m.ok()) return m.status();
      absl::StatusOr<Node*> k = value(1);
      if (!k.ok()) return k.status();
      const Type* mc = CoreType((*m)->type);
      if (mc == nullptr || mc->kind != Kind::kMap)
        return Err(n->list[0]->pos, absl::StrCat("invalid argument: ", ExprText(n->list[0]), " (",
                                                 Describe(*m), ") is not a map"));
      absl::StatusOr<Node*> ck = Assign(*k, mc->key, "argument to delete");
      if (!ck.ok()) return ck.status();
      Node* r = NewNode(Op::kDelete, n->pos);
      r->list = {*m, *ck};
      return r;
    }
    case Builtin::kClose: {
      if (absl::Status st = nargs(1, 1); !st.ok()) return st;
      absl::StatusOr<Node*> c = value(0);
      if (!c.ok()) return c.status();
      const Type* cc = CoreType((*c)->type);
      if (cc == nullptr || cc->kind != Kind::kChan)
        return Err(n->list[0]->pos, absl::StrCat("invalid operation: non-chan argument ",
                                                 ExprText(n->list[0]), " (", Describe(*c), ")"));
      if (cc->dir == ChanDir::kRecv)
        return Err(n->list[0]->pos,
                   absl::StrCat("invalid operation: cannot close receive-only channel ",
                                ExprText(n->list[0]), " (", Describe(*c), ")"));
      Node* r = NewNode(Op::kClose, n->pos);
      r->x = *c;
      return r;
    }
    case Builtin::kPanic: {
      if (absl::Status st = nargs(1, 1); !st.ok()) return st;
      absl::StatusOr<Node*> v = value(0);
      if (!v.ok()) return v.status();
      absl::StatusOr<Node*> c = Assign(*v, U().empty_iface, "argument to panic");
      if (!c.ok()) return c.status();
      Node* r = NewNode(Op::kPanic, n->pos);
      r->x = *c;
      return r;
    }
    case Builtin::kPrint:
    case Builtin::kPrintln: {
      Node* r = NewNode(b == Builtin::kPrint ? Op::kPrint : Op::kPrintln, n->pos);
      for (size_t i = 0; i < n->list.size(); ++i) {
        absl::StatusOr<Node*> v = value(i);
        if (!v.ok()) return v.status();
        Node* x = *v;
        if (IsUntyped(x->type)) {
          if (x->type->kind == Kind::kUntypedNil)
            return Err(n->list[i]->pos, "use of untyped nil in argument to built-in print");
          absl::StatusOr<Node*> d = DefaultConst(x, "argument to built-in print");
          if (!d.ok()) return d.status();
          x = *d;
        }
        r->list.push_back(x);
      }
      return r;
    }
    case Builtin::kRecover: {
      if (absl::Status st = nargs(0, 0); !st.ok()) return st;
      Node* r = NewNode(Op::kRecover, n->pos);
      r->type = U().empty_iface;
      return r;
    }
    case Builtin::kComplex: {
      if (absl::Status st = nargs(2, 2); !st.ok()) return st;
      absl::StatusOr<Node*> xr = value(0);
      if (!xr.ok()) return xr.status();
      absl::StatusOr<Node*> yr = value(1);
      if (!yr.ok()) return yr.status();
      Node* x = *xr;
      Node* y = *yr;
      if (x->op == Op::kLiteral && y->op == Op::kLiteral && IsUntyped(x->type) &&
          IsUntyped(y->type)) {
        Constant v = Constant::Complex(x->cval.Real(), y->cval.Real());
        return ConstNode(v, U().untyped_complex, n);
      }
      if (IsUntyped(x->type) && !IsUntyped(y->type)) {
        absl::StatusOr<Node*> c = ConvertConst(x, y->type, "argument to complex");
        if (!c.ok()) return c.status();
        x = *c;
      } else if (IsUntyped(y->type) && !IsUntyped(x->type)) {
        absl::StatusOr<Node*> c = ConvertConst(y, x->type, "argument to complex");
        if (!c.ok()) return c.status();
        y = *c;
      } else if (IsUntyped(x->type) && IsUntyped(y->type)) {
        absl::StatusOr<Node*> c = ConvertConst(x, U().float64_t, "argument to complex");
        if (!c.ok()) return c.status();
        x = *c;
        c = ConvertConst(y, U().float64_t, "argument to complex");
        if (!c.ok()) return c.status();
        y = *c;
      }
      if (!Identical(x->type, y->type) || !IsFloat(x->type))
        return Err(n->pos, absl::StrCat("invalid operation: complex(", ExprText(n->list[0]), ", ",
                                        ExprText(n->list[1]), ") (mismatched types ",
                                        TypeString(x->type), " and ", TypeString(y->type), ")"));
      const Type* t = Under(x->type)->kind == Kind::kFloat32 ? U().complex64_t : U().complex128_t;
      if (x->op == Op::kLiteral && y->op == Op::kLiteral)
        return ConstNode(Constant::Complex(x->cval.Real(), y->cval.Real()), t, n);
      Node* r = NewNode(Op::kComplex, n->pos);
      r->x = x;
      r->y = y;
      r->type = t;
      return r;
    }
    case Builtin::kReal:
    case Builtin::kImag: {
      if (absl::Status st = nargs(1, 1); !st.ok()) return st;
      absl::StatusOr<Node*> xr = value(0);
      if (!xr.ok()) return xr.status();
      Node* x = *xr;
      if (!IsNumeric(x->type))
        return Err(n->list[0]->pos, absl::StrCat("invalid argument: ", ExprText(n->list[0]), " (",
                                                 Describe(x), ") not of complex type"));
      if (x->op == Op::kLiteral) {
        const Type* t = IsUntyped(x->type)                         ? U().untyped_float
                        : Under(x->type)->kind == Kind::kComplex64 ? U().float32_t
                                                                   : U().float64_t;
        long double v = b == Builtin::kReal ? x->cval.Real() : x->cval.Imag();
        return ConstNode(Constant::Float(v), t, n);
      }
      if (!IsComplex(x->type))
        return Err(n->list[0]->pos, absl::StrCat("invalid argument: ", ExprText(n->list[0]), " (",
                                                 Describe(x), ") not of complex type"));
      Node* r = NewNode(b == Builtin::kReal ? Op::kReal : Op::kImag, n->pos);
      r->x = x;
      r->type = Under(x->type)->kind == Kind::kComplex64 ? U().float32_t : U().float64_t;
      return r;
    }
    case Builtin::kUnsafeSizeof:
    case Builtin::kUnsafeAlignof: {
      if (absl::Status st = nargs(1, 1); !st.ok()) return st;
      Pos saved = base_pos_;
      absl::StatusOr<Node*> x = value(0);
      base_pos_ = saved;
      if (!x.ok()) return x.status();
      const Type* t = IsUntyped((*x)->type) ? DefaultType((*x)->type) : (*x)->type;
      int64_t v = b == Builtin::kUnsafeSizeof ? Size(t) : Align(t);
      return ConstNode(Constant::Int(v), U().uintptr_t_, n);
    }
    case Builtin::kUnsafeOffsetof: {
      if (absl::Status st = nargs(1, 1); !st.ok()) return st;
      const Node* sel = n->list[0];
      while (sel->op == Op::kParen) sel = sel->x;
      if (sel->op != Op::kSelector)
        return Err(n->list[0]->pos, absl::StrCat("invalid argument: ", ExprText(n->list[0]),
                                                 " is not a selector expression"));
      Pos saved = base_pos_;
      absl::StatusOr<Node*> x = Expr(sel->x);
      base_pos_ = saved;
      if (!x.ok()) return x.status();
      const Type* st = (*x)->type;
      if (Under(st)->kind == Kind::kPointer) st = Under(st)->elem;
      Selection s = LookupFieldOrMethod(st, sel->str);
      if (s.kind != Selection::Kind::kField)
        return Err(sel->pos,
                   absl::StrCat("invalid argument: ", ExprText(n->list[0]), " is not a field"));
      // Offset relative to x: through the embedded fields, then the field.
      auto offset = [](const Type* strct, int index) {
        int64_t off = 0;
        for (int i = 0; i <= index; ++i) {
          int64_t a = Align(strct->fields[i].type);
          off = (off + a - 1) / a * a;
          if (i < index) off += Size(strct->fields[i].type);
        }
        return off;
      };
      if (s.indirect)
        return Err(n->list[0]->pos,
                   absl::StrCat("invalid argument: field ", sel->str,
                                " is embedded via a pointer in ", ExprText(sel->x)));
      int64_t off = 0;
      const Type* cur = Under(st);
      for (int index : s.path) {
        off += offset(cur, index);
        cur = Under(cur->fields[index].type);
      }
      off += offset(Under(s.holder), s.field_index);
      return ConstNode(Constant::Int(off), U().uintptr_t_, n);
    }
    case Builtin::kUnsafeAdd:
    case Builtin::kUnsafeSlice: {
      if (absl::Status st = nargs(2, 2); !st.ok()) return st;
      absl::StatusOr<Node*> p = value(0);
      if (!p.ok()) return p.status();
      absl::StatusOr<Node*> l = value(1);
      if (!l.ok()) return l.status();
      Node* len = *l;
      bool int_const = len->op == Op::kLiteral && len->cval.ToInt().known();
      if (!IsInteger(len->type) && !(IsUntyped(len->type) && int_const))
        return Err(n->list[1]->pos, absl::StrCat("cannot convert ", ExprText(n->list[1]), " (",
                                                 Describe(len), ") to type int"));
      if (IsUntyped(len->type)) {
        absl::StatusOr<Node*> c = ConvertConst(len, U().int_t, "argument");
        if (!c.ok()) return c.status();
        len = *c;
      }
      Node* r = NewNode(b == Builtin::kUnsafeAdd ? Op::kUnsafeAdd : Op::kUnsafeSlice, n->pos);
      if (b == Builtin::kUnsafeAdd) {
        absl::StatusOr<Node*> c = Assign(*p, U().unsafe_pointer, "argument to unsafe.Add");
        if (!c.ok()) return c.status();
        r->x = *c;
        r->type = U().unsafe_pointer;
      } else {
        if (!IsPointer((*p)->type))
          return Err(n->list[0]->pos, absl::StrCat("invalid argument: ", ExprText(n->list[0]), " (",
                                                   Describe(*p), ") is not a pointer"));
        r->x = *p;
        r->type = prog_->types.Slice(Under((*p)->type)->elem);
      }
      r->y = len;
      return r;
    }
    default:
      return Unsupported(n->pos, absl::StrCat("builtin ", name));
  }
}

}  // namespace gclab::escape
