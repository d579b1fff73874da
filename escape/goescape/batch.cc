// One batch of functions analysed together (go's escape/escape.go): their
// locations, the walk of their bodies, closure captures, size limits, the
// solve and the results (diagnostics, parameter tags, decisions).
#include "absl/strings/str_cat.h"
#include "escape/goescape/escape.h"

namespace gclab::escape::goesc {

void Batch::Run(const std::vector<Func*>& fns) {
  heap_.escapes = true;
  for (Func* f : fns) InitFunc(f);
  for (Func* f : fns)
    if (f->outer == nullptr) WalkFunc(f);
  // Every reassignment and address-taking is known now: closures capture
  // by value or by reference.
  for (const ClosureRec& c : closures_) FlowClosure(c);
  closures_.clear();
  for (auto& lp : locs_) {
    Loc* l = lp.get();
    std::string why = HeapAllocReason(l->n, l->var);
    if (!why.empty()) {
      Hole k = Addr(HeapHole(), l->n,
                    why == "non-constant size" ? "non-constant size" : "too large for stack");
      if (l->reason.empty()) l->reason = why;
      Flow(k, l);
    }
  }
  WalkAll();
  Finish(fns);
}

void Batch::InitFunc(Func* f) {
  s_->func_state[f] = FuncState::kPlanned;
  cur_ = f;
  loop_depth_ = 1;
  for (Obj* o : f->dcl) NewVarLoc(o);
  for (Obj* r : f->results) OldLoc(r)->result_index = r->result_index;
}

void Batch::WalkFunc(Func* f) {
  Func* saved_cur = cur_;
  int saved_depth = loop_depth_;
  auto saved_labels = labels_;
  cur_ = f;
  loop_depth_ = 1;
  labels_.clear();
  s_->func_state[f] = FuncState::kStarted;
  // Labels with a backward goto make unstructured loops.
  LabelPass(f->body);
  if (f->unsupported) {
    // Conservative: every parameter and result flows to the heap.
    for (Obj* p : f->params)
      if (p != nullptr) Flow(HeapHole(), OldLoc(p));
    if (f->recv != nullptr) Flow(HeapHole(), OldLoc(f->recv));
    for (Obj* r : f->results) Flow(HeapHole(), OldLoc(r));
  } else if (f->body != nullptr) {
    Block(f->body->list);
  }
  labels_ = saved_labels;
  cur_ = saved_cur;
  loop_depth_ = saved_depth;
}

void Batch::FlowClosure(const ClosureRec& c) {
  if (c.is_wrapper) {
    for (Loc* l : c.wrapper_vars) {
      bool byval = !l->addrtaken && !l->reassigned && l->size <= 128;
      Hole k = c.k;
      if (!byval) k = Addr(k, nullptr, "reference");
      Flow(WithNote(k, nullptr, "captured by a closure"), l);
    }
    return;
  }
  for (Obj* cv : c.fn->closure_vars) {
    Loc* l = OldLoc(cv);
    bool byval = !l->addrtaken && !l->reassigned && Size(cv->type) <= 128;
    Hole k = c.k;
    if (!byval) k = Addr(k, nullptr, "reference");
    Flow(WithNote(k, nullptr, "captured by a closure"), l);
  }
}

bool Batch::InMutualBatch(const Func* f) const {
  if (f == nullptr || f->external) return false;
  auto it = s_->func_state.find(f);
  return it != s_->func_state.end() && it->second != FuncState::kUnknown &&
         it->second != FuncState::kTagged;
}

void Batch::Finish(const std::vector<Func*>& fns) {
  for (Func* f : fns) {
    s_->func_state[f] = FuncState::kTagged;
    int narg = 0;  // receiver and parameters, from 1
    if (f->recv != nullptr) TagParam(f, f->recv, ++narg);
    for (Obj* p : f->params) TagParam(f, p, ++narg);
  }
  for (auto& lp : locs_) {
    Loc* l = lp.get();
    if (l->wrapper) continue;
    if (l->tmp) {
      if (l->escapes) s_->Diag(l->tmp_pos, absl::StrCat("moved to heap: ", l->tmp_name));
      continue;
    }
    if (l->var != nullptr) {
      if (l->escapes) s_->Diag(l->var->pos, absl::StrCat("moved to heap: ", l->var->name));
      s_->var_decision[l->var] = {l->escapes, l->reason};
      continue;
    }
    if (l->n == nullptr) continue;
    s_->Diag(l->n->pos,
             absl::StrCat(s_->Print(l->n), l->escapes ? " escapes to heap" : " does not escape"));
    s_->node_decision[l->n] = {l->escapes, l->reason};
  }
}

void Batch::TagParam(Func* f, Obj* p, int narg) {
  bool diagnose = !f->dupok;
  const std::string name = p->name.empty() ? absl::StrCat("arg#", narg) : p->name;
  if (!f->has_body) {
    // Declared without a body (assembly): uintptr arguments are kept alive;
    // pointers leak unless //go:noescape.
    if (IsUintptr(p->type)) {
      if (diagnose) s_->Diag(p->pos, absl::StrCat("assuming ", name, " is unsafe uintptr"));
      return;
    }
    if (!HasPointers(p->type)) return;
    Leaks esc;
    bool named = !p->name.empty();  // "_" too: only unnamed ones are silent
    if (f->noescape) {
      if (diagnose && named) s_->Diag(p->pos, absl::StrCat(p->name, " does not escape"));
    } else {
      if (diagnose && named) s_->Diag(p->pos, absl::StrCat("leaking param: ", p->name));
      esc.AddHeap(0);
    }
    s_->tags[p] = esc;
    return;
  }
  if (f->uintptr_escapes) {
    // uintptr arguments (and ...uintptr ones) escape: tagged "".
    bool variadic = IsSlice(p->type) && IsUintptr(Under(p->type)->elem) && f->sig != nullptr &&
                    f->sig->variadic && !f->params.empty() && f->params.back() == p;
    if (IsUintptr(p->type) || variadic) {
      if (diagnose)
        s_->Diag(p->pos, absl::StrCat("marking ", name, " as escaping ",
                                      variadic ? "...uintptr" : "uintptr"));
      Leaks esc;
      esc.AddHeap(0);
      s_->tags[p] = esc;
      return;
    }
  }
  if (!HasPointers(p->type)) return;
  if (p->name.empty() || p->name == "_") {
    s_->tags[p] = Leaks{};
    return;
  }
  Loc* l = OldLoc(p);
  Leaks esc = l->param_esc;
  esc.Optimize();
  s_->tags[p] = esc;
  if (!diagnose || l->escapes) return;
  if (esc.Empty()) s_->Diag(p->pos, absl::StrCat(p->name, " does not escape"));
  int x = esc.Heap();
  if (x >= 0) {
    if (x == 0)
      s_->Diag(p->pos, absl::StrCat("leaking param: ", p->name));
    else
      s_->Diag(p->pos, absl::StrCat("leaking param content: ", p->name));
  }
  for (int i = 0; i < kNumEscResults; ++i) {
    int r = esc.Result(i);
    if (r >= 0 && i < static_cast<int>(f->results.size()))
      s_->Diag(p->pos, absl::StrCat("leaking param: ", p->name, " to result ", f->results[i]->name,
                                    " level=", r));
  }
}

std::string HeapAllocReason(const Node* n, const Obj* var) { return SizeReason(n, var); }

}  // namespace gclab::escape::goesc
