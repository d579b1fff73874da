// Type expressions (go's types2/typexpr.go): names, qualified names,
// pointers, arrays, slices, maps, channels, functions, structs, interfaces
// (also constraint type sets) and instantiations of generic types.
#include <algorithm>
#include <set>

#include "absl/strings/str_cat.h"
#include "escape/typecheck/checker.h"

namespace gclab::escape {

absl::StatusOr<const Type*> Checker::ResolveType(const Node* n) {
  if (n == nullptr) return Err(Pos{}, "missing type");
  if (StackExhausted()) return TooDeep(n->pos);
  switch (n->op) {
    case Op::kIdent: {
      Obj* o = scope_->Lookup(n->str);
      if (o == nullptr) return Err(n->pos, absl::StrCat("undefined: ", n->str));
      if (o->kind != ObjKind::kTypeName) return Err(n->pos, absl::StrCat(n->str, " is not a type"));
      if (o->type == nullptr || (o->type->kind == Kind::kNamed && o->type->underlying == nullptr &&
                                 state_.count(o) && state_[o] == DeclState::kPending)) {
        // An alias (or a type whose underlying type is needed) not yet
        // resolved.
        if (o->type == nullptr) {
          absl::Status st = ResolveTypeName(o);
          if (!st.ok()) return st;
        }
      }
      if (o->type == nullptr) return Err(n->pos, absl::StrCat("invalid recursive type ", n->str));
      if (!o->type->type_params.empty())
        return Err(n->pos,
                   absl::StrCat("cannot use generic type ", n->str, " without instantiation"));
      return o->type;
    }
    case Op::kSelector: {
      if (n->x->op == Op::kIdent) {
        Obj* p = scope_->Lookup(n->x->str);
        if (p != nullptr && p->kind == ObjKind::kPkg) return PackageType(p, n);
      }
      return Err(n->pos, absl::StrCat(ExprText(n), " is not a type"));
    }
    case Op::kParen:
      return ResolveType(n->x);
    case Op::kStar: {
      absl::StatusOr<const Type*> e = ResolveType(n->x);
      if (!e.ok()) return e.status();
      return prog_->types.Pointer(*e);
    }
    case Op::kSliceType: {
      absl::StatusOr<const Type*> e = ResolveType(n->y);
      if (!e.ok()) return e.status();
      return prog_->types.Slice(*e);
    }
    case Op::kArrayType: {
      if (n->x == nullptr)
        return Err(n->pos, "invalid use of [...] array (outside a composite literal)");
      absl::StatusOr<int64_t> len = ArrayLength(n->x);
      if (!len.ok()) return len.status();
      absl::StatusOr<const Type*> e = ResolveType(n->y);
      if (!e.ok()) return e.status();
      Type* t = prog_->types.New(Kind::kArray);
      t->len = *len;
      t->elem = *e;
      return t;
    }
    case Op::kMapType: {
      absl::StatusOr<const Type*> k = ResolveType(n->x);
      if (!k.ok()) return k.status();
      absl::StatusOr<const Type*> v = ResolveType(n->y);
      if (!v.ok()) return v.status();
      Type* t = prog_->types.New(Kind::kMap);
      t->key = *k;
      t->elem = *v;
      if (!Comparable(*k))
        return Err(n->x->pos, absl::StrCat("invalid map key type ", TypeString(*k)));
      return t;
    }
    case Op::kChanType:
      return ChanType(n);
    case Op::kFuncType:
      return Signature(n, nullptr, nullptr);
    case Op::kStructType:
      return StructType(n);
    case Op::kInterfaceType:
      return InterfaceType(n);
    case Op::kIndex: {
      // Instantiation of a generic type.
      const Node* base = n->x;
      Obj* o = nullptr;
      if (base->op == Op::kIdent) o = scope_->Lookup(base->str);
      if (o == nullptr || o->kind != ObjKind::kTypeName || o->type == nullptr ||
          o->type->type_params.empty())
        return Err(n->pos, absl::StrCat(ExprText(base), " is not a generic type"));
      std::vector<const Type*> args;
      for (const Node* a : n->list) {
        absl::StatusOr<const Type*> t = ResolveType(a);
        if (!t.ok()) return t.status();
        args.push_back(*t);
      }
      return InstantiateType(n, o->type, args);
    }
    case Op::kEllipsis:
      return Err(n->pos, "invalid use of ...");
    default:
      return Err(n->pos, absl::StrCat(ExprText(n), " is not a type"));
  }
}

absl::StatusOr<const Type*> Checker::ChanType(const Node* n) {
  absl::StatusOr<const Type*> e = ResolveType(n->y);
  if (!e.ok()) return e.status();
  Type* t = prog_->types.New(Kind::kChan);
  t->elem = *e;
  t->dir = static_cast<ChanDir>(n->int_val);
  return t;
}

absl::StatusOr<const Type*> Checker::StructType(const Node* n) {
  Type* t = prog_->types.New(Kind::kStruct);
  std::set<std::string> seen;
  for (const Node* f : n->list) {
    absl::StatusOr<const Type*> ft = ResolveType(f->x);
    if (!ft.ok()) return ft.status();
    Field fl;
    fl.type = *ft;
    fl.pos = f->pos;
    if (f->implicit) {
      fl.embedded = true;
      const Type* base = *ft;
      if (base->kind != Kind::kNamed && Under(base)->kind == Kind::kPointer)
        base = Under(base)->elem;
      if (base->kind == Kind::kNamed || base->kind == Kind::kTypeParam) {
        fl.name = base->name;
      } else if (!base->name.empty()) {
        fl.name = base->name;  // byte, rune
      } else if (base == U().any_t) {
        fl.name = "any";
      } else if (base->kind >= Kind::kBool && base->kind <= Kind::kUnsafePointer) {
        fl.name = TypeString(base);
        if (base->kind == Kind::kUnsafePointer) fl.name = "Pointer";
      } else {
        return Err(f->pos, "embedded field type must be a type name");
      }
      if (Under(base)->kind == Kind::kPointer && base->kind == Kind::kNamed)
        return Err(f->pos, "embedded field type cannot be a pointer");
    } else {
      fl.name = f->str;
    }
    if (fl.name != "_" && !seen.insert(fl.name).second)
      return Err(f->pos, absl::StrCat(fl.name, " redeclared"));
    t->fields.push_back(fl);
  }
  return t;
}

absl::StatusOr<const Type*> Checker::InterfaceType(const Node* n) {
  if (n->list.empty()) return U().empty_iface;
  Type* t = prog_->types.New(Kind::kInterface);
  auto add_method = [&](const Method& m, Pos pos) -> absl::Status {
    for (const Method& have : t->methods) {
      if (have.name != m.name) continue;
      if (Identical(have.sig, m.sig)) return absl::OkStatus();
      return Err(pos, absl::StrCat("duplicate method ", m.name));
    }
    t->methods.push_back(m);
    return absl::OkStatus();
  };
  for (const Node* m : n->list) {
    if (!m->str.empty()) {
      absl::StatusOr<const Type*> sig = Signature(m->x, nullptr, nullptr);
      if (!sig.ok()) return sig.status();
      if (absl::Status st = add_method(Method{m->str, *sig, false, nullptr, m->pos}, m->pos);
          !st.ok())
        return st;
      continue;
    }
    // An embedded interface, or a type set element (T, ~T, A | B).
    const Node* e = m->x;
    bool is_union = e->op == Op::kBinary || e->op == Op::kUnary;
    if (!is_union) {
      // A named interface must be complete before its methods are copied.
      const Node* id = e;
      while (id->op == Op::kParen) id = id->x;
      if (id->op == Op::kIdent) {
        Obj* o = scope_->Lookup(id->str);
        if (o != nullptr && o->kind == ObjKind::kTypeName && state_.count(o)) {
          absl::Status st = ResolveTypeName(o);
          if (!st.ok()) return st;
        }
      }
      absl::StatusOr<const Type*> et = ResolveType(e);
      if (!et.ok()) return et.status();
      const Type* u = Under(*et);
      if ((*et)->kind != Kind::kTypeParam && u->kind == Kind::kInterface) {
        for (const Method& em : u->methods)
          if (absl::Status st = add_method(em, m->pos); !st.ok()) return st;
        if (u->comparable) t->comparable = true;
        for (const TypeTerm& term : u->terms) t->terms.push_back(term);
        continue;
      }
    }
    // Union of terms.
    std::vector<const Node*> terms;
    std::vector<const Node*> stack{e};
    while (!stack.empty()) {
      const Node* x = stack.back();
      stack.pop_back();
      if (x->op == Op::kBinary && x->str == "|") {
        stack.push_back(x->y);
        stack.push_back(x->x);
      } else {
        terms.push_back(x);
      }
    }
    std::vector<TypeTerm> set;
    for (const Node* x : terms) {
      TypeTerm term;
      if (x->op == Op::kUnary && x->str == "~") {
        term.tilde = true;
        x = x->x;
      }
      absl::StatusOr<const Type*> tt = ResolveType(x);
      if (!tt.ok()) return tt.status();
      term.type = *tt;
      set.push_back(term);
    }
    if (t->terms.empty()) {
      t->terms = set;
    } else {
      // Intersection of two type sets (rare): keep the terms of both lists
      // that are identical.
      std::vector<TypeTerm> both;
      for (const TypeTerm& a : t->terms)
        for (const TypeTerm& b : set)
          if (Identical(Under(a.type), Under(b.type))) both.push_back(a.tilde ? b : a);
      t->terms = both;
    }
  }
  std::sort(t->methods.begin(), t->methods.end(),
            [](const Method& a, const Method& b) { return a.name < b.name; });
  return t;
}

absl::StatusOr<int64_t> Checker::ArrayLength(const Node* n) {
  absl::StatusOr<Node*> v = Expr(n);
  if (!v.ok()) return v.status();
  Node* len = *v;
  if (len->op != Op::kLiteral)
    return Err(n->pos, absl::StrCat("array length ", ExprText(n), " (", Describe(len),
                                    ") must be constant"));
  if (!IsInteger(len->type) && !(IsUntyped(len->type) && len->cval.ToInt().known()))
    return Err(n->pos, absl::StrCat("array length ", ExprText(n), " (", Describe(len),
                                    ") must be integer"));
  std::optional<int64_t> l = len->cval.ToInt().Int64();
  if (!l.has_value() || *l < 0) {
    if (l.has_value() || len->cval.Sign() < 0)
      return Err(n->pos, absl::StrCat("invalid array length ", ExprText(n)));
    return Err(n->pos, absl::StrCat("array length ", ExprText(n), " too large"));
  }
  return *l;
}

}  // namespace gclab::escape
