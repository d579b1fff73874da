// Package-level declarations (go's typecheck/dcl.go and noder/decl.go):
// type names, function and method signatures, constants and global
// variables. Package-level objects are resolved lazily, so declarations may
// refer to each other in any order; an erroneous declaration is recorded
// and gets an invalid type without stopping the others.
#include "absl/strings/str_cat.h"
#include "escape/parser.h"
#include "escape/typecheck/checker.h"

namespace gclab::escape {

absl::Status Checker::CollectPackage(const std::vector<Node*>& decls, Scope* scope, Package* pkg) {
  // A declaration error is fatal only in a package summary (gclab's own
  // data); in the user's file it is recorded and confined.
  auto handle = [&](const absl::Status& st) -> absl::Status {
    if (st.ok()) return st;
    if (pkg != nullptr) return st;
    RecordError(st);
    return absl::OkStatus();
  };
  auto declare = [&](Obj* o, Node* d) -> absl::Status {
    decl_of_[o] = d;
    state_[o] = DeclState::kPending;
    decl_scope_[o] = scope;
    decl_pkg_[o] = pkg;
    o->pkg = pkg;
    if (scope->Insert(o) != nullptr)
      return Err(o->pos, absl::StrCat(o->name, " redeclared in this block"));
    return absl::OkStatus();
  };
  std::vector<Obj*> types, consts, vars;
  std::vector<Node*> funcs;
  for (Node* d : decls) {
    switch (d->op) {
      case Op::kTypeDecl: {
        Obj* o = DeclareTypeName(d, scope);
        if (auto st = handle(declare(o, d)); !st.ok()) return st;
        types.push_back(o);
        break;
      }
      case Op::kConstDecl:
        for (size_t i = 0; i < d->list.size(); ++i) {
          Node* id = d->list[i];
          Obj* o = prog_->NewObj(ObjKind::kConst, id->str, id->pos);
          const_index_[o] = static_cast<int>(i);
          if (auto st = handle(declare(o, d)); !st.ok()) return st;
          consts.push_back(o);
        }
        break;
      case Op::kVarDecl:
        for (Node* id : d->list) {
          Obj* o = prog_->NewObj(ObjKind::kVar, id->str, id->pos);
          o->cls = VarClass::kExtern;
          if (pkg == nullptr) prog_->globals.push_back(o);
          if (auto st = handle(declare(o, d)); !st.ok()) return st;
          vars.push_back(o);
        }
        break;
      case Op::kFuncDecl:
        funcs.push_back(d);
        break;
      default:
        break;
    }
  }
  for (Obj* o : types)
    if (auto st = handle(ResolveTypeName(o)); !st.ok()) return st;
  // Functions and methods: declare all (methods attach to their types)
  // before any initializer or body uses them.
  std::vector<std::pair<Node*, Func*>> declared;
  for (Node* d : funcs) {
    absl::StatusOr<Func*> f = DeclareFunc(d, scope);
    if (!f.ok()) {
      if (auto st = handle(f.status()); !st.ok()) return st;
      continue;
    }
    (*f)->external = pkg != nullptr;
    declared.push_back({d, *f});
  }
  for (auto& [d, f] : declared) {
    absl::Status st = FuncSignature(f, d, scope);
    if (!st.ok()) {
      if (pkg != nullptr) return st;
      RecordError(st);
      f->unsupported = true;
      f->failure = std::string(st.message());
      if (f->sig == nullptr) f->sig = prog_->types.New(Kind::kFunc);
    }
  }
  for (Obj* o : consts)
    if (auto st = handle(EvalConst(o)); !st.ok()) return st;
  for (Obj* o : vars)
    if (auto st = handle(CheckGlobal(o)); !st.ok()) return st;
  return absl::OkStatus();
}

// ---------------------------------------------------------------- types

Obj* Checker::DeclareTypeName(Node* d, Scope* scope) {
  Obj* o = prog_->NewObj(ObjKind::kTypeName, d->str, d->pos);
  d->obj = o;
  o->decl = d;
  if (!d->def) {
    Type* t = prog_->types.New(Kind::kNamed);
    t->name = d->str;
    t->obj = o;
    t->local = fn_ != nullptr && fn_ != init_;
    Package* pkg = decl_pkg_.count(o) ? decl_pkg_[o] : nullptr;
    (void)pkg;
    o->type = t;
  }
  (void)scope;
  return o;
}

absl::Status Checker::ResolveTypeName(Obj* o) {
  auto it = state_.find(o);
  if (it == state_.end() || it->second == DeclState::kDone) return absl::OkStatus();
  if (it->second == DeclState::kFailed) return absl::OkStatus();
  Node* d = decl_of_[o];
  if (it->second == DeclState::kResolving)
    return Err(d->pos, absl::StrCat("invalid recursive type ", o->name));
  it->second = DeclState::kResolving;
  Package* pkg = decl_pkg_[o];
  absl::Status st = AtPackageLevel(decl_scope_[o], [&]() -> absl::Status {
    if (o->type != nullptr) const_cast<Type*>(o->type)->pkg = pkg != nullptr ? pkg->name : "";
    if (d->def) {  // alias
      if (!d->list.empty()) return Unsupported(d->pos, "generic type alias");
      absl::StatusOr<const Type*> t = ResolveType(d->x);
      if (!t.ok()) return t.status();
      o->type = *t;
      return absl::OkStatus();
    }
    Type* named = const_cast<Type*>(o->type);
    ScopeGuard tparams_scope(&scope_, &bindings_);
    if (!d->list.empty()) {
      std::vector<Obj*> objs;
      absl::StatusOr<std::vector<const Type*>> tps = TypeParams(d->list, &objs);
      if (!tps.ok()) return tps.status();
      named->type_params = *tps;
    }
    // "type A B": A's underlying type is B's, which must be resolved first.
    const Node* rhs = d->x;
    while (rhs->op == Op::kParen) rhs = rhs->x;
    if (rhs->op == Op::kIdent) {
      Obj* b = scope_->Lookup(rhs->str);
      if (b != nullptr && b->kind == ObjKind::kTypeName) {
        absl::Status bs = ResolveTypeName(b);
        if (!bs.ok()) return bs;
      }
    }
    absl::StatusOr<const Type*> u = ResolveType(d->x);
    if (!u.ok()) return u.status();
    if (Under(*u) == nullptr || Under(*u) == named || (*u)->kind == Kind::kTypeParam)
      return Err(d->pos, absl::StrCat("invalid recursive type ", o->name));
    named->underlying = Under(*u);
    if (!named->type_params.empty()) CompleteInstances(named);
    return CheckValidRecursion(named, d->pos);
  });
  if (!st.ok()) {
    it = state_.find(o);
    it->second = DeclState::kFailed;
    if (o->type == nullptr) o->type = U().invalid;
    if (o->type->kind == Kind::kNamed && o->type->underlying == nullptr)
      const_cast<Type*>(o->type)->underlying = U().invalid;
    return st;
  }
  state_[o] = DeclState::kDone;
  return absl::OkStatus();
}

// Rejects a named type that contains itself by value (struct fields, array
// elements), which would have infinite size.
absl::Status Checker::CheckValidRecursion(const Type* named, Pos pos) {
  std::vector<const Type*> stack{named->underlying};
  std::vector<const Type*> seen;
  while (!stack.empty()) {
    const Type* t = stack.back();
    stack.pop_back();
    if (t == nullptr) continue;
    if (t == named) return Err(pos, absl::StrCat("invalid recursive type ", named->name));
    bool dup = false;
    for (const Type* s : seen) dup |= s == t;
    if (dup) continue;
    seen.push_back(t);
    switch (t->kind) {
      case Kind::kNamed:
        stack.push_back(t->underlying);
        break;
      case Kind::kArray:
        stack.push_back(t->elem);
        break;
      case Kind::kStruct:
        for (const Field& f : t->fields) stack.push_back(f.type);
        break;
      default:
        break;
    }
  }
  return absl::OkStatus();
}

// ---------------------------------------------------------------- funcs

absl::StatusOr<Func*> Checker::DeclareFunc(Node* d, Scope* scope) {
  Func* f = prog_->NewFunc();
  f->pos = d->pos;
  f->decl = d;
  f->has_body = d->z != nullptr || d->w != nullptr;
  f->noescape = (d->int_val & kPragmaNoescape) != 0;
  f->uintptr_escapes = (d->int_val & kPragmaUintptrEscapes) != 0;
  f->generic = !d->list.empty();
  if (d->x != nullptr) {
    const Node* rt = d->x->x;
    while (rt->op == Op::kParen || rt->op == Op::kStar) rt = rt->x;
    f->generic = rt->op == Op::kIndex;
  }
  for (const Node* p : d->list2) {
    const std::string& t = p->str;
    if (t.rfind("gclab:esc", 0) == 0) {
      std::string rest = t.size() > 9 ? t.substr(10) : "";
      size_t start = 0;
      while (start < rest.size()) {
        size_t sp = rest.find(' ', start);
        if (sp == std::string::npos) sp = rest.size();
        if (sp > start) f->ext_tags.push_back(rest.substr(start, sp - start));
        start = sp + 1;
      }
    }
  }
  Obj* o = prog_->NewObj(ObjKind::kFunc, d->str, d->pos);
  o->fn = f;
  o->decl = d;
  f->nname = o;
  if (d->x == nullptr) {
    f->name = d->str;
    if ((d->str == "init" || d->str == "main") && scope == &pkg_scope_ && f->generic)
      return Err(d->pos, absl::StrCat("func ", d->str, " must have no type parameters"));
    if (d->str != "init" && d->str != "_") {
      if (scope->Insert(o) != nullptr) {
        return Err(d->pos, absl::StrCat(d->str, " redeclared in this block"));
      }
    }
    if (d->str == "init" && !f->has_body) return Err(d->pos, "missing function body");
  }
  d->obj = o;  // only now: the body of a rejected declaration is never checked
  if (!f->generic && scope == &pkg_scope_) prog_->funcs.push_back(f);
  return f;
}

absl::Status Checker::FuncSignature(Func* f, const Node* d, Scope* scope) {
  return AtPackageLevel(scope, [&]() -> absl::Status {
    ScopeGuard sig_scope(&scope_, &bindings_);
    fn_ = nullptr;
    if (d->x != nullptr) {
      // Method: the receiver's base type must be a named type of this
      // package; a generic one binds the receiver's type parameters.
      const Node* rt = d->x->x;
      bool ptr = false;
      while (rt->op == Op::kParen) rt = rt->x;
      if (rt->op == Op::kStar) {
        ptr = true;
        rt = rt->x;
        while (rt->op == Op::kParen) rt = rt->x;
      }
      std::vector<const Node*> rparams;
      if (rt->op == Op::kIndex) {
        for (const Node* a : rt->list) rparams.push_back(a);
        rt = rt->x;
      }
      if (rt->op != Op::kIdent) return Err(rt->pos, "invalid receiver type");
      Obj* to = scope->Lookup(rt->str);
      if (to == nullptr) return Err(rt->pos, absl::StrCat("undefined: ", rt->str));
      if (to->kind != ObjKind::kTypeName || to->type == nullptr || to->type->kind != Kind::kNamed ||
          scope->LookupLocal(rt->str) != to)
        return Err(rt->pos, absl::StrCat("cannot define new methods on non-local type ",
                                         TypeString(to->type)));
      Type* named = const_cast<Type*>(to->type);
      if (Under(named)->kind == Kind::kPointer || Under(named)->kind == Kind::kInterface)
        return Err(rt->pos, absl::StrCat("invalid receiver type ", rt->str));
      if (rparams.size() != named->type_params.size())
        return Err(rt->pos, absl::StrCat("got ", rparams.size(),
                                         " type parameters, but receiver base type declares ",
                                         named->type_params.size()));
      for (size_t i = 0; i < rparams.size(); ++i) {
        if (rparams[i]->op != Op::kIdent)
          return Err(rparams[i]->pos, "receiver type parameter must be an identifier");
        Obj* tp = prog_->NewObj(ObjKind::kTypeName, rparams[i]->str, rparams[i]->pos);
        tp->type = named->type_params[i];
        scope_->Insert(tp);
      }
      std::string tname = named->name;
      if (!rparams.empty()) {
        tname += "[";
        for (size_t i = 0; i < rparams.size(); ++i) tname += (i ? "," : "") + rparams[i]->str;
        tname += "]";
      }
      f->name = ptr ? absl::StrCat("(*", tname, ").", d->str) : absl::StrCat(tname, ".", d->str);
      f->ptr_recv = ptr;
      absl::StatusOr<const Type*> sig = Signature(d->y, f, d->x);
      if (!sig.ok()) return sig.status();
      f->sig = *sig;
      for (const Method& m : named->methods)
        if (m.name == d->str && d->str != "_")
          return Err(d->pos,
                     absl::StrCat("method ", named->name, ".", d->str, " already declared"));
      if (Under(named)->kind == Kind::kStruct && d->str != "_")
        for (const Field& fl : Under(named)->fields)
          if (fl.name == d->str)
            return Err(d->pos, absl::StrCat("field and method with the same name ", d->str));
      if (d->str != "_") named->methods.push_back(Method{d->str, f->sig, ptr, f, d->pos});
      if (!named->type_params.empty()) CompleteInstances(named);
      return absl::OkStatus();
    }
    if (f->generic) {
      std::vector<Obj*> objs;
      absl::StatusOr<std::vector<const Type*>> tps = TypeParams(d->list, &objs);
      if (!tps.ok()) return tps.status();
      f->nname->type = nullptr;
    }
    absl::StatusOr<const Type*> sig = Signature(d->y, f, nullptr);
    if (!sig.ok()) return sig.status();
    f->sig = *sig;
    f->nname->type = f->sig;
    if ((d->str == "init" || d->str == "main") && scope == &pkg_scope_ &&
        (!f->sig->fields.empty() || !f->sig->results.empty()))
      return Err(d->pos,
                 absl::StrCat("func ", d->str, " must have no arguments and no return values"));
    return absl::OkStatus();
  });
}

// Builds the signature type and (for a declared function f) the parameter
// objects.
absl::StatusOr<const Type*> Checker::Signature(const Node* ft, Func* f, const Node* recv) {
  Type* t = prog_->types.New(Kind::kFunc);
  auto mkparam = [&](const Node* p, const Type* pt, VarClass cls) -> Obj* {
    if (f == nullptr) return nullptr;
    Obj* o = prog_->NewObj(ObjKind::kVar, p->str, p->pos);
    o->type = pt;
    o->cls = cls;
    o->curfn = f;
    o->used = true;
    f->dcl.push_back(o);
    return o;
  };
  if (recv != nullptr && f != nullptr) {
    absl::StatusOr<const Type*> rt = ResolveType(recv->x);
    if (!rt.ok()) return rt.status();
    f->recv = mkparam(recv, *rt, VarClass::kParam);
  }
  for (const Node* p : ft->list) {
    absl::StatusOr<const Type*> pt = ResolveType(p->x);
    if (!pt.ok()) return pt.status();
    const Type* ty = *pt;
    if (p->ddd) {
      ty = prog_->types.Slice(ty);
      t->variadic = true;
    }
    Field fl{p->str, ty};
    fl.pos = p->pos;
    fl.obj = mkparam(p, ty, VarClass::kParam);
    if (f != nullptr) f->params.push_back(fl.obj);
    t->fields.push_back(fl);
  }
  for (size_t i = 0; i < ft->list2.size(); ++i) {
    const Node* p = ft->list2[i];
    absl::StatusOr<const Type*> pt = ResolveType(p->x);
    if (!pt.ok()) return pt.status();
    Field fl{p->str, *pt};
    fl.pos = p->pos;
    if (f != nullptr) {
      Obj* o = mkparam(p, *pt, VarClass::kParamOut);
      if (o->name.empty() || o->name == "_") {
        o->name = absl::StrCat(o->name.empty() ? "~r" : "~b", i);
        o->pos = p->pos;
      }
      o->result_index = static_cast<int>(i) + 1;
      f->results.push_back(o);
      fl.obj = o;
    }
    t->results.push_back(fl);
  }
  return t;
}

// ---------------------------------------------------------------- consts

absl::Status Checker::DeclareConsts(Node* d, Scope* scope) {
  // Local constants: evaluated in place, in order.
  iota_ = static_cast<int>(d->int_val);
  absl::StatusOr<const Type*> t = static_cast<const Type*>(nullptr);
  if (d->x != nullptr) t = ResolveType(d->x);
  if (!t.ok()) return t.status();
  if (d->list2.size() < d->list.size())
    return Err(d->list[d->list2.size()]->pos, "missing init expr for const declaration");
  if (d->list2.size() > d->list.size())
    return Err(d->list2[d->list.size()]->pos, "extra init expr");
  Pos saved = base_pos_;
  std::vector<Obj*> objs;
  for (size_t i = 0; i < d->list.size(); ++i) {
    absl::StatusOr<Node*> v = Expr(d->list2[i]);
    if (!v.ok()) return v.status();
    if ((*v)->op != Op::kLiteral)
      return Err((*v)->pos,
                 absl::StrCat(ExprText(d->list2[i]), " (", Describe(*v), ") is not constant"));
    if (*t != nullptr) {
      v = ConvertConst(*v, *t, "constant declaration");
      if (!v.ok()) return v.status();
    }
    Obj* o = prog_->NewObj(ObjKind::kConst, d->list[i]->str, d->list[i]->pos);
    o->type = (*v)->type;
    o->val = (*v)->cval;
    objs.push_back(o);
  }
  base_pos_ = saved;
  iota_ = -1;
  for (Obj* o : objs)
    if (scope->Insert(o) != nullptr)
      return Err(o->pos, absl::StrCat(o->name, " redeclared in this block"));
  return absl::OkStatus();
}

absl::Status Checker::EvalConst(Obj* o) {
  auto it = state_.find(o);
  if (it == state_.end() || it->second == DeclState::kDone) return absl::OkStatus();
  if (it->second == DeclState::kFailed) return absl::OkStatus();
  Node* d = decl_of_[o];
  if (it->second == DeclState::kResolving)
    return Err(o->pos,
               absl::StrCat("initialization cycle or invalid recursive reference to ", o->name));
  it->second = DeclState::kResolving;
  int index = const_index_[o];
  Pos saved = base_pos_;
  absl::Status st = AtPackageLevel(decl_scope_[o], [&]() -> absl::Status {
    iota_ = static_cast<int>(d->int_val);
    const Type* t = nullptr;
    if (d->x != nullptr) {
      absl::StatusOr<const Type*> rt = ResolveType(d->x);
      if (!rt.ok()) return rt.status();
      t = *rt;
    }
    if (index >= static_cast<int>(d->list2.size()))
      return Err(o->pos, "missing init expr for const declaration");
    if (d->list2.size() > d->list.size() && index == 0 && !d->implicit)
      return Err(d->list2[d->list.size()]->pos, "extra init expr");
    absl::StatusOr<Node*> v = Expr(d->list2[index]);
    if (!v.ok()) return v.status();
    if ((*v)->op != Op::kLiteral)
      return Err((*v)->pos,
                 absl::StrCat(ExprText(d->list2[index]), " (", Describe(*v), ") is not constant"));
    if (t != nullptr) {
      v = ConvertConst(*v, t, "constant declaration");
      if (!v.ok()) return v.status();
    }
    o->type = (*v)->type;
    o->val = (*v)->cval;
    return absl::OkStatus();
  });
  base_pos_ = saved;
  state_[o] = st.ok() ? DeclState::kDone : DeclState::kFailed;
  if (!st.ok()) o->type = U().invalid;
  if (st.code() == absl::StatusCode::kUnimplemented) unsupported_decls_.insert(o);
  return st;
}

// ---------------------------------------------------------------- globals

absl::Status Checker::CheckGlobal(Obj* o) {
  auto it = state_.find(o);
  if (it == state_.end() || it->second == DeclState::kDone) return absl::OkStatus();
  if (it->second == DeclState::kFailed) return absl::OkStatus();
  Node* d = decl_of_[o];
  if (it->second == DeclState::kResolving)
    return Err(o->pos, absl::StrCat("initialization cycle: ", o->name, " refers to itself"));
  // All variables of the spec are checked together.
  std::vector<Obj*> objs;
  for (Node* id : d->list) {
    Obj* v = decl_scope_[o]->LookupLocal(id->str);
    objs.push_back(v != nullptr && decl_of_.count(v) && decl_of_[v] == d ? v : nullptr);
  }
  for (Obj* v : objs)
    if (v != nullptr) state_[v] = DeclState::kResolving;
  absl::Status st = AtPackageLevel(decl_scope_[o], [&]() { return GlobalInit(d); });
  for (Obj* v : objs) {
    if (v == nullptr) continue;
    state_[v] = st.ok() ? DeclState::kDone : DeclState::kFailed;
    if (!st.ok() || v->type == nullptr) v->type = U().invalid;
    if (st.code() == absl::StatusCode::kUnimplemented) unsupported_decls_.insert(v);
  }
  return st;
}

absl::Status Checker::GlobalInit(Node* d) {
  Pos pos = d->list[0]->pos;
  const Type* t = nullptr;
  std::vector<Node*> values;
  if (absl::Status st = VarSpec(d, &t, &values); !st.ok()) return st;
  std::vector<Obj*> objs;
  for (Node* id : d->list) {
    Obj* o = scope_->LookupLocal(id->str);
    if (o == nullptr || !decl_of_.count(o) || decl_of_[o] != d) {
      o = prog_->NewObj(ObjKind::kVar, id->str, id->pos);  // blank
      o->cls = VarClass::kExtern;
    }
    objs.push_back(o);
  }
  if (values.empty()) {
    if (t == nullptr) return Err(pos, "missing type or init expr");
    for (Obj* o : objs) o->type = t;
    return absl::OkStatus();
  }
  std::vector<const Type*> types;
  absl::Status st = ValueTypes(values, objs.size(), d->list[0], &types);
  if (!st.ok()) return st;
  if (values.size() == 1 && objs.size() > 1) {
    for (size_t i = 0; i < objs.size(); ++i) objs[i]->type = t != nullptr ? t : types[i];
    absl::StatusOr<Node*> as = MultiVarAssign(objs, values[0], t, types, pos);
    if (!as.ok()) return as.status();
    init_->body->list.push_back(*as);
    prog_->var_inits.push_back(*as);
    return absl::OkStatus();
  }
  for (size_t i = 0; i < objs.size(); ++i) {
    Node* v = values[i];
    if (t == nullptr && v->type->kind == Kind::kUntypedNil)
      return Err(v->pos, "use of untyped nil in variable declaration");
    const Type* vt = t != nullptr ? t : DefaultType(v->type);
    absl::StatusOr<Node*> cv = Assign(v, vt, "variable declaration");
    if (!cv.ok()) return cv.status();
    objs[i]->type = vt;
    if (objs[i]->name == "_" && !AnySideEffects(*cv)) continue;  // discarded
    const bool is_static = StaticAssign(*cv);
    Node* as = NewNode(Op::kAs, pos);
    as->x = objs[i]->name == "_" ? BlankNode(objs[i]->pos) : NameNode(objs[i], objs[i]->pos);
    as->y = *cv;
    prog_->var_inits.push_back(as);
    if (is_static) continue;
    objs[i]->defn = as;
    init_->body->list.push_back(as);
  }
  return absl::OkStatus();
}

// staticinit.AnySideEffects: whether evaluating n may have observable
// effects (calls, receives, panics of indexing, division, make...).
// Iterative: n may be deep.
bool Checker::AnySideEffects(const Node* n) {
  return AnyNode(n, [](const Node* c) {
    switch (c->op) {
      case Op::kName:
      case Op::kLiteral:
      case Op::kNil:
      case Op::kType:
      case Op::kFuncName:
      case Op::kAddStr:
      case Op::kAddr:
      case Op::kLogic:
      case Op::kBytes2Str:
      case Op::kRunes2Str:
      case Op::kStr2Bytes:
      case Op::kStr2Runes:
      case Op::kCap:
      case Op::kLen:
      case Op::kMapLit:
      case Op::kStructLit:
      case Op::kArrayLit:
      case Op::kSliceLit:
      case Op::kPtrLit:
      case Op::kConv:
      case Op::kConvIface:
      case Op::kDot:
      case Op::kKey:
      case Op::kStructKey:
      case Op::kNew:
      case Op::kUnaryOp:
      case Op::kRuneStr:
      case Op::kReal:
      case Op::kImag:
      case Op::kComplex:
      case Op::kEmpty:  // a closing brace kept for positions
        return 0;
      case Op::kArith:
        // Only a division by zero could panic.
        return (c->str == "/" || c->str == "%") &&
                       (c->y->op != Op::kLiteral || c->y->cval.Sign() == 0)
                   ? 1
                   : 0;
      case Op::kMakeChan:
      case Op::kMakeMap:
        return c->x != nullptr && (c->x->op != Op::kLiteral || c->x->cval.Sign() != 0) ? 1 : 0;
      default:
        return 1;
    }
  });
}

// go's staticinit (StaticAssign): whether the value of a package-level
// initializer can be laid out statically in data. Composite literals are
// decomposed: their constant parts are data, and each other part becomes a
// dynamic assignment into static storage in init (so the literal itself is
// no allocation site).
bool Checker::StaticAssign(Node* r) {
  while (r->op == Op::kConv && r->implicit) r = r->x;
  auto assign = [&](Node* v) {
    if (StaticAssign(v)) return;
    Obj* tmp = prog_->NewObj(ObjKind::kVar, absl::StrCat(".stmp_", prog_->objs.size()), v->pos);
    tmp->cls = VarClass::kExtern;
    tmp->type = v->type;
    Node* as = NewNode(Op::kAs, v->pos);
    as->x = NameNode(tmp, v->pos);
    as->y = v;
    init_->body->list.push_back(as);
  };
  switch (r->op) {
    case Op::kNil:
    case Op::kLiteral:
    case Op::kFuncName:
    case Op::kMethodExpr:
      return true;
    case Op::kName:
      return false;  // a copy of another global: a dynamic assignment
    case Op::kAddr: {
      const Node* v = r->x;
      while (v->op == Op::kDot || v->op == Op::kIndexArr) v = v->x;
      return v->op == Op::kName && v->obj != nullptr && v->obj->cls == VarClass::kExtern;
    }
    case Op::kPtrLit:
      assign(r->x);
      return true;
    case Op::kStr2Bytes:
      return r->x->op == Op::kLiteral;
    case Op::kSliceLit:
    case Op::kArrayLit:
    case Op::kStructLit:
      if (r->implicit) return false;
      for (Node* e : r->list) {
        Node* v = e->op == Op::kKey ? e->y : e->op == Op::kStructKey ? e->x : e;
        if (v->op == Op::kLiteral || v->op == Op::kNil) continue;
        assign(v);
      }
      return true;
    case Op::kClosure:
      return r->fn->closure_vars.empty();
    case Op::kConvIface: {
      Node* val = r;
      while (val->op == Op::kConvIface) val = val->x;
      if (IsInterface(val->type)) return val->op == Op::kNil;
      assign(val);
      return true;
    }
    default:
      return false;
  }
}

}  // namespace gclab::escape
