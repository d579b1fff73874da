// Generics as go 1.19 compiles them (types2 inference, noder's stencil.go):
// a generic function or method is not compiled itself; each call site uses
// an instantiation by the *shapes* of its type arguments (types with the
// same underlying type share one; all pointers share *uint8), checked here
// by translating the generic body again with each type parameter bound to
// its shape type. Instantiations are "dupok": the escape analysis reports
// their allocations but not their parameters. Methods of a type parameter
// are called through the dictionary (an unknown callee).
#include <algorithm>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_replace.h"
#include "escape/typecheck/checker.h"

namespace gclab::escape {

absl::StatusOr<std::vector<const Type*>> Checker::TypeParams(const std::vector<Node*>& fields,
                                                             std::vector<Obj*>* objs) {
  std::vector<const Type*> tps;
  std::vector<Type*> made;
  for (size_t i = 0; i < fields.size(); ++i) {
    Type* tp = prog_->types.New(Kind::kTypeParam);
    tp->name = fields[i]->str;
    tp->index = static_cast<int>(i);
    Obj* o = prog_->NewObj(ObjKind::kTypeName, fields[i]->str, fields[i]->pos);
    o->type = tp;
    tp->obj = o;
    if (scope_->Insert(o) != nullptr) return Err(o->pos, absl::StrCat(o->name, " redeclared"));
    objs->push_back(o);
    made.push_back(tp);
    tps.push_back(tp);
  }
  for (size_t i = 0; i < fields.size(); ++i) {
    const Node* c = fields[i]->x;
    const Type* ct = nullptr;
    if (c->op == Op::kBinary || c->op == Op::kUnary) {
      // A type set written directly: [T ~int | ~string].
      Node iface;
      iface.op = Op::kInterfaceType;
      iface.pos = c->pos;
      Node elem;
      elem.op = Op::kField;
      elem.pos = c->pos;
      elem.x = const_cast<Node*>(c);
      iface.list.push_back(&elem);
      absl::StatusOr<const Type*> t = InterfaceType(&iface);
      if (!t.ok()) return t.status();
      ct = *t;
    } else {
      absl::StatusOr<const Type*> t = ResolveType(c);
      if (!t.ok()) return t.status();
      ct = *t;
      if (Under(ct)->kind != Kind::kInterface) {
        Type* iface = prog_->types.New(Kind::kInterface);
        iface->terms.push_back(TypeTerm{false, ct});
        ct = iface;
      }
    }
    made[i]->underlying = ct;
  }
  return tps;
}

const Type* Checker::Subst(const Type* t, const std::vector<const Type*>& from,
                           const std::vector<const Type*>& to) {
  if (t == nullptr || from.empty()) return t;
  switch (t->kind) {
    case Kind::kTypeParam:
      for (size_t i = 0; i < from.size(); ++i)
        if (from[i] == t) return to[i];
      return t;
    case Kind::kNamed: {
      if (!t->type_params.empty()) {
        // The generic type itself, used inside its own declaration.
        std::vector<const Type*> args;
        for (const Type* p : t->type_params) args.push_back(Subst(p, from, to));
        absl::StatusOr<const Type*> inst = InstantiateType(nullptr, t, args);
        return inst.ok() ? *inst : t;
      }
      if (t->origin != nullptr && HasTypeParam(t)) {
        std::vector<const Type*> args;
        for (const Type* a : t->type_args) args.push_back(Subst(a, from, to));
        absl::StatusOr<const Type*> inst = InstantiateType(nullptr, t->origin, args);
        return inst.ok() ? *inst : t;
      }
      return t;
    }
    case Kind::kPointer:
    case Kind::kSlice:
    case Kind::kArray:
    case Kind::kChan: {
      const Type* e = Subst(t->elem, from, to);
      if (e == t->elem) return t;
      Type* c = prog_->types.New(t->kind);
      *c = *t;
      c->elem = e;
      return c;
    }
    case Kind::kMap: {
      const Type* k = Subst(t->key, from, to);
      const Type* e = Subst(t->elem, from, to);
      if (k == t->key && e == t->elem) return t;
      Type* c = prog_->types.New(Kind::kMap);
      *c = *t;
      c->key = k;
      c->elem = e;
      return c;
    }
    case Kind::kStruct:
    case Kind::kTuple:
    case Kind::kFunc: {
      if (!HasTypeParam(t)) return t;
      Type* c = prog_->types.New(t->kind);
      *c = *t;
      for (Field& f : c->fields) f.type = Subst(f.type, from, to);
      for (Field& f : c->results) f.type = Subst(f.type, from, to);
      return c;
    }
    case Kind::kInterface: {
      if (!HasTypeParam(t)) return t;
      Type* c = prog_->types.New(Kind::kInterface);
      *c = *t;
      for (Method& m : c->methods) m.sig = Subst(m.sig, from, to);
      for (TypeTerm& term : c->terms) term.type = Subst(term.type, from, to);
      return c;
    }
    default:
      return t;
  }
}

absl::StatusOr<const Type*> Checker::InstantiateType(const Node* n, const Type* generic,
                                                     const std::vector<const Type*>& args) {
  Pos pos = n != nullptr ? n->pos : Pos{};
  if (args.size() != generic->type_params.size())
    return Err(pos,
               absl::StrCat(args.size() < generic->type_params.size() ? "not enough" : "too many",
                            " type arguments for type ", generic->name, ": have ", args.size(),
                            ", want ", generic->type_params.size()));
  // Instantiating with its own parameters yields the generic type itself.
  bool self = true;
  for (size_t i = 0; i < args.size(); ++i) self &= args[i] == generic->type_params[i];
  if (self) return generic;
  for (const Type* inst : named_instances_) {
    if (inst->origin != generic) continue;
    bool same = true;
    for (size_t i = 0; i < args.size(); ++i) same &= Identical(inst->type_args[i], args[i]);
    if (same) return inst;
  }
  for (size_t i = 0; i < args.size(); ++i) {
    if (args[i]->kind == Kind::kTypeParam || args[i]->shape) continue;
    const Type* c = generic->type_params[i]->underlying;
    if (c != nullptr && !Satisfies(args[i], Subst(c, generic->type_params, args)))
      return Err(pos, absl::StrCat(TypeString(args[i]), " does not satisfy ", TypeString(c)));
  }
  Type* t = prog_->types.New(Kind::kNamed);
  t->name = generic->name;
  t->pkg = generic->pkg;
  t->obj = generic->obj;
  t->origin = generic;
  t->type_args = args;
  t->local = generic->local;
  named_instances_.push_back(t);
  t->underlying = generic->underlying != nullptr
                      ? Under(Subst(generic->underlying, generic->type_params, args))
                      : nullptr;
  for (const Method& m : generic->methods) {
    Method im = m;
    im.sig = Subst(m.sig, generic->type_params, args);
    t->methods.push_back(im);
  }
  return t;
}

// Completes instances created before their generic type (or its methods)
// was fully declared.
void Checker::CompleteInstances(const Type* generic) {
  for (const Type* it : named_instances_) {
    if (it->origin != generic) continue;
    Type* inst = const_cast<Type*>(it);
    if (inst->underlying == nullptr && generic->underlying != nullptr)
      inst->underlying = Under(Subst(generic->underlying, generic->type_params, inst->type_args));
    for (size_t i = inst->methods.size(); i < generic->methods.size(); ++i) {
      Method im = generic->methods[i];
      im.sig = Subst(im.sig, generic->type_params, inst->type_args);
      inst->methods.push_back(im);
    }
  }
}

const Type* Checker::Shape(const Type* t, int index, const Type* tparam) {
  const Type* u = Under(t);
  bool core = tparam != nullptr && CoreType(tparam) != nullptr;
  if (u->kind == Kind::kPointer && Under(u->elem)->kind != Kind::kArray && !core)
    u = prog_->types.Pointer(U().uint8_t_);
  for (const Type* s : shapes_)
    if (s->index == index && Identical(s->underlying, u)) return s;
  Type* s = prog_->types.New(Kind::kNamed);
  std::string link = TypeString(u);
  if (u->kind == Kind::kStruct || u->kind == Kind::kInterface || u->kind == Kind::kFunc) {
    link = absl::StrReplaceAll(
        link, {{"struct { ", "struct{"}, {" }", "}"}, {"interface { ", "interface{"}});
  }
  s->name = absl::StrCat("shape.", link, "_", index);
  s->pkg = "go";
  s->underlying = u;
  s->shape = true;
  s->index = index;
  s->key = tparam != nullptr ? tparam->underlying : nullptr;  // the constraint
  shapes_.push_back(s);
  return s;
}

namespace {

// Unifies parameter type p (which may contain type parameters) with
// argument type a, recording bindings. Returns false on a mismatch.
bool Unify(const Type* p, const Type* a, const std::vector<const Type*>& tps,
           std::vector<const Type*>* bound) {
  if (p == nullptr || a == nullptr) return false;
  if (p->kind == Kind::kTypeParam) {
    for (size_t i = 0; i < tps.size(); ++i) {
      if (tps[i] != p) continue;
      if ((*bound)[i] == nullptr) {
        (*bound)[i] = a;
        return true;
      }
      return Identical((*bound)[i], a) || Identical(Under((*bound)[i]), Under(a));
    }
    return Identical(p, a);
  }
  if (!HasTypeParam(p)) return true;
  if (p->kind == Kind::kNamed) {
    if (a->kind != Kind::kNamed || a->origin != p->origin) return false;
    for (size_t i = 0; i < p->type_args.size() && i < a->type_args.size(); ++i)
      if (!Unify(p->type_args[i], a->type_args[i], tps, bound)) return false;
    return true;
  }
  const Type* au = a->kind == Kind::kNamed ? Under(a) : a;
  if (au->kind != p->kind) return false;
  switch (p->kind) {
    case Kind::kPointer:
    case Kind::kSlice:
    case Kind::kArray:
    case Kind::kChan:
      return Unify(p->elem, au->elem, tps, bound);
    case Kind::kMap:
      return Unify(p->key, au->key, tps, bound) && Unify(p->elem, au->elem, tps, bound);
    case Kind::kFunc:
      if (p->fields.size() != au->fields.size() || p->results.size() != au->results.size())
        return false;
      for (size_t i = 0; i < p->fields.size(); ++i)
        if (!Unify(p->fields[i].type, au->fields[i].type, tps, bound)) return false;
      for (size_t i = 0; i < p->results.size(); ++i)
        if (!Unify(p->results[i].type, au->results[i].type, tps, bound)) return false;
      return true;
    case Kind::kStruct:
      if (p->fields.size() != au->fields.size()) return false;
      for (size_t i = 0; i < p->fields.size(); ++i)
        if (!Unify(p->fields[i].type, au->fields[i].type, tps, bound)) return false;
      return true;
    default:
      return true;
  }
}

}  // namespace

absl::Status Checker::GenericSignature(Obj* fobj, std::vector<const Type*>* tps, const Type** sig) {
  const Node* d = fobj->decl;
  return AtPackageLevel(&pkg_scope_, [&]() -> absl::Status {
    ScopeGuard guard(&scope_, &bindings_);
    std::vector<Obj*> objs;
    absl::StatusOr<std::vector<const Type*>> t = TypeParams(d->list, &objs);
    if (!t.ok()) return t.status();
    *tps = *t;
    if (sig == nullptr) return absl::OkStatus();
    absl::StatusOr<const Type*> s = Signature(d->y, nullptr, nullptr);
    if (!s.ok()) return s.status();
    *sig = *s;
    return absl::OkStatus();
  });
}

absl::StatusOr<Node*> Checker::GenericCall(const Node* n, Obj* fobj, std::vector<const Type*> targs,
                                           ExprMode mode) {
  (void)mode;
  std::vector<const Type*> tps;
  const Type* gsig = nullptr;
  if (absl::Status st = GenericSignature(fobj, &tps, &gsig); !st.ok()) return st;
  if (targs.size() > tps.size())
    return Err(n->pos, absl::StrCat("got ", targs.size(), " type arguments but ", fobj->name,
                                    " has ", tps.size(), " type parameters"));
  absl::StatusOr<std::vector<Node*>> args = ArgList(n);
  if (!args.ok()) return args.status();
  std::vector<Node*> a = *args;
  std::vector<const Type*> arg_types;
  if (a.size() == 1 && a[0]->type != nullptr && a[0]->type->kind == Kind::kTuple) {
    for (const Field& f : a[0]->type->fields) arg_types.push_back(f.type);
  } else {
    for (Node* x : a) {
      if (absl::Status s = SingleValue(x); !s.ok()) return s;
      arg_types.push_back(x->type);
    }
  }
  std::vector<const Type*> bound(tps.size(), nullptr);
  for (size_t i = 0; i < targs.size(); ++i) bound[i] = targs[i];
  size_t np = gsig->fields.size();
  auto param_type = [&](size_t i) -> const Type* {
    if (gsig->variadic && i >= np - 1) return Under(gsig->fields[np - 1].type)->elem;
    return i < np ? gsig->fields[i].type : nullptr;
  };
  // Typed arguments first, then untyped constants get their default types.
  for (int pass = 0; pass < 2; ++pass) {
    for (size_t i = 0; i < arg_types.size(); ++i) {
      const Type* p = param_type(i);
      if (p == nullptr || (n->ddd && i + 1 == arg_types.size() && gsig->variadic)) {
        if (p != nullptr && n->ddd) Unify(gsig->fields[np - 1].type, arg_types[i], tps, &bound);
        continue;
      }
      const Type* at = arg_types[i];
      if (IsUntyped(at) != (pass == 1)) continue;
      if (pass == 1) {
        if (at->kind == Kind::kUntypedNil) continue;
        at = DefaultType(at);
      }
      if (!Unify(p, at, tps, &bound))
        return Err(n->pos, absl::StrCat("type ", TypeString(arg_types[i]), " of ",
                                        i < n->list.size() ? ExprText(n->list[i]) : "argument",
                                        " does not match ", TypeString(p)));
    }
  }
  for (size_t i = 0; i < bound.size(); ++i)
    if (bound[i] == nullptr) return Err(n->pos, absl::StrCat("cannot infer ", tps[i]->name));
  for (size_t i = 0; i < bound.size(); ++i) {
    const Type* c = Subst(tps[i]->underlying, tps, bound);
    if (c != nullptr && !Satisfies(bound[i], c))
      return Err(n->pos, absl::StrCat(TypeString(bound[i]), " does not satisfy ",
                                      TypeString(tps[i]->underlying), MissingMethod(bound[i], c)));
  }
  absl::StatusOr<Func*> inst = Instance(fobj, bound, n->pos);
  if (!inst.ok()) return inst.status();
  // The call, type-checked against the signature instantiated with the
  // real type arguments.
  const Type* sig = Subst(gsig, tps, bound);
  Node* f = NewNode(Op::kFuncName, n->x->pos);
  f->fn = *inst;
  f->type = sig;
  std::vector<std::string> names;
  for (const Type* b : bound) names.push_back(TypeString(b));
  f->str = absl::StrCat(fobj->name, "[", absl::StrJoin(names, ","), "]");
  Node* call = NewNode(Op::kCallFunc, n->pos);
  call->x = f;
  call->fn = *inst;
  base_pos_ = n->pos;
  if (absl::Status s = Args(n, call, sig, a); !s.ok()) return s;
  if (sig->results.size() == 1) {
    call->type = sig->results[0].type;
  } else if (!sig->results.empty()) {
    std::vector<const Type*> rt;
    for (const Field& r : sig->results) rt.push_back(r.type);
    call->type = prog_->types.Tuple(rt);
    call->str = ExprText(n);
  }
  return call;
}

Func* Checker::FindInstance(const Obj* generic, const std::vector<const Type*>& shapes) const {
  for (const auto& [key, f] : instances_) {
    if (key.fobj != generic || key.shapes.size() != shapes.size()) continue;
    bool same = true;
    for (size_t i = 0; i < shapes.size(); ++i) same &= key.shapes[i] == shapes[i];
    if (same) return f;
  }
  return nullptr;
}

absl::StatusOr<Func*> Checker::Instance(Obj* fobj, const std::vector<const Type*>& targs, Pos pos) {
  const Node* d = fobj->decl;
  if (targs.size() != d->list.size())
    return Err(pos, absl::StrCat("got ", targs.size(), " type arguments but ", fobj->name, " has ",
                                 d->list.size(), " type parameters"));
  // Type parameters (for their constraints), then the shapes.
  std::vector<const Type*> tps;
  if (absl::Status st = GenericSignature(fobj, &tps, nullptr); !st.ok()) return st;
  std::vector<const Type*> shapes;
  for (size_t i = 0; i < targs.size(); ++i)
    shapes.push_back(Shape(targs[i], static_cast<int>(i), tps[i]));
  if (Func* f = FindInstance(fobj, shapes)) return f;
  Func* f = prog_->NewFunc();
  f->decl = d;
  f->pos = d->pos;
  f->dupok = true;
  f->has_body = d->z != nullptr;
  std::vector<std::string> names;
  for (const Type* s : shapes) names.push_back(TypeString(s));
  f->name = absl::StrCat(fobj->name, "[", absl::StrJoin(names, ","), "]");
  instances_.push_back({InstanceKey{fobj, shapes}, f});
  // The signature, with each type parameter bound to its shape.
  absl::Status st = AtPackageLevel(&pkg_scope_, [&]() -> absl::Status {
    ScopeGuard guard(&scope_, &bindings_);
    for (size_t i = 0; i < shapes.size(); ++i) {
      Obj* o = prog_->NewObj(ObjKind::kTypeName, d->list[i]->str, d->list[i]->pos);
      o->type = shapes[i];
      scope_->Insert(o);
    }
    fn_ = nullptr;
    absl::StatusOr<const Type*> sig = Signature(d->y, f, nullptr);
    if (!sig.ok()) return sig.status();
    f->sig = *sig;
    return absl::OkStatus();
  });
  if (!st.ok()) return st;
  pending_instances_.push_back(f);
  return f;
}

absl::StatusOr<Func*> Checker::MethodInstance(const Type* recv_named, const Method& m, Pos pos) {
  const Type* origin = recv_named->origin != nullptr ? recv_named->origin : recv_named;
  if (recv_named->origin == nullptr) return m.fn;  // inside the generic body itself
  Func* gm = m.fn;
  const Node* d = gm->decl;
  Obj* key_obj = gm->nname;
  std::vector<const Type*> shapes;
  for (size_t i = 0; i < recv_named->type_args.size(); ++i)
    shapes.push_back(Shape(recv_named->type_args[i], static_cast<int>(i), origin->type_params[i]));
  if (Func* f = FindInstance(key_obj, shapes)) return f;
  absl::StatusOr<const Type*> shaped_recv = InstantiateType(nullptr, origin, shapes);
  if (!shaped_recv.ok()) return shaped_recv.status();
  Func* f = prog_->NewFunc();
  f->decl = d;
  f->pos = d->pos;
  f->dupok = true;
  f->has_body = d->z != nullptr;
  f->ptr_recv = m.ptr_recv;
  std::string tname = TypeString(*shaped_recv);
  f->name = m.ptr_recv ? absl::StrCat("(*", tname, ").", m.name) : absl::StrCat(tname, ".", m.name);
  instances_.push_back({InstanceKey{key_obj, shapes}, f});
  const Node* rt = d->x->x;
  while (rt->op == Op::kParen || rt->op == Op::kStar) rt = rt->x;
  absl::Status st = AtPackageLevel(&pkg_scope_, [&]() -> absl::Status {
    ScopeGuard guard(&scope_, &bindings_);
    for (size_t i = 0; i < rt->list.size() && i < shapes.size(); ++i) {
      Obj* o = prog_->NewObj(ObjKind::kTypeName, rt->list[i]->str, rt->list[i]->pos);
      o->type = shapes[i];
      scope_->Insert(o);
    }
    fn_ = nullptr;
    absl::StatusOr<const Type*> sig = Signature(d->y, f, d->x);
    if (!sig.ok()) return sig.status();
    f->sig = *sig;
    return absl::OkStatus();
  });
  if (!st.ok()) return st;
  (void)pos;
  pending_instances_.push_back(f);
  return f;
}

// Whether an instantiated type's arguments are concrete (no type
// parameters, no shapes).
static bool Concrete(const Type* inst) {
  for (const Type* a : inst->type_args) {
    if (HasTypeParam(a)) return false;
    for (const Type* t = a; t != nullptr; t = t->elem) {
      if (t->shape) return false;
      if (t->kind != Kind::kPointer && t->kind != Kind::kSlice && t->kind != Kind::kArray) break;
    }
  }
  return true;
}

void Checker::CheckInstances() {
  size_t next = 0, types_done = 0;
  while (true) {
    if (next == pending_instances_.size()) {
      if (types_done == named_instances_.size()) break;
      // All methods of the concrete instantiated types are instantiated
      // too (go's instantiateMethods), after the functions.
      const Type* inst = named_instances_[types_done++];
      if (!Concrete(inst)) continue;
      for (const Method& m : inst->methods)
        if (m.fn != nullptr && m.fn->generic) (void)MethodInstance(inst, m, Pos{});
      continue;
    }
    Func* f = pending_instances_[next++];
    prog_->funcs.push_back(f);
    const Node* d = f->decl;
    if (d->z == nullptr) continue;
    // Bind the type parameters (or the receiver's) to the instance's shapes.
    std::vector<const Node*> names;
    if (d->x != nullptr) {
      const Node* rt = d->x->x;
      while (rt->op == Op::kParen || rt->op == Op::kStar) rt = rt->x;
      for (const Node* a : rt->list) names.push_back(a);
    } else {
      for (const Node* a : d->list) names.push_back(a);
    }
    std::vector<const Type*> shapes;
    for (auto& [key, g] : instances_)
      if (g == f) shapes = key.shapes;
    Scope* saved = scope_;
    scope_ = &pkg_scope_;
    {
      ScopeGuard guard(&scope_, &bindings_);
      for (size_t k = 0; k < names.size() && k < shapes.size(); ++k) {
        Obj* o = prog_->NewObj(ObjKind::kTypeName, names[k]->str, names[k]->pos);
        o->type = shapes[k];
        scope_->Insert(o);
      }
      stencil_ = true;
      CheckFuncBody(f, d->z);
      stencil_ = false;
    }
    scope_ = saved;
  }
}

}  // namespace gclab::escape
