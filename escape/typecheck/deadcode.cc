// Dead-code elimination on the typed IR, as go 1.19's deadcode pass does
// before escape analysis (even with -N): branches of if statements with a
// constant condition, the statements after such a branch when it ends in a
// return or panic, constant switches, and bodies made only of dead loops.
#include "escape/typecheck/checker.h"

namespace gclab::escape {
namespace {

bool IsConstBool(const Node* n) {
  return n != nullptr && n->op == Op::kLiteral && n->cval.kind() == Constant::Kind::kBool;
}

// true && x => x, false && x => false, true || x => true, false || x => x.
Node* SimplifyCond(Node* n) {
  if (n == nullptr || n->op != Op::kLogic) return n;
  n->x = SimplifyCond(n->x);
  n->y = SimplifyCond(n->y);
  if (!IsConstBool(n->x)) return n;
  bool v = n->x->cval.bool_val();
  if (n->str == "&&") return v ? n->y : n->x;
  return v ? n->x : n->y;
}

bool EndsInReturnOrPanic(const Node* block) {
  if (block == nullptr || block->list.empty()) return false;
  const Node* last = block->list.back();
  return last->op == Op::kReturnStmt ||
         (last->op == Op::kCallStmt && last->x != nullptr && last->x->op == Op::kPanic);
}

void DeadStmts(std::vector<Node*>* nn);

void ConstSwitch(Node* n) {
  if (n->x != nullptr && n->x->op != Op::kLiteral) return;
  Constant x = n->x != nullptr ? n->x->cval : Constant::Bool(true);
  Node* def = nullptr;
  for (Node* cas : n->list) {
    if (cas->is_default) {
      def = cas;
      continue;
    }
    for (Node* c : cas->list) {
      if (c->op != Op::kLiteral) return;  // cannot tell statically
      std::optional<bool> eq = Constant::Compare("==", x, c->cval);
      if (!eq.has_value()) return;
      if (*eq) {
        for (const Node* s : cas->list2)
          if (s->op == Op::kFallthrough) return;
        cas->list = {c};
        n->list = {cas};
        return;
      }
    }
  }
  if (def != nullptr) {
    for (const Node* s : def->list2)
      if (s->op == Op::kFallthrough) return;
    n->list = {def};
    return;
  }
  n->list.clear();  // no case ever runs
}

void DeadStmts(std::vector<Node*>* nn) {
  int last_label = -1;
  for (size_t i = 0; i < nn->size(); ++i)
    if ((*nn)[i] != nullptr && (*nn)[i]->op == Op::kLabel) last_label = static_cast<int>(i);
  for (size_t i = 0; i < nn->size(); ++i) {
    Node* n = (*nn)[i];
    if (n == nullptr) continue;
    bool cut = false;
    if (n->op == Op::kIfStmt) {
      n->x = SimplifyCond(n->x);
      if (IsConstBool(n->x)) {
        Node* body;
        if (n->x->cval.bool_val()) {
          if (n->z != nullptr) n->z->list.clear();
          body = n->y;
        } else {
          if (n->y != nullptr) n->y->list.clear();
          body = n->z;
        }
        if (EndsInReturnOrPanic(body) && static_cast<int>(i) > last_label) cut = true;
      }
    }
    if (n->op == Op::kSwitchStmt) ConstSwitch(n);
    if (!n->init.empty()) DeadStmts(&n->init);
    switch (n->op) {
      case Op::kBlockStmt:
        DeadStmts(&n->list);
        break;
      case Op::kForStmt:
      case Op::kRangeStmt:
        if (n->w != nullptr) DeadStmts(&n->w->list);
        break;
      case Op::kIfStmt:
        if (n->y != nullptr) DeadStmts(&n->y->list);
        if (n->z != nullptr) DeadStmts(&n->z->list);
        break;
      case Op::kSelectStmt:
      case Op::kSwitchStmt:
      case Op::kTypeSwitchStmt:
        for (Node* c : n->list) DeadStmts(&c->list2);
        break;
      default:
        break;
    }
    if (cut) {
      nn->resize(i + 1);
      break;
    }
  }
}

}  // namespace

void Checker::Deadcode(Func* f) {
  if (f->body == nullptr) return;
  DeadStmts(&f->body->list);
  std::vector<Node*>& body = f->body->list;
  if (body.empty()) return;
  for (const Node* n : body) {
    if (!n->init.empty()) return;
    if (n->op == Op::kIfStmt) {
      if (!IsConstBool(n->x) || (n->y != nullptr && !n->y->list.empty()) ||
          (n->z != nullptr && !n->z->list.empty()))
        return;
    } else if (n->op == Op::kForStmt) {
      if (!IsConstBool(n->x) || n->x->cval.bool_val()) return;
    } else {
      return;
    }
  }
  body = {NewNode(Op::kBlockStmt, f->body->pos)};
}

}  // namespace gclab::escape
