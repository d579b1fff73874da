// Locations, holes and edges of the escape graph (go's escape/graph.go).
#include "escape/goescape/escape.h"

namespace gclab::escape::goesc {

Loc* Batch::NewLoc(const Node* n) {
  locs_.push_back(std::make_unique<Loc>());
  Loc* l = locs_.back().get();
  l->n = n;
  l->curfn = cur_;
  l->loop_depth = loop_depth_;
  return l;
}

Loc* Batch::NewVarLoc(Obj* o) {
  Loc* l = NewLoc(nullptr);
  l->var = o;
  l->size = Size(o->type);
  loc_of_[o] = l;
  return l;
}

Loc* Batch::OldLoc(Obj* o) {
  auto it = loc_of_.find(o);
  if (it != loc_of_.end()) return it->second;
  // A variable of a function outside this batch cannot be referenced by a
  // well-formed program; be robust anyway.
  return NewVarLoc(o);
}

const Note* Batch::MkNote(const Note* next, const Node* where, const char* why) {
  if (s_->opts.explain_line == 0) return next;
  notes_.push_back(Note{where, why, next});
  return &notes_.back();
}

Hole Batch::WithNote(Hole k, const Node* where, const char* why) {
  k.notes = MkNote(k.notes, where, why);
  return k;
}

Hole Batch::Shift(Hole k, int delta) {
  k.derefs += delta;
  k.addrtaken = delta < 0;
  return k;
}

Hole Batch::Deref(Hole k, const Node* where, const char* why) {
  return WithNote(Shift(k, 1), where, why);
}

Hole Batch::Addr(Hole k, const Node* where, const char* why) {
  return WithNote(Shift(k, -1), where, why);
}

Hole Batch::DotType(Hole k, const Type* t, const Node* where, const char* why) {
  if (!IsInterface(t) && !IsDirectIface(t)) k = Shift(k, 1);
  return WithNote(k, where, why);
}

void Batch::Flow(Hole k, Loc* src) {
  if (k.addrtaken) src->addrtaken = true;
  Loc* dst = k.dst;
  if (dst == &blank_) return;
  if (dst == src && k.derefs >= 0) return;  // dst = dst, dst = *dst, ...
  if (dst->escapes && k.derefs < 0) {       // dst = &src
    if (!src->escapes && src->reason.empty()) src->reason = "address flows to the heap";
    src->escapes = true;
    return;
  }
  dst->edges.push_back(Edge{src, k.derefs, k.notes});
}

Hole Batch::TeeHole(const std::vector<Hole>& ks) {
  if (ks.empty()) return DiscardHole();
  if (ks.size() == 1) return ks[0];
  Loc* l = NewLoc(nullptr);
  for (const Hole& k : ks) Flow(k, l);
  return AsHole(l);
}

Hole Batch::Later(Hole k) {
  Loc* l = NewLoc(nullptr);
  Flow(k, l);
  return AsHole(l);
}

Hole Batch::Spill(Hole k, const Node* n) {
  Loc* l = NewLoc(n);
  Flow(Addr(k, n, "spill"), l);
  return AsHole(l);
}

}  // namespace gclab::escape::goesc
