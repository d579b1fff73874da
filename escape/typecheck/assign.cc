// Assignments and local declarations (go's typecheck/stmt.go assign parts,
// noder/stmt.go and noder/decl.go varDecl): irgen translates the right-hand
// side before the left-hand side, which decides where the implicit
// conversions of the assignment are positioned.
#include "absl/strings/str_cat.h"
#include "escape/typecheck/checker.h"

namespace gclab::escape {

// The blank identifier as an assignment target.
static bool IsBlank(const Node* n) { return n->op == Op::kName && n->obj == nullptr; }

Op Checker::MultiAssignOp(const Node* v) {
  switch (v->op) {
    case Op::kDotType2:
      return Op::kAs2DotType;
    case Op::kIndexMap:
      return Op::kAs2MapR;
    case Op::kRecv:
      return Op::kAs2Recv;
    default:
      return Op::kAs2Func;
  }
}

absl::Status Checker::ValueTypes(const std::vector<Node*>& values, size_t n, const Node* at,
                                 std::vector<const Type*>* out) {
  auto plural = [](size_t k, const char* what) {
    return absl::StrCat(k, " ", what, k == 1 ? "" : "s");
  };
  if (values.size() == 1 && n > 1) {
    const Type* tt = values[0]->type;
    if (tt == nullptr || tt->kind != Kind::kTuple || tt->fields.size() != n) {
      std::string have = tt != nullptr && tt->kind == Kind::kTuple
                             ? absl::StrCat(values[0]->str.empty() ? "call" : values[0]->str,
                                            " returns ", plural(tt->fields.size(), "value"))
                             : "1 value";
      return Err(at->pos,
                 absl::StrCat("assignment mismatch: ", plural(n, "variable"), " but ", have));
    }
    for (const Field& f : tt->fields) out->push_back(f.type);
    return absl::OkStatus();
  }
  if (values.size() != n)
    return Err(at->pos, absl::StrCat("assignment mismatch: ", plural(n, "variable"), " but ",
                                     plural(values.size(), "value")));
  for (Node* v : values) {
    if (absl::Status st = SingleValue(v); !st.ok()) return st;
    out->push_back(v->type);
  }
  return absl::OkStatus();
}

absl::Status Checker::CheckAssignable(const Node* x, const Node* src) {
  switch (x->op) {
    case Op::kName:
      if (x->obj == nullptr && x->str == "_") return absl::OkStatus();
      if (x->obj == nullptr || x->obj->kind != ObjKind::kVar)
        return Err(src->pos, absl::StrCat("cannot assign to ", ExprText(src),
                                          " (neither addressable nor a map index expression)"));
      return absl::OkStatus();
    case Op::kDeref:
    case Op::kDotPtr:
    case Op::kIndexSlice:
    case Op::kIndexMap:
      return absl::OkStatus();
    case Op::kDot:
    case Op::kIndexArr:
      if (x->x->op == Op::kIndexMap)
        return Err(src->pos,
                   absl::StrCat("cannot assign to struct field ", ExprText(src), " in map"));
      return CheckAssignable(x->x, src);
    default:
      return Err(src->pos, absl::StrCat("cannot assign to ", ExprText(src),
                                        " (neither addressable nor a map index expression)"));
  }
}

absl::Status Checker::AssignStmt(const Node* s, std::vector<Node*>* out) {
  if (s->str == ":=") return Define(s, out);
  if (s->str != "=") return OpAssign(s, out);
  absl::StatusOr<std::vector<Node*>> rhs = Values(s->list2, s->list.size());
  if (!rhs.ok()) return rhs.status();
  std::vector<Node*> vals = *std::move(rhs);
  std::vector<Node*> lhs;
  for (const Node* l : s->list) {
    if (l->op == Op::kIdent && l->str == "_") {
      lhs.push_back(BlankNode(l->pos));
      continue;
    }
    absl::StatusOr<Node*> x = Expr(l, ExprMode{.lhs = true});
    if (!x.ok()) return x.status();
    if (absl::Status st = CheckAssignable(*x, l); !st.ok()) return st;
    lhs.push_back(*x);
  }
  std::vector<const Type*> types;
  if (absl::Status st = ValueTypes(vals, lhs.size(), s->list[0], &types); !st.ok()) return st;
  if (vals.size() == 1 && lhs.size() > 1) {
    Node* as = NewNode(MultiAssignOp(vals[0]), s->pos);
    as->list = lhs;
    as->x = vals[0];
    bool mismatched = false;
    for (size_t i = 0; i < lhs.size(); ++i) {
      if (IsBlank(lhs[i])) continue;
      const Type* vt = types[i];
      if (Identical(lhs[i]->type, vt)) continue;
      if (IsUntyped(vt) && IsBoolean(lhs[i]->type)) continue;  // ok of comma-ok
      if (!(IsInterface(lhs[i]->type) && Implements(vt, lhs[i]->type)) &&
          !(Identical(Under(lhs[i]->type), Under(vt)) &&
            (lhs[i]->type->kind != Kind::kNamed || vt->kind != Kind::kNamed)))
        return Err(s->pos, absl::StrCat("cannot use ", TypeString(vt), " value in assignment"));
      mismatched = true;
    }
    if (mismatched && as->op == Op::kAs2Func) {
      std::vector<const Type*> targets;
      for (size_t i = 0; i < lhs.size(); ++i)
        targets.push_back(!IsBlank(lhs[i]) ? lhs[i]->type : types[i]);
      absl::StatusOr<Node*> as2 = ConvertResults(as, targets, "assignment");
      if (!as2.ok()) return as2.status();
      as = *as2;
    }
    out->push_back(as);
    return absl::OkStatus();
  }
  for (size_t i = 0; i < vals.size(); ++i) {
    if (IsBlank(lhs[i])) {  // the value gets its default type
      if (vals[i]->type->kind == Kind::kUntypedNil)
        return Err(vals[i]->pos, "use of untyped nil in assignment");
      absl::StatusOr<Node*> d = DefaultConst(vals[i], "assignment");
      if (!d.ok()) return d.status();
      vals[i] = *d;
      lhs[i]->type = vals[i]->type;
      continue;
    }
    absl::StatusOr<Node*> cv = Assign(vals[i], lhs[i]->type, "assignment");
    if (!cv.ok()) return cv.status();
    vals[i] = *cv;
  }
  if (lhs.size() == 1) {
    Node* as = NewNode(Op::kAs, s->pos);
    as->x = lhs[0];
    as->y = vals[0];
    out->push_back(as);
  } else {
    Node* as = NewNode(Op::kAs2, s->pos);
    as->list = lhs;
    as->list2 = vals;
    out->push_back(as);
  }
  return absl::OkStatus();
}

absl::Status Checker::OpAssign(const Node* s, std::vector<Node*>* out) {
  if (s->list.size() != 1 || s->list2.size() != 1)
    return Err(s->pos, absl::StrCat("assignment operation ", s->str,
                                    " requires single-valued expressions"));
  // Eval rhs before lhs, like irgen.
  absl::StatusOr<Node*> y = Expr(s->list2[0]);
  if (!y.ok()) return y.status();
  absl::StatusOr<Node*> x = Expr(s->list[0], ExprMode{.lhs = true});
  if (!x.ok()) return x.status();
  if (absl::Status st = CheckAssignable(*x, s->list[0]); !st.ok()) return st;
  if ((*x)->op == Op::kName && (*x)->obj != nullptr) (*x)->obj->used = true;
  std::string op = s->str.substr(0, s->str.size() - 1);
  // Type-check as the binary operation x op y would be.
  Node bin;
  bin.op = Op::kBinary;
  bin.pos = s->pos;
  bin.str = op;
  bin.x = const_cast<Node*>(s->list[0]);
  bin.y = const_cast<Node*>(s->list2[0]);
  Node* rhs = *y;
  if (op == "<<" || op == ">>") {
    absl::StatusOr<Node*> r = Shift(&bin, *x, *y);
    if (!r.ok()) return r.status();
    if (IsUntyped((*y)->type)) {
      absl::StatusOr<Node*> c = ConvertConst(*y, U().uint_t, "shift count");
      if (!c.ok()) return c.status();
      rhs = *c;
    }
  } else {
    Pos saved = base_pos_;
    absl::StatusOr<Node*> r = Assign(*y, (*x)->type, "assignment");
    base_pos_ = saved;
    if (!r.ok()) return r.status();
    rhs = *r;
    bool ok = false;
    const Type* t = (*x)->type;
    if (op == "+")
      ok = IsNumeric(t) || IsString(t);
    else if (op == "-" || op == "*" || op == "/")
      ok = IsNumeric(t);
    else
      ok = IsInteger(t);
    if (!ok)
      return Err(s->pos, absl::StrCat("invalid operation: operator ", op, " not defined on ",
                                      ExprText(s->list[0]), " (", Describe(*x), ")"));
    if ((op == "/" || op == "%") && rhs->op == Op::kLiteral && rhs->cval.IsZero() && IsInteger(t))
      return Err(s->list2[0]->pos, "invalid operation: division by zero");
  }
  Node* as = NewNode(Op::kAsOp, s->pos);
  as->str = op;
  as->x = *x;
  as->y = rhs;
  out->push_back(as);
  return absl::OkStatus();
}

absl::Status Checker::Define(const Node* s, std::vector<Node*>* out) {
  absl::StatusOr<std::vector<Node*>> rhs = Values(s->list2, s->list.size());
  if (!rhs.ok()) return rhs.status();
  std::vector<Node*> vals = *std::move(rhs);
  std::vector<const Type*> types;
  if (absl::Status st = ValueTypes(vals, s->list.size(), s->list[0], &types); !st.ok()) return st;
  bool multi = vals.size() == 1 && s->list.size() > 1;
  std::vector<Node*> lhs;
  std::vector<Obj*> fresh;
  std::vector<Node*> init;
  bool any_new = false;
  for (size_t i = 0; i < s->list.size(); ++i) {
    const Node* id = s->list[i];
    if (id->op != Op::kIdent)
      return Err(id->pos, absl::StrCat("non-name ", ExprText(id), " on left side of :="));
    if (id->str == "_") {
      lhs.push_back(BlankNode(id->pos));
      continue;
    }
    for (Obj* f : fresh)
      if (f->name == id->str)
        return Err(id->pos, absl::StrCat(id->str, " repeated on left side of :="));
    Obj* existing = scope_->LookupLocal(id->str);
    if (existing != nullptr && existing->kind == ObjKind::kVar) {
      existing->used = existing->used;  // an assignment is not a use
      lhs.push_back(NameNode(existing, id->pos));
      continue;
    }
    const Type* t = types[i];
    if (t->kind == Kind::kUntypedNil) return Err(id->pos, "use of untyped nil in assignment");
    if (t->kind == Kind::kTuple || (multi && IsUntyped(t) && t->kind != Kind::kUntypedBool))
      return Err(id->pos, "invalid use of multi-value expression");
    any_new = true;
    Obj* o = NewLocal(id->str, id->pos, DefaultType(t));
    fresh.push_back(o);
    Node* d = NewNode(Op::kDcl, o->pos);
    d->obj = o;
    init.push_back(d);
    lhs.push_back(NameNode(o, id->pos));
  }
  if (!any_new) return Err(s->pos, "no new variables on left side of :=");
  Node* as;
  if (multi) {
    as = NewNode(MultiAssignOp(vals[0]), s->pos);
    as->list = lhs;
    as->x = vals[0];
    for (size_t i = 0; i < lhs.size(); ++i) {
      if (IsBlank(lhs[i]) || !Identical(lhs[i]->type, DefaultType(types[i]))) {
        if (!IsBlank(lhs[i]) && !IsInterface(lhs[i]->type) &&
            !(IsUntyped(types[i]) && IsBoolean(lhs[i]->type)))
          return Err(s->pos,
                     absl::StrCat("cannot use ", TypeString(types[i]), " value in assignment"));
      }
    }
  } else if (lhs.size() == 1) {
    as = NewNode(Op::kAs, s->pos);
    as->x = lhs[0];
    absl::StatusOr<Node*> cv = !IsBlank(lhs[0]) ? Assign(vals[0], lhs[0]->type, "assignment")
                                                : DefaultConst(vals[0], "assignment");
    if (!cv.ok()) return cv.status();
    as->y = *cv;
  } else {
    as = NewNode(Op::kAs2, s->pos);
    as->list = lhs;
    for (size_t i = 0; i < vals.size(); ++i) {
      absl::StatusOr<Node*> cv = !IsBlank(lhs[i]) ? Assign(vals[i], lhs[i]->type, "assignment")
                                                  : DefaultConst(vals[i], "assignment");
      if (!cv.ok()) return cv.status();
      as->list2.push_back(*cv);
    }
  }
  as->def = true;
  as->init = init;
  for (Obj* o : fresh) {
    o->defn = as;
    scope_->Insert(o);
  }
  out->push_back(as);
  return absl::OkStatus();
}

absl::StatusOr<std::vector<Node*>> Checker::Values(const std::vector<Node*>& exprs, size_t nlhs) {
  bool comma_ok = nlhs == 2 && exprs.size() == 1;
  std::vector<Node*> vals;
  for (const Node* e : exprs) {
    absl::StatusOr<Node*> v = Expr(e, ExprMode{.comma_ok = comma_ok});
    if (!v.ok()) return v.status();
    vals.push_back(*v);
  }
  return vals;
}

absl::Status Checker::VarSpec(const Node* d, const Type** t, std::vector<Node*>* values) {
  base_pos_ = d->list[0]->pos;  // irgen's varDecl
  *t = nullptr;
  if (d->x != nullptr) {
    absl::StatusOr<const Type*> rt = ResolveType(d->x);
    if (!rt.ok()) return rt.status();
    *t = *rt;
  }
  absl::StatusOr<std::vector<Node*>> v = Values(d->list2, d->list.size());
  if (!v.ok()) return v.status();
  *values = *std::move(v);
  return absl::OkStatus();
}

absl::StatusOr<Node*> Checker::ConvertResults(Node* as, const std::vector<const Type*>& targets,
                                              absl::string_view context) {
  // RewriteMultiValueCall: t1, t2 := f(); x, y = T1(t1), T2(t2).
  Node* as2 = NewNode(Op::kAs2, as->pos);
  std::vector<Node*> tmps;
  as2->init.push_back(MultiValueTemps(as->x, &tmps));
  for (size_t i = 0; i < as->list.size(); ++i) {
    absl::StatusOr<Node*> cv = Assign(tmps[i], targets[i], context);
    if (!cv.ok()) return cv.status();
    as2->list2.push_back(*cv);
  }
  as2->list = as->list;
  as2->def = as->def;
  return as2;
}

absl::StatusOr<Node*> Checker::MultiVarAssign(const std::vector<Obj*>& objs, Node* value,
                                              const Type* t,
                                              const std::vector<const Type*>& value_types,
                                              Pos pos) {
  Node* as = NewNode(MultiAssignOp(value), pos);
  for (Obj* o : objs) as->list.push_back(o->name == "_" ? BlankNode(o->pos) : NameNode(o, o->pos));
  as->x = value;
  // With a declared type, results of another type are converted.
  bool mismatched = false;
  for (const Type* vt : value_types) mismatched |= t != nullptr && !Identical(t, vt);
  if (mismatched && as->op == Op::kAs2Func) {
    absl::StatusOr<Node*> as2 =
        ConvertResults(as, std::vector<const Type*>(objs.size(), t), "variable declaration");
    if (!as2.ok()) return as2.status();
    as = *as2;
  }
  for (Obj* o : objs) o->defn = as;
  return as;
}

absl::Status Checker::LocalVarDecl(const Node* d, std::vector<Node*>* out) {
  Pos pos = d->list[0]->pos;
  const Type* t = nullptr;
  std::vector<Node*> values;
  if (absl::Status st = VarSpec(d, &t, &values); !st.ok()) return st;
  std::vector<const Type*> types(d->list.size(), t);
  std::vector<const Type*> types_of_values;
  if (!values.empty()) {
    std::vector<const Type*> vt;
    if (absl::Status st = ValueTypes(values, d->list.size(), d->list[0], &vt); !st.ok()) return st;
    types_of_values = vt;
    for (size_t i = 0; i < types.size(); ++i) {
      if (types[i] != nullptr) continue;
      if (vt[i]->kind == Kind::kUntypedNil)
        return Err(values.size() == 1 ? values[0]->pos : values[i]->pos,
                   "use of untyped nil in variable declaration");
      types[i] = DefaultType(vt[i]);
    }
  } else if (t == nullptr) {
    return Err(pos, "missing type or init expr");
  }
  std::vector<Obj*> objs;
  for (size_t i = 0; i < d->list.size(); ++i)
    objs.push_back(NewLocal(d->list[i]->str, d->list[i]->pos, types[i]));
  if (values.size() == 1 && objs.size() > 1) {
    for (Obj* o : objs) {
      if (o->name == "_") continue;
      Node* dcl = NewNode(Op::kDcl, pos);
      dcl->obj = o;
      out->push_back(dcl);
    }
    absl::StatusOr<Node*> as = MultiVarAssign(objs, values[0], t, types_of_values, pos);
    if (!as.ok()) return as.status();
    out->push_back(*as);
  } else {
    for (size_t i = 0; i < objs.size(); ++i) {
      Obj* o = objs[i];
      if (o->name != "_") {
        Node* dcl = NewNode(Op::kDcl, pos);
        dcl->obj = o;
        out->push_back(dcl);
      }
      Node* as = NewNode(Op::kAs, pos);
      as->x = o->name == "_" ? BlankNode(o->pos) : NameNode(o, o->pos);
      if (!values.empty()) {
        absl::StatusOr<Node*> cv = Assign(values[i], o->type, "variable declaration");
        if (!cv.ok()) return cv.status();
        as->y = *cv;
        o->defn = as;
      }
      out->push_back(as);
    }
  }
  for (Obj* o : objs)
    if (scope_->Insert(o) != nullptr)
      return Err(o->pos, absl::StrCat(o->name, " redeclared in this block"));
  return absl::OkStatus();
}

absl::Status Checker::LocalTypeDecl(Node* d) {
  if (!d->list.empty()) return Err(d->pos, "generic type cannot be declared inside a function");
  Obj* o = DeclareTypeName(d, scope_);
  decl_of_[o] = d;
  state_[o] = DeclState::kPending;
  decl_scope_[o] = scope_;
  decl_pkg_[o] = nullptr;
  if (scope_->Insert(o) != nullptr)
    return Err(o->pos, absl::StrCat(o->name, " redeclared in this block"));
  // Resolved in place (in the function's scope, not the package's).
  Func* saved_fn = fn_;
  FuncState* saved_fs = fs_;
  absl::Status st = ResolveTypeName(o);
  fn_ = saved_fn;
  fs_ = saved_fs;
  return st;
}

}  // namespace gclab::escape
