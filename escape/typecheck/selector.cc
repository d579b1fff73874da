// Selectors (go's typecheck/expr.go tcDot, noder/expr.go selectorExpr):
// qualified identifiers, fields and methods through embedded fields, method
// values and method expressions, with the implicit field accesses and
// receiver & / * made explicit.
#include "absl/strings/str_cat.h"
#include "escape/typecheck/checker.h"

namespace gclab::escape {

Node* Checker::EmbeddedPath(Node* x, const Selection& sel, Pos pos, bool* ptr) {
  Node* cur = x;
  const Type* t = x->type;
  for (int idx : sel.path) {
    bool is_ptr = Under(t)->kind == Kind::kPointer;
    const Type* st = is_ptr ? Under(t)->elem : t;
    const Field& f = Under(st)->fields[idx];
    Node* d = NewNode(is_ptr ? Op::kDotPtr : Op::kDot, pos);
    d->x = cur;
    d->str = f.name;
    d->type = f.type;
    d->implicit = true;
    cur = d;
    t = f.type;
  }
  *ptr = Under(t)->kind == Kind::kPointer;
  return cur;
}

absl::StatusOr<Node*> Checker::Selector(const Node* n, ExprMode mode) {
  if (n->x->op == Op::kIdent) {
    Obj* p = scope_->Lookup(n->x->str);
    if (p != nullptr && p->kind == ObjKind::kPkg) {
      absl::StatusOr<Obj*> mo = PackageMember(p, n);
      if (!mo.ok()) return mo.status();
      Obj* o = *mo;
      std::string qual = absl::StrCat(n->x->str, ".", n->str);
      switch (o->kind) {
        case ObjKind::kFunc: {
          Node* f = NewNode(Op::kFuncName, n->pos);
          f->fn = o->fn;
          f->type = o->type;
          f->str = qual;
          return f;
        }
        case ObjKind::kTypeName:
          return TypeNode(o->type, n->pos);
        case ObjKind::kConst:
          return ConstNode(o->val, o->type, n);
        case ObjKind::kVar: {
          Node* v = NameNode(o, n->pos);
          v->str = qual;
          return v;
        }
        case ObjKind::kBuiltin:
          return Err(n->pos, absl::StrCat(qual, " (built-in function) must be called"));
        default:
          return Err(n->pos, absl::StrCat("invalid use of ", qual));
      }
    }
  }
  absl::StatusOr<Node*> xr = Expr(n->x);
  if (!xr.ok()) return xr.status();
  Node* x = *xr;
  if (x->op == Op::kType) return MethodExpr(n, x->type);
  if (absl::Status st = SingleValue(x); !st.ok()) return st;
  const Type* t = x->type;
  auto undefined = [&]() {
    return Err(n->pos, absl::StrCat(ExprText(n), " undefined (type ", TypeString(t),
                                    " has no field or method ", n->str, ")"));
  };
  const Type* opaque = IsOpaque(t)                                ? t
                       : IsPointer(t) && IsOpaque(Under(t)->elem) ? Under(t)->elem
                                                                  : nullptr;
  if (opaque != nullptr)
    return Unsupported(n->pos, absl::StrCat(ExprText(n), " (", TypeString(opaque),
                                            " is a type of a package gclab does not model)"));
  // Methods of a type parameter's constraint (shape types in
  // instantiations) are called through the dictionary: an unknown callee.
  const Type* shape =
      t->shape
          ? t
          : (Under(t)->kind == Kind::kPointer && Under(t)->elem->shape ? Under(t)->elem : nullptr);
  if (shape != nullptr && shape->key != nullptr) {
    for (const Method& m : Under(shape->key)->methods) {
      if (m.name != n->str) continue;
      Node* d = NewNode(mode.callee ? Op::kDotInter : Op::kMethValue, n->pos);
      d->x = x;
      d->str = n->str;
      d->type = m.sig;
      d->implicit = true;
      return d;
    }
  }
  if (IsInterface(t)) {
    for (const Method& m : Under(t)->methods) {
      if (m.name != n->str) continue;
      Node* d = NewNode(mode.callee ? Op::kDotInter : Op::kMethValue, n->pos);
      d->x = x;
      d->str = n->str;
      d->type = m.sig;
      d->implicit = true;  // interface method
      return d;
    }
    return undefined();
  }
  Selection sel = LookupFieldOrMethod(t, n->str);
  if (sel.kind == Selection::Kind::kAmbiguous)
    return Err(n->pos, absl::StrCat("ambiguous selector ", ExprText(n)));
  if (sel.kind == Selection::Kind::kNone) return undefined();
  bool cur_ptr = false;
  Node* cur = EmbeddedPath(x, sel, n->pos, &cur_ptr);
  if (sel.kind == Selection::Kind::kField) {
    if (cur_ptr && Under(Under(cur->type)->elem)->kind != Kind::kStruct) return undefined();
    Node* d = NewNode(cur_ptr ? Op::kDotPtr : Op::kDot, n->pos);
    d->x = cur;
    d->str = n->str;
    d->type = sel.field->type;
    return d;
  }
  const Method* m = sel.method;
  if (IsInterface(sel.holder)) {
    // A method promoted from an embedded interface.
    Node* d = NewNode(mode.callee ? Op::kDotInter : Op::kMethValue, n->pos);
    d->x = cur;
    d->str = n->str;
    d->type = m->sig;
    d->implicit = true;
    return d;
  }
  const Type* base = cur_ptr ? Under(cur->type)->elem : cur->type;
  Node* recv = cur;
  if (m->ptr_recv && !cur_ptr) {
    if (!Addressable(recv))
      return Err(n->pos,
                 absl::StrCat("cannot call pointer method ", n->str, " on ", TypeString(base)));
    Node* a = NewNode(Op::kAddr, n->pos);
    a->x = recv;
    a->implicit = true;
    a->type = prog_->types.Pointer(base);
    recv = a;
  } else if (!m->ptr_recv && cur_ptr) {
    Node* d = NewNode(Op::kDeref, n->pos);
    d->x = recv;
    d->implicit = true;
    d->type = base;
    recv = d;
  }
  Func* fn = m->fn;
  if (fn != nullptr && fn->generic) {
    absl::StatusOr<Func*> inst = MethodInstance(sel.holder, *m, n->pos);
    if (!inst.ok()) return inst.status();
    fn = *inst;
  }
  Node* r = NewNode(mode.callee ? Op::kCallMeth : Op::kMethValue, n->pos);
  r->x = recv;
  r->fn = fn;
  r->str = n->str;
  r->type = fn != nullptr && fn->generic == false && fn->sig != nullptr ? m->sig : m->sig;
  r->y = x;
  return r;
}

absl::StatusOr<Node*> Checker::MethodExpr(const Node* n, const Type* t) {
  auto undefined = [&]() {
    return Err(n->pos, absl::StrCat(ExprText(n), " undefined (type ", TypeString(t),
                                    " has no method ", n->str, ")"));
  };
  const Method* m = nullptr;
  Func* fn = nullptr;
  if (IsInterface(t)) {
    for (const Method& mm : Under(t)->methods)
      if (mm.name == n->str) m = &mm;
    if (m == nullptr) return undefined();
  } else {
    Selection sel = LookupFieldOrMethod(t, n->str);
    if (sel.kind != Selection::Kind::kMethod) return undefined();
    m = sel.method;
    bool is_ptr = t->kind != Kind::kNamed && Under(t)->kind == Kind::kPointer;
    if (m->ptr_recv && !is_ptr && !sel.indirect && !IsInterface(sel.holder))
      return Err(n->pos,
                 absl::StrCat("invalid method expression ", ExprText(n),
                              " (needs pointer receiver (*", TypeString(t), ").", n->str, ")"));
    fn = m->fn;
    if (fn != nullptr && fn->generic) {
      absl::StatusOr<Func*> inst = MethodInstance(sel.holder, *m, n->pos);
      if (!inst.ok()) return inst.status();
      fn = *inst;
    }
  }
  // The function type: the receiver becomes the first parameter.
  Type* ft = prog_->types.New(Kind::kFunc);
  ft->fields.push_back(Field{"", t});
  for (const Field& f : m->sig->fields) ft->fields.push_back(Field{"", f.type});
  for (const Field& f : m->sig->results) ft->results.push_back(Field{"", f.type});
  ft->variadic = m->sig->variadic;
  Node* r = NewNode(Op::kMethodExpr, n->pos);
  r->x = TypeNode(t, n->x->pos);
  r->fn = fn;
  r->str = n->str;
  r->type = ft;
  return r;
}

}  // namespace gclab::escape
