// Calls (go's typecheck/func.go tcCall, noder transformCall and
// typecheckaste): static, interface and method calls, f(g()) with a
// multi-value g, variadic packing, and explicit conversions.
#include "absl/strings/str_cat.h"
#include "escape/typecheck/checker.h"
#include "escape/utf8.h"

namespace gclab::escape {

absl::StatusOr<std::vector<Node*>> Checker::ArgList(const Node* n) {
  std::vector<Node*> args;
  for (const Node* a : n->list) {
    absl::StatusOr<Node*> v = Expr(a);
    if (!v.ok()) return v.status();
    args.push_back(*v);
  }
  return args;
}

// RewriteMultiValueCall: "t1, t2 := call" (declaring the temporaries at the
// current base position); their names are appended to *names.
Node* Checker::MultiValueTemps(Node* call, std::vector<Node*>* names) {
  Node* as = NewNode(Op::kAs2Func, base_pos_);
  for (const Field& fl : call->type->fields) {
    Obj* t = NewTemp(fl.type, base_pos_);
    Node* d = NewNode(Op::kDcl, base_pos_);
    d->obj = t;
    as->init.push_back(d);
    as->list.push_back(NameNode(t, base_pos_));
    names->push_back(NameNode(t, base_pos_));
  }
  as->x = call;
  return as;
}

namespace {

// ir.Any(n, callOrChan) without new(T): whether evaluating n calls a
// function, a builtin or receives from a channel.
bool CallsOrReceives(const Node* n) {
  return AnyNode(n, [](const Node* c) {
    switch (c->op) {
      case Op::kCallFunc:
      case Op::kCallInter:
      case Op::kCallMeth:
      case Op::kAppend:
      case Op::kCap:
      case Op::kClose:
      case Op::kComplex:
      case Op::kCopy:
      case Op::kDelete:
      case Op::kLen:
      case Op::kMakeSlice:
      case Op::kMakeMap:
      case Op::kMakeChan:
      case Op::kPanic:
      case Op::kPrint:
      case Op::kPrintln:
      case Op::kReal:
      case Op::kImag:
      case Op::kRecover:
      case Op::kRecv:
      case Op::kUnsafeAdd:
      case Op::kUnsafeSlice:
        return 1;
      case Op::kClosure:
        return -1;  // its body runs later
      default:
        return 0;
    }
  });
}

}  // namespace

// RewriteNonNameCall: a callee or method receiver whose evaluation calls or
// receives is evaluated first, into a temporary: g()(x) is t := g(); t(x),
// f().M() is t := f(); T.M(t).
void Checker::RewriteNonNameCall(Node* call) {
  Node** np = call->op == Op::kCallMeth    ? (call->list.empty() ? nullptr : &call->list[0])
              : call->op == Op::kCallInter ? &call->x->x
                                           : &call->x;
  if (np == nullptr || *np == nullptr || (*np)->type == nullptr || !CallsOrReceives(*np)) return;
  Obj* t = NewTemp((*np)->type, base_pos_);
  Node* d = NewNode(Op::kDcl, base_pos_);
  d->obj = t;
  Node* as = NewNode(Op::kAs, base_pos_);
  as->x = NameNode(t, base_pos_);
  as->y = *np;
  call->init.push_back(d);
  call->init.push_back(as);
  *np = NameNode(t, base_pos_);
}

absl::StatusOr<Node*> Checker::Call(const Node* n, ExprMode mode) {
  const Node* fx = n->x;
  while (fx->op == Op::kParen) fx = fx->x;
  // Built-in functions (also unsafe's), and generic functions.
  Obj* callee_obj = nullptr;
  if (fx->op == Op::kIdent) {
    callee_obj = scope_->Lookup(fx->str);
  } else if (fx->op == Op::kSelector && fx->x->op == Op::kIdent) {
    Obj* p = scope_->Lookup(fx->x->str);
    if (p != nullptr && p->kind == ObjKind::kPkg && p->pkg->known)
      callee_obj = p->pkg->Lookup(fx->str);
    if (callee_obj != nullptr && callee_obj->kind == ObjKind::kBuiltin) p->used = true;
  }
  if (callee_obj != nullptr && callee_obj->kind == ObjKind::kBuiltin)
    return BuiltinCall(n, callee_obj->builtin, mode);
  if (callee_obj != nullptr && callee_obj->kind == ObjKind::kFunc && callee_obj->fn != nullptr &&
      callee_obj->fn->generic)
    return GenericCall(n, callee_obj, {}, mode);
  if (fx->op == Op::kIndex && fx->x->op == Op::kIdent) {
    Obj* g = scope_->Lookup(fx->x->str);
    if (g != nullptr && g->kind == ObjKind::kFunc && g->fn != nullptr && g->fn->generic) {
      std::vector<const Type*> targs;
      for (const Node* a : fx->list) {
        absl::StatusOr<const Type*> t = ResolveType(a);
        if (!t.ok()) return t.status();
        targs.push_back(*t);
      }
      return GenericCall(n, g, targs, mode);
    }
  }
  absl::StatusOr<Node*> fr = Expr(n->x, ExprMode{.callee = true});
  if (!fr.ok()) return fr.status();
  Node* f = *fr;
  if (f->op == Op::kType) return Conversion(n, f->type);
  if (f->op != Op::kCallMeth && f->op != Op::kDotInter)
    if (absl::Status st = SingleValue(f); !st.ok()) return st;
  const Type* sig = CoreType(f->type);
  if (sig == nullptr || sig->kind != Kind::kFunc)
    return Err(n->pos, absl::StrCat("invalid operation: cannot call non-function ", ExprText(n->x),
                                    " (", Describe(f), ")"));
  absl::StatusOr<std::vector<Node*>> args = ArgList(n);
  if (!args.ok()) return args.status();
  Node* call;
  if (f->op == Op::kCallMeth) {
    call = f;
    call->pos = n->pos;
    call->list.push_back(f->x);  // the receiver is argument 0
    call->w = f->y;
    call->x = nullptr;
    call->y = nullptr;
  } else if (f->op == Op::kDotInter) {
    call = NewNode(Op::kCallInter, n->pos);
    call->x = f;
  } else {
    call = NewNode(Op::kCallFunc, n->pos);
    call->x = f;
    if (f->op == Op::kFuncName) call->fn = f->fn;
    if (f->op == Op::kClosure) {
      call->fn = f->fn;
      f->fn->closure_called = true;
    }
  }
  // transformCall: base.Pos is the call's.
  base_pos_ = n->pos;
  RewriteNonNameCall(call);
  if (absl::Status st = Args(n, call, sig, *std::move(args)); !st.ok()) return st;
  if (sig->results.size() == 1) {
    call->type = sig->results[0].type;
  } else if (sig->results.empty()) {
    call->type = nullptr;
  } else {
    std::vector<const Type*> rt;
    for (const Field& r : sig->results) rt.push_back(r.type);
    call->type = prog_->types.Tuple(rt);
    call->str = ExprText(n);
  }
  return call;
}

// Checks the arguments of a call and appends them to call->list, packing
// variadic arguments into an implicit "... argument" slice literal.
absl::Status Checker::Args(const Node* n, Node* call, const Type* sig, std::vector<Node*> args) {
  size_t np = sig->fields.size();
  const std::string fname = ExprText(n->x);
  if (args.size() == 1 && args[0]->type != nullptr && args[0]->type->kind == Kind::kTuple &&
      !n->ddd) {
    // f(g()) with a multi-value g: t1, t2 := g(); f(t1, t2).
    std::vector<Node*> tmps;
    call->init.push_back(MultiValueTemps(args[0], &tmps));
    args = tmps;
  }
  for (Node* a : args)
    if (absl::Status st = SingleValue(a); !st.ok()) return st;
  Pos saved = base_pos_;
  auto conv = [&](Node* a, const Type* t) -> absl::StatusOr<Node*> {
    SetPos(a);
    return Assign(a, t, "argument");
  };
  if (n->ddd) {
    if (!sig->variadic)
      return Err(n->pos, absl::StrCat("have (...) but function is not variadic: ", fname));
    if (args.size() != np)
      return Err(n->pos, absl::StrCat(args.size() < np ? "not enough" : "too many",
                                      " arguments in call to ", fname));
    for (size_t i = 0; i < np; ++i) {
      absl::StatusOr<Node*> c = conv(args[i], sig->fields[i].type);
      if (!c.ok()) return c.status();
      call->list.push_back(*c);
    }
    call->ddd = true;
    base_pos_ = saved;
    return absl::OkStatus();
  }
  size_t fixed = sig->variadic ? np - 1 : np;
  if (args.size() < fixed || (!sig->variadic && args.size() > np))
    return Err(args.size() < fixed ? n->pos : n->list[std::min(np, n->list.size() - 1)]->pos,
               absl::StrCat(args.size() < fixed ? "not enough" : "too many",
                            " arguments in call to ", fname));
  for (size_t i = 0; i < fixed; ++i) {
    absl::StatusOr<Node*> c = conv(args[i], sig->fields[i].type);
    if (!c.ok()) return c.status();
    call->list.push_back(*c);
  }
  if (sig->variadic) {
    const Type* st = sig->fields[np - 1].type;
    call->packed = true;
    if (args.size() == fixed) {
      Node* nil = NewNode(Op::kNil, n->pos);
      nil->type = st;
      nil->str = "nil";
      call->list.push_back(nil);
    } else {
      Node* lit = NewNode(Op::kSliceLit, n->pos);
      lit->type = st;
      lit->implicit = true;  // "... argument"
      for (size_t i = fixed; i < args.size(); ++i) {
        absl::StatusOr<Node*> c = conv(args[i], Under(st)->elem);
        if (!c.ok()) return c.status();
        lit->list.push_back(*c);
      }
      lit->int_val = static_cast<int64_t>(lit->list.size());
      call->list.push_back(lit);
    }
  }
  base_pos_ = saved;
  return absl::OkStatus();
}

absl::StatusOr<Node*> Checker::Conversion(const Node* n, const Type* t) {
  if (n->list.size() != 1)
    return Err(n->pos, absl::StrCat(n->list.empty() ? "missing argument" : "too many arguments",
                                    " in conversion to ", TypeString(t)));
  if (n->ddd) return Err(n->pos, "invalid use of ... in conversion");
  absl::StatusOr<Node*> xr = Expr(n->list[0]);
  if (!xr.ok()) return xr.status();
  Node* x = *xr;
  if (absl::Status st = SingleValue(x); !st.ok()) return st;
  const Type* tu = Under(t);
  const Type* xu = Under(x->type);
  auto fail = [&](std::string extra = "") {
    return Err(n->list[0]->pos, absl::StrCat("cannot convert ", ExprText(n->list[0]), " (",
                                             Describe(x), ") to type ", TypeString(t), extra));
  };
  Node* r = NewNode(Op::kConv, n->pos);
  r->x = x;
  r->type = t;
  // Constant conversions yield constants (printed as written: T(c)).
  if (x->op == Op::kLiteral && t->kind != Kind::kTypeParam &&
      (IsNumeric(t) || IsString(t) || IsBoolean(t)) && !(IsString(t) && IsInteger(x->type)) &&
      !IsInterface(t)) {
    Constant v = x->cval;
    if (IsNumeric(t) && !IsNumeric(x->type)) return fail();
    if (IsString(t) && !IsString(x->type)) return fail();
    if (IsBoolean(t) && !IsBoolean(x->type)) return fail();
    if (IsInteger(t)) {
      Constant iv = v.ToInt();
      if (!iv.known()) {
        if (!IsUntyped(x->type) && IsFloat(x->type)) {
          // float64(1.5) -> int is a non-constant conversion? No: Go
          // rejects truncation of constants.
        }
        return Err(n->list[0]->pos,
                   absl::StrCat("cannot convert ", ExprText(n->list[0]), " (", Describe(x),
                                ") to type ", TypeString(t), " (truncated)"));
      }
      v = iv;
    } else if (IsFloat(t)) {
      v = v.ToFloat();
    } else if (IsComplex(t)) {
      v = v.ToComplex();
    }
    if (!v.known()) return fail();
    if (!Representable(v, t, &v))
      return Err(n->list[0]->pos,
                 absl::StrCat("cannot convert ", ExprText(n->list[0]), " (", Describe(x),
                              ") to type ", TypeString(t), " (overflows)"));
    return ConstNode(v, t, n);
  }
  if (tu->kind == Kind::kInterface && t->kind != Kind::kTypeParam) {
    if (IsUntyped(x->type)) {
      if (x->type->kind == Kind::kUntypedNil) {
        Node* nil = CopyNode(x);
        nil->type = t;
        r->x = nil;
        return r;
      }
      absl::StatusOr<Node*> d = DefaultConst(x, "conversion");
      if (!d.ok()) return d.status();
      x = *d;
      r->x = x;
    }
    if (!Implements(x->type, t)) return fail(MissingMethod(x->type, t));
    r->op = Op::kConvIface;
    return r;
  }
  if (IsString(t) && IsInteger(x->type) && x->op == Op::kLiteral && t->kind != Kind::kTypeParam)
    return ConstNode(RuneString(x->cval), t, n);  // string(65) is the constant "A"
  if (IsString(t) && IsInteger(x->type)) {
    r->op = Op::kRuneStr;
    if (IsUntyped(x->type)) {
      absl::StatusOr<Node*> c = ConvertConst(x, U().rune_t, "conversion");
      if (!c.ok()) return c.status();
      r->x = *c;
    }
    return r;
  }
  if (IsString(t) && xu->kind == Kind::kSlice &&
      (Under(xu->elem)->kind == Kind::kUint8 || Under(xu->elem)->kind == Kind::kInt32)) {
    r->op = Under(xu->elem)->kind == Kind::kUint8 ? Op::kBytes2Str : Op::kRunes2Str;
    if (xu->elem->kind == Kind::kNamed) {
      // A named element type: converted to []byte / []rune first.
      Node* c = NewNode(Op::kConv, n->pos);
      c->x = x;
      c->type = prog_->types.Slice(r->op == Op::kBytes2Str ? U().byte_t : U().rune_t);
      r->x = c;
    }
    return r;
  }
  if (tu->kind == Kind::kSlice && IsString(x->type) &&
      (Under(tu->elem)->kind == Kind::kUint8 || Under(tu->elem)->kind == Kind::kInt32)) {
    r->op = Under(tu->elem)->kind == Kind::kUint8 ? Op::kStr2Bytes : Op::kStr2Runes;
    if (r->op == Op::kStr2Runes && x->op == Op::kLiteral) {
      // []rune("...") of a constant is the slice literal of its runes
      // (stringtoruneslit), printed []rune{...}.
      Node* lit = NewNode(Op::kSliceLit, n->pos);
      lit->type = t;
      for (uint32_t rune : Runes(x->cval.string_val()))
        lit->list.push_back(ConstNode(Constant::Int(rune), tu->elem, nullptr));
      lit->int_val = static_cast<int64_t>(lit->list.size());
      return lit;
    }
    if (IsUntyped(x->type)) {
      absl::StatusOr<Node*> c = ConvertConst(x, U().string_t, "conversion");
      if (!c.ok()) return c.status();
      r->x = *c;
    }
    return r;
  }
  if (x->type->kind == Kind::kUntypedNil) {
    if (!IsNilable(t) || IsInterface(t)) return fail();
    Node* nil = CopyNode(x);
    nil->type = t;
    r->x = nil;
    return r;
  }
  if (IsUntyped(x->type)) {
    // A non-constant untyped value (a comparison result, a shift).
    absl::StatusOr<Node*> c = Assign(x, DefaultType(x->type), "conversion");
    if (!c.ok()) return c.status();
    x = *c;
    r->x = x;
    xu = Under(x->type);
  }
  bool ok = false;
  if (IsNumeric(t) && IsNumeric(x->type)) ok = !(IsComplex(t) != IsComplex(x->type));
  if (IsString(t) && IsString(x->type)) ok = true;
  if (Identical(tu, xu)) ok = true;
  if (tu->kind == Kind::kPointer && xu->kind == Kind::kPointer &&
      Identical(Under(tu->elem), Under(xu->elem)))
    ok = true;
  // unsafe.Pointer <-> *T and uintptr.
  if (tu->kind == Kind::kUnsafePointer &&
      (xu->kind == Kind::kPointer || xu->kind == Kind::kUintptr ||
       xu->kind == Kind::kUnsafePointer))
    ok = true;
  if (xu->kind == Kind::kUnsafePointer &&
      (tu->kind == Kind::kPointer || tu->kind == Kind::kUintptr))
    ok = true;
  if (tu->kind == Kind::kChan && xu->kind == Kind::kChan && Identical(tu->elem, xu->elem) &&
      xu->dir == ChanDir::kBoth)
    ok = true;
  if (tu->kind == Kind::kPointer && Under(tu->elem)->kind == Kind::kArray &&
      xu->kind == Kind::kSlice && Identical(Under(tu->elem)->elem, xu->elem)) {
    r->op = Op::kSlice2ArrPtr;
    return r;
  }
  if (!ok) return fail();
  return r;
}

}  // namespace gclab::escape
