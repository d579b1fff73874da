// Static values (go's ir.StaticValue, ir.reassigned) and devirtualization
// (cmd/compile/internal/devirtualize), which runs before escape analysis
// even with -l: an interface method call whose receiver is statically a
// conversion from a concrete type becomes a static method call on
// x.(T) (through embedded fields when the method is promoted).
#include "absl/strings/str_cat.h"
#include "escape/goescape/escape.h"

namespace gclab::escape::goesc {

Node* Devirtualizer::Synth(Op op, Pos pos) {
  synth_.emplace_back();
  Node* n = &synth_.back();
  n->op = op;
  n->pos = pos;
  return n;
}

const Devirt* Devirtualizer::Find(const Node* call) const {
  auto it = devirt_.find(call);
  return it == devirt_.end() ? nullptr : &it->second;
}

void Devirtualizer::Run(Func* f, std::vector<Diagnostic>* diags) {
  if (f->body == nullptr || f->unsupported) return;
  std::vector<Func*> closures;
  cur_ = f;
  Scan(f->body, &closures, diags);
  for (Func* c : closures) Run(c, diags);
}

void Devirtualizer::Scan(Node* n, std::vector<Func*>* closures, std::vector<Diagnostic>* diags) {
  if (n == nullptr) return;
  if (n->op == Op::kClosure) {
    closures->push_back(n->fn);
    return;
  }
  for (Node* c : n->init) Scan(c, closures, diags);
  Scan(n->x, closures, diags);
  if (n->op != Op::kMethValue) Scan(n->y, closures, diags);
  Scan(n->z, closures, diags);
  if (n->op == Op::kForStmt || n->op == Op::kRangeStmt) Scan(n->w, closures, diags);
  for (Node* c : n->list) Scan(c, closures, diags);
  for (Node* c : n->list2) Scan(c, closures, diags);
  if (n->op != Op::kCallInter) return;
  Node* sel = n->x;                                            // kDotInter
  if (sel->x->type == nullptr || sel->x->type->shape) return;  // dictionary call
  Node* r = StaticValue(sel->x, cur_);
  if (r == nullptr || r->op != Op::kConvIface || IsInterface(r->x->type)) return;
  const Type* typ = r->x->type;
  Selection s = LookupFieldOrMethod(typ, sel->str);
  if (s.kind != Selection::Kind::kMethod) return;
  // x.(T), then the embedded path, then the receiver's & or *.
  Node* dt = Synth(Op::kDotType, sel->pos);
  dt->x = sel->x;
  dt->type = typ;
  Node* cur = dt;
  const Type* t = typ;
  for (int idx : s.path) {
    bool is_ptr = Under(t)->kind == Kind::kPointer;
    const Type* st = is_ptr ? Under(t)->elem : t;
    const Field& fl = Under(st)->fields[idx];
    Node* d = Synth(is_ptr ? Op::kDotPtr : Op::kDot, sel->pos);
    d->x = cur;
    d->str = fl.name;
    d->type = fl.type;
    d->implicit = true;
    cur = d;
    t = fl.type;
  }
  std::string what = absl::StrCat(ExprString(sel, &subs_), " to ", TypeString(typ));
  if (IsInterface(s.holder)) {
    // A method promoted from an embedded interface-typed field.
    Node* di = Synth(Op::kDotInter, sel->pos);
    di->x = cur;
    di->str = sel->str;
    di->type = sel->type;
    Node* call = Synth(Op::kCallInter, n->pos);
    call->x = di;
    call->list = n->list;
    call->type = n->type;
    call->packed = n->packed;
    call->ddd = n->ddd;
    call->init = n->init;
    devirt_[n] = Devirt{nullptr, call};
    subs_[n] = call;
    diags->push_back(Diagnostic{n->pos, absl::StrCat("partially devirtualizing ", what)});
    return;
  }
  const Method* m = s.method;
  if (m->fn == nullptr) return;
  bool cur_ptr = Under(t)->kind == Kind::kPointer && t->kind != Kind::kNamed;
  const Type* base = cur_ptr ? Under(t)->elem : t;
  Node* recv = cur;
  if (m->ptr_recv && !cur_ptr) {
    Node* a = Synth(Op::kAddr, sel->pos);
    a->x = recv;
    a->implicit = true;
    a->type = nullptr;
    recv = a;
  } else if (!m->ptr_recv && cur_ptr) {
    Node* d = Synth(Op::kDeref, sel->pos);
    d->x = recv;
    d->implicit = true;
    d->type = base;
    recv = d;
  }
  Node* call = Synth(Op::kCallMeth, n->pos);
  call->fn = m->fn;
  call->str = m->name;
  call->type = n->type;
  call->packed = n->packed;
  call->ddd = n->ddd;
  call->init = n->init;
  call->list.push_back(recv);
  for (Node* a : n->list) call->list.push_back(a);
  devirt_[n] = Devirt{m->fn, call};
  subs_[n] = call;
  diags->push_back(Diagnostic{n->pos, absl::StrCat("devirtualizing ", what)});
}

Node* Devirtualizer::StaticValue(Node* x, const Func* fn) {
  for (int guard = 0; guard < 1000 && x != nullptr; ++guard) {
    if (x->op == Op::kConv && !IsInterface(x->type) && x->x->type != nullptr &&
        (x->implicit || Identical(Under(x->type), Under(x->x->type)))) {
      x = x->x;
      continue;
    }
    if (x->op != Op::kName || x->obj == nullptr) return x;
    Node* rhs = SingleAssignmentValue(x->obj, fn);
    if (rhs == nullptr) return x;
    x = rhs;
  }
  return x;
}

// The value a local is assigned exactly once (in its definition, never
// reassigned nor address-taken), or null.
Node* Devirtualizer::SingleAssignmentValue(Obj* o, const Func* fn) {
  if (o->cls != VarClass::kAuto || o->defn == nullptr || o->curfn == nullptr || o->curfn != fn)
    return nullptr;
  Node* d = o->defn;
  Node* rhs = nullptr;
  if (d->op == Op::kAs) {
    rhs = d->y;
  } else if (d->op == Op::kAs2) {
    for (size_t i = 0; i < d->list.size() && i < d->list2.size(); ++i)
      if (d->list[i]->obj == o) rhs = d->list2[i];
  } else {
    return nullptr;
  }
  if (rhs == nullptr || IsReassigned(o)) return nullptr;
  return rhs;
}

Func* Devirtualizer::StaticCallee(Node* x, const Func* fn) {
  Node* v = StaticValue(x, fn);
  if (v == nullptr) return nullptr;
  switch (v->op) {
    case Op::kFuncName:
    case Op::kClosure:
    case Op::kMethodExpr:
      return v->fn;
    default:
      return nullptr;
  }
}

bool Devirtualizer::IsReassigned(Obj* o) {
  auto it = reassigned_cache_.find(o);
  if (it != reassigned_cache_.end()) return it->second;
  const Func* top = o->curfn;
  bool r = top->body != nullptr && ReassignScan(top->body, o);
  reassigned_cache_[o] = r;
  return r;
}

bool Devirtualizer::ReassignScan(const Node* n, const Obj* o) {
  if (n == nullptr) return false;
  auto is_o = [&](const Node* x) { return x != nullptr && x->op == Op::kName && x->obj == o; };
  switch (n->op) {
    case Op::kAs:
      if (is_o(n->x) && n != o->defn) return true;
      break;
    case Op::kAs2:
    case Op::kAs2Func:
    case Op::kAs2DotType:
    case Op::kAs2MapR:
    case Op::kAs2Recv:
      for (const Node* l : n->list)
        if (is_o(l) && n != o->defn) return true;
      break;
    case Op::kAddr: {
      const Node* v = n->x;
      while (v->op == Op::kDot || v->op == Op::kIndexArr) v = v->x;
      if (is_o(v)) return true;
      break;
    }
    case Op::kClosure:
      return ReassignScan(n->fn->body, o);
    default:
      break;
  }
  for (const Node* c : n->init)
    if (ReassignScan(c, o)) return true;
  if (ReassignScan(n->x, o) || (n->op != Op::kMethValue && ReassignScan(n->y, o)) ||
      ReassignScan(n->z, o))
    return true;
  if ((n->op == Op::kForStmt || n->op == Op::kRangeStmt) && ReassignScan(n->w, o)) return true;
  for (const Node* c : n->list)
    if (ReassignScan(c, o)) return true;
  for (const Node* c : n->list2)
    if (ReassignScan(c, o)) return true;
  return false;
}

}  // namespace gclab::escape::goesc
