// Statements (go's typecheck/stmt.go, noder/stmt.go).
#include "absl/strings/str_cat.h"
#include "escape/typecheck/checker.h"

namespace gclab::escape {

absl::Status Checker::Block(const Node* b, std::vector<Node*>* out) {
  ScopeGuard guard(&scope_, &bindings_);
  Node* blk = NewNode(Op::kBlockStmt, b->pos);
  absl::Status st = Stmts(b->list, &blk->list);
  if (!st.ok()) return st;
  st = CheckUnused(scope_);
  if (!st.ok()) return st;
  out->push_back(blk);
  return absl::OkStatus();
}

absl::Status Checker::Stmts(const std::vector<Node*>& l, std::vector<Node*>* out) {
  for (const Node* s : l) {
    absl::Status st = Stmt(s, out);
    if (!st.ok()) return st;
  }
  return absl::OkStatus();
}

absl::Status Checker::Stmt(const Node* s, std::vector<Node*>* out) {
  if (StackExhausted()) return TooDeep(s->pos);
  if (stencil_ && s->op != Op::kBlock && s->op != Op::kEmpty) base_pos_ = s->pos;
  switch (s->op) {
    case Op::kEmpty:
      return absl::OkStatus();
    case Op::kBlock:
      if (s->implicit) return Stmts(s->list, out);  // declaration group
      return Block(s, out);
    case Op::kVarDecl:
      return LocalVarDecl(s, out);
    case Op::kConstDecl:
      return DeclareConsts(const_cast<Node*>(s), scope_);
    case Op::kTypeDecl:
      return LocalTypeDecl(const_cast<Node*>(s));
    case Op::kExprStmt:
      return ExprStmt(s, out);
    case Op::kIncDec:
      return IncDec(s, out);
    case Op::kAssign:
      return AssignStmt(s, out);
    case Op::kSend:
      return SendStmt(s, out);
    case Op::kIf:
      return If(s, out);
    case Op::kFor:
      return For(s, out);
    case Op::kRange:
      return Range(s, out);
    case Op::kSwitch:
      return Switch(s, out);
    case Op::kTypeSwitch:
      return TypeSwitch(s, out);
    case Op::kSelect:
      return Select(s, out);
    case Op::kReturn:
      return Return(s, out);
    case Op::kGo:
    case Op::kDefer:
      return GoDefer(s, out);
    case Op::kLabeled:
      return Labeled(s, out);
    case Op::kBranch:
      return Branch(s, out);
    default:
      return Err(s->pos, "unexpected statement");
  }
}

// Calls that may stand as statements (and in go/defer statements).
static bool IsStatementCall(Op op) {
  switch (op) {
    case Op::kCallFunc:
    case Op::kCallInter:
    case Op::kCallMeth:
    case Op::kCopy:
    case Op::kDelete:
    case Op::kPanic:
    case Op::kPrint:
    case Op::kPrintln:
    case Op::kRecover:
    case Op::kClose:
      return true;
    default:
      return false;
  }
}

absl::Status Checker::ExprStmt(const Node* s, std::vector<Node*>* out) {
  absl::StatusOr<Node*> x = Expr(s->x, ExprMode{.stmt = true});
  if (!x.ok()) return x.status();
  if (!IsStatementCall((*x)->op) && (*x)->op != Op::kRecv) {
    if ((*x)->op == Op::kType)
      return Err(s->x->pos, absl::StrCat(ExprText(s->x), " (type) is not an expression"));
    return Err(s->x->pos, absl::StrCat(ExprText(s->x), " (", Describe(*x), ") is not used"));
  }
  Node* st = NewNode(Op::kCallStmt, (*x)->pos);
  st->x = *x;
  out->push_back(st);
  return absl::OkStatus();
}

absl::Status Checker::IncDec(const Node* s, std::vector<Node*>* out) {
  absl::StatusOr<Node*> x = Expr(s->x, ExprMode{});
  if (!x.ok()) return x.status();
  if (absl::Status st = CheckAssignable(*x, s->x); !st.ok()) return st;
  if (!IsNumeric((*x)->type))
    return Err(s->pos, absl::StrCat("invalid operation: ", ExprText(s->x), s->str,
                                    " (non-numeric type ", TypeString((*x)->type), ")"));
  Node* as = NewNode(Op::kAsOp, s->pos);
  as->str = s->str == "++" ? "+" : "-";
  as->x = *x;
  Node* one = NewNode(Op::kLiteral, s->pos);
  one->str = "1";
  one->cval = Constant::Int(1);
  one->type = (*x)->type;
  one->int_val = 8;
  as->y = one;
  out->push_back(as);
  return absl::OkStatus();
}

absl::Status Checker::SendStmt(const Node* s, std::vector<Node*>* out) {
  absl::StatusOr<Node*> c = Expr(s->x);
  if (!c.ok()) return c.status();
  absl::StatusOr<Node*> v = Expr(s->y);
  if (!v.ok()) return v.status();
  if (absl::Status st = SingleValue(*c); !st.ok()) return st;
  const Type* ct = CoreType((*c)->type);
  if (ct == nullptr || ct->kind != Kind::kChan)
    return Err(s->pos, absl::StrCat("invalid operation: cannot send to non-channel ",
                                    ExprText(s->x), " (", Describe(*c), ")"));
  if (ct->dir == ChanDir::kRecv)
    return Err(s->pos, absl::StrCat("invalid operation: cannot send to receive-only channel ",
                                    ExprText(s->x), " (", Describe(*c), ")"));
  absl::StatusOr<Node*> cv = Assign(*v, ct->elem, "send");
  if (!cv.ok()) return cv.status();
  Node* n = NewNode(Op::kSendStmt, s->pos);
  n->x = *c;
  n->y = *cv;
  out->push_back(n);
  return absl::OkStatus();
}

absl::Status Checker::If(const Node* s, std::vector<Node*>* out) {
  if (StackExhausted()) return TooDeep(s->pos);
  ScopeGuard guard(&scope_, &bindings_);
  Node* n = NewNode(Op::kIfStmt, s->pos);
  for (const Node* i : s->init)
    if (absl::Status st = Stmt(i, &n->init); !st.ok()) return st;
  absl::StatusOr<Node*> c = Expr(s->x);
  if (!c.ok()) return c.status();
  if (absl::Status st = SingleValue(*c); !st.ok()) return st;
  if (!IsBoolean((*c)->type))
    return Err(s->x->pos, absl::StrCat("non-boolean condition in if statement"));
  n->x = *c;
  std::vector<Node*> then;
  if (absl::Status st = Block(s->y, &then); !st.ok()) return st;
  n->y = then[0];
  if (s->z != nullptr) {
    Node* eb = NewNode(Op::kBlockStmt, s->z->pos);
    if (absl::Status st = Stmt(s->z, &eb->list); !st.ok()) return st;
    n->z = eb;
  }
  if (absl::Status st = CheckUnused(scope_); !st.ok()) return st;
  out->push_back(n);
  return absl::OkStatus();
}

// The body of a for or range statement n, then n itself (its scope is the
// current one).
absl::Status Checker::LoopBody(const Node* body, Node* n, std::vector<Node*>* out) {
  ++fs_->loops;
  std::vector<Node*> blk;
  absl::Status st = Block(body, &blk);
  --fs_->loops;
  if (!st.ok()) return st;
  n->w = blk[0];
  if (absl::Status un = CheckUnused(scope_); !un.ok()) return un;
  out->push_back(n);
  return absl::OkStatus();
}

absl::Status Checker::For(const Node* s, std::vector<Node*>* out) {
  ScopeGuard guard(&scope_, &bindings_);
  Node* n = NewNode(Op::kForStmt, s->pos);
  if (s->x != nullptr)
    if (absl::Status st = Stmt(s->x, &n->init); !st.ok()) return st;
  if (s->y != nullptr) {
    absl::StatusOr<Node*> c = Expr(s->y);
    if (!c.ok()) return c.status();
    if (absl::Status st = SingleValue(*c); !st.ok()) return st;
    if (!IsBoolean((*c)->type)) return Err(s->y->pos, "non-boolean condition in for statement");
    n->x = *c;
  }
  if (s->z != nullptr) {
    if (s->z->op == Op::kAssign && s->z->str == ":=")
      return Err(s->z->pos, "cannot declare in post statement of for loop");
    std::vector<Node*> post;
    if (absl::Status st = Stmt(s->z, &post); !st.ok()) return st;
    n->y = post.empty() ? nullptr : post[0];
  }
  return LoopBody(s->w, n, out);
}

absl::Status Checker::Range(const Node* s, std::vector<Node*>* out) {
  ScopeGuard guard(&scope_, &bindings_);
  Node* n = NewNode(Op::kRangeStmt, s->pos);
  // irgen: the assigned (not declared) variables are translated first.
  std::vector<Node*> lhs(2, nullptr);
  if (!s->def) {
    for (size_t i = 0; i < s->list.size(); ++i) {
      const Node* l = s->list[i];
      if (l->op == Op::kIdent && l->str == "_") continue;
      absl::StatusOr<Node*> x = Expr(l, ExprMode{.lhs = true});
      if (!x.ok()) return x.status();
      if (absl::Status st = CheckAssignable(*x, l); !st.ok()) return st;
      lhs[i] = *x;
    }
  }
  absl::StatusOr<Node*> xr = Expr(s->x);
  if (!xr.ok()) return xr.status();
  Node* x = *xr;
  if (absl::Status st = SingleValue(x); !st.ok()) return st;
  const Type* t = CoreType(x->type);
  const Type *kt = nullptr, *vt = nullptr;
  if (t == nullptr) {
    return Err(s->x->pos,
               absl::StrCat("cannot range over ", ExprText(s->x), " (", Describe(x), ")"));
  } else if (t->kind == Kind::kPointer && Under(t->elem)->kind == Kind::kArray) {
    kt = U().int_t;
    vt = Under(t->elem)->elem;
  } else if (t->kind == Kind::kSlice || t->kind == Kind::kArray) {
    kt = U().int_t;
    vt = t->elem;
  } else if (t->kind == Kind::kString || t->kind == Kind::kUntypedString) {
    kt = U().int_t;
    vt = U().rune_t;
    if (IsUntyped(x->type)) {
      absl::StatusOr<Node*> c = ConvertConst(x, U().string_t, "range");
      if (!c.ok()) return c.status();
      x = *c;
    }
  } else if (t->kind == Kind::kMap) {
    kt = t->key;
    vt = t->elem;
  } else if (t->kind == Kind::kChan) {
    if (t->dir == ChanDir::kSend)
      return Err(s->x->pos, absl::StrCat("invalid operation: range ", ExprText(s->x),
                                         " receive from send-only channel"));
    kt = t->elem;
    if (s->list.size() > 1)
      return Err(s->list[1]->pos, absl::StrCat("range over ", ExprText(s->x),
                                               " permits only one iteration variable"));
  } else {
    return Err(s->x->pos,
               absl::StrCat("cannot range over ", ExprText(s->x), " (", Describe(x), ")"));
  }
  n->x = x;
  std::vector<Obj*> fresh;
  for (size_t i = 0; i < 2; ++i) {
    const Node* l = i < s->list.size() ? s->list[i] : nullptr;
    const Type* et = i == 0 ? kt : vt;
    if (l == nullptr || (l->op == Op::kIdent && l->str == "_")) {
      n->list.push_back(nullptr);
      continue;
    }
    if (s->def) {
      if (l->op != Op::kIdent)
        return Err(l->pos, absl::StrCat("non-name ", ExprText(l), " on left side of :="));
      Obj* o = NewLocal(l->str, l->pos, et);
      o->defn = n;
      fresh.push_back(o);
      n->list.push_back(NameNode(o, l->pos));
    } else {
      if (et != nullptr && !IsInvalid(et) && lhs[i] != nullptr && !Identical(lhs[i]->type, et) &&
          !IsInterface(lhs[i]->type))
        return Err(l->pos, absl::StrCat("cannot assign ", TypeString(et), " to ", ExprText(l), " (",
                                        Describe(lhs[i]), ") in range"));
      n->list.push_back(lhs[i]);
    }
  }
  for (Obj* o : fresh)
    if (scope_->Insert(o) != nullptr)
      return Err(o->pos, absl::StrCat(o->name, " redeclared in this block"));
  return LoopBody(s->w, n, out);
}

absl::Status Checker::Switch(const Node* s, std::vector<Node*>* out) {
  ScopeGuard guard(&scope_, &bindings_);
  Node* n = NewNode(Op::kSwitchStmt, s->pos);
  for (const Node* i : s->init)
    if (absl::Status st = Stmt(i, &n->init); !st.ok()) return st;
  const Type* tagt = U().bool_t;
  if (s->y != nullptr) {
    absl::StatusOr<Node*> tag = Expr(s->y);
    if (!tag.ok()) return tag.status();
    if (absl::Status st = SingleValue(*tag); !st.ok()) return st;
    if (IsUntyped((*tag)->type)) {
      if ((*tag)->type->kind == Kind::kUntypedNil)
        return Err(s->y->pos, "use of untyped nil in switch expression");
      tag = DefaultConst(*tag, "switch expression");
      if (!tag.ok()) return tag.status();
    }
    n->x = *tag;
    tagt = (*tag)->type;
  }
  ++fs_->switches;
  for (size_t ci = 0; ci < s->list.size(); ++ci) {
    const Node* c = s->list[ci];
    Node* cc = NewNode(Op::kCaseClause, c->pos);
    cc->is_default = c->is_default;
    for (const Node* e : c->list) {
      absl::StatusOr<Node*> v = Expr(e);
      if (!v.ok()) return v.status();
      if (absl::Status st = SingleValue(*v); !st.ok()) return st;
      if (s->y == nullptr) {
        // Compared with true: a bool, or an interface a bool can be in.
        if (!IsBoolean((*v)->type) &&
            !(IsInterface((*v)->type) && Implements(U().bool_t, (*v)->type)))
          return Err(e->pos,
                     absl::StrCat("invalid case ", ExprText(e), " in switch (mismatched types ",
                                  TypeString((*v)->type), " and bool)"));
      } else if (IsUntyped((*v)->type) && !IsInterface(tagt)) {
        if ((*v)->type->kind == Kind::kUntypedNil) {
          if (!IsNilable(tagt))
            return Err(e->pos,
                       absl::StrCat("invalid case ", ExprText(e), " in switch on ", ExprText(s->y),
                                    " (mismatched types untyped nil and ", TypeString(tagt), ")"));
        } else {
          absl::StatusOr<Node*> cv = ConvertConst(*v, tagt, "switch case");
          if (!cv.ok()) return cv.status();
          v = *cv;
        }
      } else if (!IsUntyped((*v)->type) && !Identical((*v)->type, tagt) && !IsInterface(tagt) &&
                 !IsInterface((*v)->type)) {
        return Err(e->pos, absl::StrCat("invalid case ", ExprText(e), " in switch on ",
                                        ExprText(s->y), " (mismatched types ",
                                        TypeString((*v)->type), " and ", TypeString(tagt), ")"));
      }
      cc->list.push_back(*v);
    }
    ScopeGuard cs(&scope_, &bindings_);
    for (size_t k = 0; k < c->list2.size(); ++k) {
      const Node* st = c->list2[k];
      if (st->op == Op::kBranch && st->str == "fallthrough" &&
          (k + 1 != c->list2.size() || ci + 1 == s->list.size()))
        return Err(st->pos, k + 1 != c->list2.size() ? "fallthrough statement out of place"
                                                     : "cannot fallthrough final case in switch");
      if (absl::Status r = Stmt(st, &cc->list2); !r.ok()) return r;
    }
    if (absl::Status r = CheckUnused(scope_); !r.ok()) return r;
    n->list.push_back(cc);
  }
  --fs_->switches;
  if (absl::Status r = CheckUnused(scope_); !r.ok()) return r;
  out->push_back(n);
  return absl::OkStatus();
}

absl::Status Checker::TypeSwitch(const Node* s, std::vector<Node*>* out) {
  ScopeGuard guard(&scope_, &bindings_);
  Node* n = NewNode(Op::kTypeSwitchStmt, s->pos);
  for (const Node* i : s->init)
    if (absl::Status st = Stmt(i, &n->init); !st.ok()) return st;
  absl::StatusOr<Node*> x = Expr(s->y);
  if (!x.ok()) return x.status();
  if (absl::Status st = SingleValue(*x); !st.ok()) return st;
  if (!IsInterface((*x)->type))
    return Err(s->y->pos,
               absl::StrCat(ExprText(s->y), " (", Describe(*x), ") is not an interface"));
  n->x = *x;
  n->str = s->str;
  bool bound = !s->str.empty() && s->str != "_";
  bool used_any = false;
  ++fs_->switches;
  for (const Node* c : s->list) {
    Node* cc = NewNode(Op::kCaseClause, c->pos);
    cc->is_default = c->is_default;
    for (const Node* e : c->list) {
      Node* tn;
      Obj* nil = e->op == Op::kIdent ? scope_->Lookup(e->str) : nullptr;
      if (nil != nullptr && nil->kind == ObjKind::kNil) {
        tn = NewNode(Op::kNil, e->pos);
        tn->type = U().untyped_nil;
      } else {
        absl::StatusOr<const Type*> t = ResolveType(e);
        if (!t.ok()) return t.status();
        if (!IsInterface(*t) && !Implements(*t, (*x)->type))
          return Err(e->pos, absl::StrCat("impossible type switch case: ", ExprText(s->y), " (",
                                          Describe(*x), ") cannot have dynamic type ",
                                          TypeString(*t), MissingMethod(*t, (*x)->type)));
        tn = TypeNode(*t, e->pos);
      }
      cc->list.push_back(tn);
    }
    ScopeGuard cs(&scope_, &bindings_);
    if (bound) {
      const Type* single = nullptr;
      if (c->list.size() == 1 && cc->list[0]->op == Op::kType) single = cc->list[0]->type;
      // irgen positions the clause variable at the clause's colon.
      Obj* o = NewLocal(s->str, c->w != nullptr ? c->w->pos : c->pos,
                        single != nullptr ? single : (*x)->type);
      o->defn = n;
      scope_->Insert(o);
      cc->obj = o;
    }
    if (absl::Status st = Stmts(c->list2, &cc->list2); !st.ok()) return st;
    if (bound) {
      used_any |= cc->obj->used;
      cc->obj->used = true;
    }
    if (absl::Status st = CheckUnused(scope_); !st.ok()) return st;
    n->list.push_back(cc);
  }
  --fs_->switches;
  if (bound && !used_any) return Err(s->z->pos, absl::StrCat(s->str, " declared but not used"));
  if (absl::Status st = CheckUnused(scope_); !st.ok()) return st;
  out->push_back(n);
  return absl::OkStatus();
}

absl::Status Checker::Select(const Node* s, std::vector<Node*>* out) {
  Node* n = NewNode(Op::kSelectStmt, s->pos);
  ++fs_->switches;
  for (const Node* c : s->list) {
    ScopeGuard cs(&scope_, &bindings_);
    Node* cc = NewNode(Op::kCommClauseIR, c->pos);
    if (c->x != nullptr) {
      const Node* comm = c->x;
      std::vector<Node*> tmp;
      absl::Status st;
      bool recv_assign = comm->op == Op::kAssign && comm->list2.size() == 1 &&
                         comm->list2[0]->op == Op::kUnary && comm->list2[0]->str == "<-";
      bool recv_expr =
          comm->op == Op::kExprStmt && comm->x->op == Op::kUnary && comm->x->str == "<-";
      if (comm->op == Op::kSend) {
        st = SendStmt(comm, &tmp);
      } else if (recv_assign && comm->list.size() <= 2) {
        st = AssignStmt(comm, &tmp);
      } else if (recv_expr) {
        st = ExprStmt(comm, &tmp);
      } else {
        return Err(comm->pos, "select case must be receive, send or assign recv");
      }
      if (!st.ok()) return st;
      // Receives become "v, ok = <-c" (go's OSELRECV2).
      Node* s0 = tmp.back();
      if (s0->op == Op::kAs && s0->y != nullptr && s0->y->op == Op::kRecv) {
        Node* r = NewNode(Op::kAs2Recv, s0->pos);
        r->list = {s0->x, BlankNode(s0->pos)};
        r->x = s0->y;
        r->init = s0->init;
        r->def = s0->def;
        if (s0->x->obj != nullptr && s0->x->obj->defn == s0) s0->x->obj->defn = r;
        s0 = r;
      } else if (s0->op == Op::kCallStmt && s0->x->op == Op::kRecv) {
        Node* r = NewNode(Op::kAs2Recv, s0->pos);
        r->list = {BlankNode(s0->pos), BlankNode(s0->pos)};
        r->x = s0->x;
        s0 = r;
      }
      cc->x = s0;
    }
    if (absl::Status st = Stmts(c->list2, &cc->list2); !st.ok()) return st;
    if (absl::Status st = CheckUnused(scope_); !st.ok()) return st;
    n->list.push_back(cc);
  }
  --fs_->switches;
  out->push_back(n);
  return absl::OkStatus();
}

absl::Status Checker::Return(const Node* s, std::vector<Node*>* out) {
  Node* n = NewNode(Op::kReturnStmt, s->pos);
  const Type* sig = fn_->sig;
  if (s->list.empty()) {
    if (!sig->results.empty() && sig->results[0].name.empty())
      return Err(s->pos, "not enough return values\n\thave ()");
    out->push_back(n);
    return absl::OkStatus();
  }
  std::vector<Node*> vals;
  for (const Node* e : s->list) {
    absl::StatusOr<Node*> v = Expr(e);
    if (!v.ok()) return v.status();
    vals.push_back(*v);
  }
  if (vals.size() == 1 && vals[0]->type != nullptr && vals[0]->type->kind == Kind::kTuple) {
    // return f() with a multi-value f: t1, t2 := f(); return t1, t2.
    const Type* tt = vals[0]->type;
    if (tt->fields.size() != sig->results.size())
      return Err(s->list[0]->pos, tt->fields.size() < sig->results.size()
                                      ? "not enough return values"
                                      : "too many return values");
    std::vector<Node*> tmps;
    n->init.push_back(MultiValueTemps(vals[0], &tmps));
    vals = tmps;
  }
  if (vals.size() != sig->results.size())
    return Err(s->list[0]->pos, vals.size() < sig->results.size() ? "not enough return values"
                                                                  : "too many return values");
  // typecheckaste: each result converted at its own position if it has one.
  Pos saved = base_pos_;
  for (size_t i = 0; i < vals.size(); ++i) {
    if (absl::Status st = SingleValue(vals[i]); !st.ok()) return st;
    SetPos(vals[i]);
    absl::StatusOr<Node*> cv = Assign(vals[i], sig->results[i].type, "return statement");
    if (!cv.ok()) return cv.status();
    n->list.push_back(*cv);
  }
  base_pos_ = saved;
  out->push_back(n);
  return absl::OkStatus();
}

absl::Status Checker::GoDefer(const Node* s, std::vector<Node*>* out) {
  const char* what = s->op == Op::kGo ? "go" : "defer";
  const Node* call = s->x;
  while (call->op == Op::kParen) call = call->x;
  if (call->op != Op::kCall)
    return Err(s->x->pos, absl::StrCat("expression in ", what, " must be function call"));
  absl::StatusOr<Node*> c = Expr(s->x, ExprMode{.stmt = true});
  if (!c.ok()) return c.status();
  if (!IsStatementCall((*c)->op))
    return Err(s->x->pos, absl::StrCat(what, " discards result of ", ExprText(s->x)));
  Node* n = NewNode(s->op == Op::kGo ? Op::kGoStmt : Op::kDeferStmt, s->pos);
  n->x = *c;
  out->push_back(n);
  return absl::OkStatus();
}

absl::Status Checker::Labeled(const Node* s, std::vector<Node*>* out) {
  if (fs_->labels_defined.count(s->str))
    return Err(s->pos, absl::StrCat("label ", s->str, " already defined"));
  fs_->labels_defined[s->str] = s->pos;
  Node* l = NewNode(Op::kLabel, s->pos);
  l->str = s->str;
  out->push_back(l);
  const Node* inner = s->x;
  bool is_loop = inner->op == Op::kFor || inner->op == Op::kRange;
  bool is_switch =
      inner->op == Op::kSwitch || inner->op == Op::kTypeSwitch || inner->op == Op::kSelect;
  if (is_loop) fs_->loop_labels.insert(s->str);
  if (is_switch) fs_->switch_labels.insert(s->str);
  absl::Status st = Stmt(inner, out);
  fs_->loop_labels.erase(s->str);
  fs_->switch_labels.erase(s->str);
  return st;
}

absl::Status Checker::Branch(const Node* s, std::vector<Node*>* out) {
  Node* n = nullptr;
  if (s->str == "goto") {
    n = NewNode(Op::kGoto, s->pos);
    if (s->x == nullptr) return Err(s->pos, "syntax error: missing label");
    n->str = s->x->str;
    fs_->labels_used.emplace(n->str, s->x->pos);
  } else if (s->str == "break" || s->str == "continue") {
    n = NewNode(s->str == "break" ? Op::kBreak : Op::kContinue, s->pos);
    if (s->x != nullptr) {
      n->str = s->x->str;
      fs_->labels_used.emplace(n->str, s->x->pos);
      if (!fs_->loop_labels.count(n->str) &&
          !(s->str == "break" && fs_->switch_labels.count(n->str)))
        return Err(s->x->pos, absl::StrCat("invalid ", s->str, " label ", n->str));
    } else if (s->str == "continue" && fs_->loops == 0) {
      return Err(s->pos, "continue is not in a loop");
    } else if (s->str == "break" && fs_->loops == 0 && fs_->switches == 0) {
      return Err(s->pos, "break is not in a loop, switch, or select");
    }
  } else {
    n = NewNode(Op::kFallthrough, s->pos);
  }
  out->push_back(n);
  return absl::OkStatus();
}

absl::Status Checker::CheckUnused(const Scope* s) {
  for (Obj* o : s->objects()) {
    if (o->kind == ObjKind::kVar && o->cls == VarClass::kAuto && !o->used)
      return Err(o->pos, absl::StrCat(o->name, " declared but not used"));
  }
  return absl::OkStatus();
}

absl::Status Checker::CheckLabels(const Node*) {
  for (auto& [name, pos] : fs_->labels_used)
    if (!fs_->labels_defined.count(name))
      return Err(pos, absl::StrCat("label ", name, " not defined"));
  for (auto& [name, pos] : fs_->labels_defined)
    if (!fs_->labels_used.count(name))
      return Err(pos, absl::StrCat("label ", name, " defined and not used"));
  return absl::OkStatus();
}

// Terminating statements (spec "Terminating statements"), on syntax.
bool Checker::Terminates(const Node* s) {
  std::string label;
  while (s != nullptr && s->op == Op::kLabeled) {
    label = s->str;
    s = s->x;
  }
  if (s == nullptr) return false;
  switch (s->op) {
    case Op::kReturn:
      return true;
    case Op::kBranch:
      return s->str == "goto";
    case Op::kExprStmt: {
      const Node* c = s->x;
      while (c->op == Op::kParen) c = c->x;
      if (c->op != Op::kCall) return false;
      const Node* f = c->x;
      while (f->op == Op::kParen) f = f->x;
      if (f->op != Op::kIdent || f->str != "panic") return false;
      Obj* o = scope_->Lookup("panic");
      return o == nullptr || o->kind == ObjKind::kBuiltin;
    }
    case Op::kBlock:
      return !s->list.empty() && Terminates(s->list.back());
    case Op::kIf:
      return s->z != nullptr && Terminates(s->y) && Terminates(s->z);
    case Op::kFor:
      return s->y == nullptr && !HasBreak(s->w, label, true);
    case Op::kSwitch:
    case Op::kTypeSwitch:
    case Op::kSelect: {
      bool has_default = s->op == Op::kSelect;
      for (const Node* c : s->list) {
        if (c->is_default) has_default = true;
        if (c->list2.empty()) return false;
        const Node* last = c->list2.back();
        if (!(Terminates(last) || (last->op == Op::kBranch && last->str == "fallthrough")))
          return false;
        for (const Node* st : c->list2)
          if (HasBreak(st, label, true)) return false;
      }
      return has_default;
    }
    default:
      return false;
  }
}

// A break referring to the statement labelled `label` (or, if `plain`, an
// unlabelled break of the statement being examined) inside s.
bool Checker::HasBreak(const Node* s, const std::string& label, bool plain) {
  if (s == nullptr) return false;
  switch (s->op) {
    case Op::kBranch:
      if (s->str != "break") return false;
      if (s->x == nullptr) return plain;
      return !label.empty() && s->x->str == label;
    case Op::kBlock:
      for (const Node* c : s->list)
        if (HasBreak(c, label, plain)) return true;
      return false;
    case Op::kIf:
      return HasBreak(s->y, label, plain) || HasBreak(s->z, label, plain);
    case Op::kLabeled:
      return HasBreak(s->x, label, plain);
    case Op::kCase:
    case Op::kCommClause:
      for (const Node* c : s->list2)
        if (HasBreak(c, label, plain)) return true;
      return false;
    case Op::kFor:
    case Op::kRange:
      // Nested loops own their unlabelled breaks.
      return !label.empty() && HasBreak(s->w, label, false);
    case Op::kSwitch:
    case Op::kTypeSwitch:
    case Op::kSelect:
      if (label.empty()) return false;
      for (const Node* c : s->list)
        if (HasBreak(c, label, false)) return true;
      return false;
    default:
      return false;
  }
}

}  // namespace gclab::escape
