// The solve (go's escape/solve.go): for every root location, a
// shortest-path walk over incoming edges computes the minimal dereference
// count of every location's value reaching the root; addresses reaching a
// root that outlives them escape.
#include "absl/strings/str_cat.h"
#include "escape/goescape/escape.h"

namespace gclab::escape::goesc {
namespace {

// Whether c is a closure contained within f.
bool ContainsClosure(const Func* f, const Func* c) {
  if (f == c || c->outer == nullptr) return false;
  for (const Func* p = c->outer; p != nullptr; p = p->outer)
    if (p == f) return true;
  return false;
}

}  // namespace

void Batch::WalkAll() {
  // LIFO work list; a location is re-queued when it starts to escape.
  std::vector<Loc*> todo;
  todo.reserve(locs_.size() + 1);
  for (auto& l : locs_) {
    l->queued = true;
    todo.push_back(l.get());
  }
  heap_.queued = true;
  todo.push_back(&heap_);
  uint32_t walkgen = 0;
  while (!todo.empty()) {
    Loc* root = todo.back();
    todo.pop_back();
    root->queued = false;
    ++walkgen;
    WalkOne(root, walkgen, &todo);
  }
}

void Batch::WalkOne(Loc* root, uint32_t walkgen, std::vector<Loc*>* queue) {
  root->walkgen = walkgen;
  root->derefs = 0;
  root->dst = nullptr;
  std::vector<Loc*> todo{root};
  while (!todo.empty()) {
    Loc* l = todo.back();
    todo.pop_back();
    int derefs = l->derefs;
    // For "root = &l; l = x", l's address flows to root but x's does not.
    bool address_of = derefs < 0;
    if (address_of) derefs = 0;
    if (Outlives(root, l)) {
      if (l->IsParam()) LeakTo(l, root, derefs);
      if (address_of && !l->escapes) {
        l->escapes = true;
        if (l->reason.empty()) l->reason = ReasonFor(root);
        if (s_->opts.explain_line != 0 && LineOf(l) == s_->opts.explain_line) Explain(root, l);
        if (!l->queued) {
          l->queued = true;
          queue->push_back(l);
        }
        continue;
      }
    }
    for (size_t i = 0; i < l->edges.size(); ++i) {
      Edge& e = l->edges[i];
      if (e.src->escapes) continue;
      int d = derefs + e.derefs;
      if (e.src->walkgen != walkgen || e.src->derefs > d) {
        e.src->walkgen = walkgen;
        e.src->derefs = d;
        e.src->dst = l;
        e.src->dst_edge_idx = static_cast<int>(i);
        todo.push_back(e.src);
      }
    }
  }
}

std::string Batch::ReasonFor(const Loc* root) const {
  if (root == &heap_ || root->escapes) return "address flows to the heap";
  if (root->IsResult()) return absl::StrCat("address flows to result ", root->var->name);
  if (root->var != nullptr)
    return absl::StrCat("address flows to ", root->var->name, " which outlives it");
  return "address flows to a longer-lived location";
}

// Whether values stored in l may survive beyond other's lifetime if stack
// allocated.
bool Batch::Outlives(const Loc* l, const Loc* other) const {
  if (l->escapes) return true;  // the heap outlives everything
  if (l->IsResult()) {
    // Directly called closures can return locations allocated outside them.
    if (ContainsClosure(other->curfn, l->curfn) && l->curfn->closure_called) return false;
    return true;
  }
  // l was declared outside other's loop scope.
  if (l->curfn == other->curfn && l->loop_depth < other->loop_depth) return true;
  // other is declared within a closure of where l is declared.
  if (ContainsClosure(l->curfn, other->curfn)) return true;
  return false;
}

void Batch::LeakTo(Loc* l, const Loc* sink, int derefs) {
  // A result parameter that does not escape records a result leak.
  if (!sink->escapes && sink->IsResult() && sink->curfn == l->curfn) {
    int ri = sink->result_index - 1;
    if (ri < kNumEscResults) {
      l->param_esc.AddResult(ri, derefs);
      return;
    }
  }
  l->param_esc.AddHeap(derefs);
}

Pos Batch::PosOf(const Loc* l) const {
  if (l->var != nullptr) return l->var->pos;
  if (l->n != nullptr) return l->n->pos;
  return l->tmp_pos;
}

std::string Batch::LocName(const Loc* l) const {
  if (l == &heap_) return "{heap}";
  if (l->var != nullptr) return l->var->name;
  if (l->n != nullptr) return absl::StrCat("{storage for ", s_->Print(l->n), "}");
  if (l->tmp) return l->tmp_name;
  return "{temp}";
}

void Batch::Explain(const Loc* root, const Loc* src) {
  const std::string& file = s_->prog.filename;
  std::string out =
      absl::StrCat(PosMessage(file, PosOf(src), ""),
                   src->n != nullptr ? s_->Print(src->n) : LocName(src), " escapes to heap:\n");
  int guard = 0;
  for (const Loc* l = src; l->dst != nullptr && guard < 64; l = l->dst, ++guard) {
    const Edge& e = l->dst->edges[l->dst_edge_idx];
    std::string ops = e.derefs < 0 ? "&" : std::string(std::max(0, e.derefs), '*');
    absl::StrAppend(&out, "  flow: ", LocName(l->dst), " = ", ops, LocName(l), ":\n");
    for (const Note* nt = e.notes; nt != nullptr; nt = nt->next) {
      if (nt->where != nullptr) {
        absl::StrAppend(&out, "    from ", s_->Print(nt->where), " (", nt->why, ") at ", file, ":",
                        nt->where->pos.line, ":", nt->where->pos.col, "\n");
      } else {
        absl::StrAppend(&out, "    (", nt->why, ")\n");
      }
    }
    if (l->dst == root) break;
  }
  s_->result.explanations.push_back({LineOf(src), out});
}

}  // namespace gclab::escape::goesc
