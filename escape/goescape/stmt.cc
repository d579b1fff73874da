// Statements (go's escape/stmt.go).
#include "escape/goescape/escape.h"

namespace gclab::escape::goesc {

void Batch::LabelPass(const Node* n) {
  if (n == nullptr || n->op == Op::kClosure) return;
  if (n->op == Op::kLabel) labels_[n->str] = 2;  // non-looping
  if (n->op == Op::kGoto) {
    auto it = labels_.find(n->str);
    if (it != labels_.end() && it->second == 2) it->second = 1;  // looping
  }
  for (const Node* c : n->init) LabelPass(c);
  LabelPass(n->x);
  if (n->op != Op::kMethValue) LabelPass(n->y);
  LabelPass(n->z);
  if (n->op == Op::kForStmt || n->op == Op::kRangeStmt) LabelPass(n->w);
  for (const Node* c : n->list) LabelPass(c);
  for (const Node* c : n->list2) LabelPass(c);
}

void Batch::Block(const std::vector<Node*>& l) {
  int old = loop_depth_;
  Stmts(l);
  loop_depth_ = old;
}

void Batch::Stmts(const std::vector<Node*>& l) {
  for (Node* s : l) Stmt(s);
}

Hole Batch::Dcl(Obj* o) {
  Loc* l = OldLoc(o);
  l->loop_depth = loop_depth_;
  return AsHole(l);
}

void Batch::Stmt(Node* n) {
  if (n == nullptr) return;
  Stmts(n->init);
  switch (n->op) {
    case Op::kDcl:
      if (n->obj != nullptr && n->obj->name != "_") Dcl(n->obj);
      break;
    case Op::kLabel: {
      auto it = labels_.find(n->str);
      if (it != labels_.end()) {
        if (it->second == 1) ++loop_depth_;
        labels_.erase(it);
      }
      break;
    }
    case Op::kGoto:
    case Op::kBreak:
    case Op::kContinue:
    case Op::kFallthrough:
    case Op::kUnsupported:
      break;
    case Op::kBlockStmt:
      Stmts(n->list);
      break;
    case Op::kIfStmt:
      Discard(n->x);
      if (n->y != nullptr) Block(n->y->list);
      if (n->z != nullptr) Block(n->z->list);
      break;
    case Op::kForStmt:
      ++loop_depth_;
      Discard(n->x);
      Stmt(n->y);
      Block(n->w->list);
      --loop_depth_;
      break;
    case Op::kRangeStmt: {
      // Range variables are declared (ODCL) in the statement's init.
      for (Node* v : n->list)
        if (v != nullptr && v->op == Op::kName && v->obj != nullptr && v->obj->defn == n)
          Dcl(v->obj);
      // The range expression is evaluated outside the loop.
      Loc* tmp = NewLoc(nullptr);
      Expr(AsHole(tmp), n->x);
      ++loop_depth_;
      std::vector<Hole> ks = {AddrOf(n->list[0]), AddrOf(n->list[1])};
      if (IsArray(n->x->type))
        Flow(WithNote(ks[1], n, "range"), tmp);
      else
        Flow(Deref(ks[1], n, "range-deref"), tmp);
      Reassigned(ks, n);
      Block(n->w->list);
      --loop_depth_;
      break;
    }
    case Op::kSwitchStmt:
      Discard(n->x);
      for (Node* c : n->list) {
        for (Node* e : c->list) Discard(e);
        Block(c->list2);
      }
      break;
    case Op::kTypeSwitchStmt: {
      std::vector<Hole> ks;
      for (Node* c : n->list) {
        if (c->obj == nullptr) continue;
        Hole k = Dcl(c->obj);  // type switch variables have no ODCL
        if (HasPointers(c->obj->type)) ks.push_back(DotType(k, c->obj->type, c, "switch case"));
      }
      Expr(TeeHole(ks), n->x);
      for (Node* c : n->list) Block(c->list2);
      break;
    }
    case Op::kSelectStmt:
      for (Node* c : n->list) {
        Stmt(c->x);
        Block(c->list2);
      }
      break;
    case Op::kSendStmt:
      Discard(n->x);
      AssignHeap(n->y, "send", n);
      break;
    case Op::kAs:
    case Op::kAsOp:
      AssignList({n->x}, {n->y}, "assign", n);
      break;
    case Op::kAs2:
      AssignList(n->list, n->list2, "assign-pair", n);
      break;
    case Op::kAs2DotType:
      AssignList(n->list, {n->x}, "assign-pair-dot-type", n);
      break;
    case Op::kAs2MapR:
      AssignList(n->list, {n->x}, "assign-pair-mapr", n);
      break;
    case Op::kAs2Recv:
      AssignList(n->list, {n->x}, "assign-pair-receive", n);
      break;
    case Op::kAs2Func: {
      Stmts(n->x->init);
      std::vector<Hole> ks;
      for (Node* l : n->list) ks.push_back(AddrOf(l));
      Call(&ks, n->x, nullptr);
      Reassigned(ks, n);
      break;
    }
    case Op::kReturnStmt: {
      std::vector<Node*> dsts;
      std::vector<Hole> ks;
      for (Obj* r : cur_->results) ks.push_back(AsHole(OldLoc(r)));
      for (size_t i = 0; i < ks.size(); ++i) {
        Node* src = i < n->list.size() ? n->list[i] : nullptr;
        Expr(WithNote(ks[i], n, "return"), src);
      }
      Reassigned(ks, n);
      break;
    }
    case Op::kCallStmt:
      if (n->x->op == Op::kRecv) {
        ExprSkipInit(DiscardHole(), n->x);
      } else {
        Stmts(n->x->init);
        Call(nullptr, n->x, nullptr);
      }
      break;
    case Op::kGoStmt:
    case Op::kDeferStmt:
      GoDefer(n);
      break;
    default:
      break;
  }
}

}  // namespace gclab::escape::goesc
