// Assignments (go's escape/assign.go) and the self-assignment rules of
// escape/utils.go.
#include "absl/strings/str_cat.h"
#include "escape/goescape/escape.h"

namespace gclab::escape::goesc {
namespace {

bool SameSafeExpr(const Node* a, const Node* b) {
  if (a == nullptr || b == nullptr || a->op != b->op) return false;
  switch (a->op) {
    case Op::kName:
      return a->obj == b->obj && a->obj != nullptr;
    case Op::kDot:
    case Op::kDotPtr:
      return a->str == b->str && SameSafeExpr(a->x, b->x);
    case Op::kDeref:
    case Op::kConv:
      return SameSafeExpr(a->x, b->x);
    case Op::kIndexArr:
    case Op::kIndexSlice:
    case Op::kIndexString:
      return SameSafeExpr(a->x, b->x) && SameSafeExpr(a->y, b->y);
    case Op::kLiteral: {
      std::optional<bool> eq = Constant::Compare("==", a->cval, b->cval);
      return eq.has_value() && *eq && Identical(a->type, b->type);
    }
    default:
      return false;
  }
}

bool MayAffectMemory(const Node* n) {
  switch (n->op) {
    case Op::kName:
    case Op::kLiteral:
    case Op::kNil:
      return false;
    case Op::kArith:
    case Op::kIndexArr:
    case Op::kIndexSlice:
      return MayAffectMemory(n->x) || MayAffectMemory(n->y);
    case Op::kConv:
    case Op::kLen:
    case Op::kCap:
    case Op::kUnaryOp:
    case Op::kDot:
    case Op::kDotPtr:
    case Op::kDeref:
      return MayAffectMemory(n->x);
    default:
      return true;
  }
}

// b.buf = b.buf[n:m] stores no new pointer into b.
bool IsSliceSelfAssign(const Node* dst, const Node* src) {
  if (dst->op != Op::kDeref && dst->op != Op::kDotPtr) return false;
  const Node* dx = dst->x;
  if (dx->op != Op::kName) return false;
  if (src->op == Op::kSliceArr) {
    if (src->x->op == Op::kAddr) return false;
  } else if (src->op != Op::kSliceSlice && src->op != Op::kSliceStr) {
    return false;
  }
  const Node* base = src->x;
  if (base->op != Op::kDeref && base->op != Op::kDotPtr) return false;
  const Node* bx = base->x;
  if (bx->op != Op::kName) return false;
  return dx->obj == bx->obj && dx->obj != nullptr;
}

// val.x = val.y, val.x[i] = val.y[j], ...: no new lifetime relation.
bool IsSelfAssign(const Node* dst, const Node* src) {
  if (IsSliceSelfAssign(dst, src)) return true;
  if (dst->op != src->op) return false;
  switch (dst->op) {
    case Op::kDot:
    case Op::kDotPtr:
      return SameSafeExpr(dst->x, src->x);
    case Op::kIndexArr:
    case Op::kIndexSlice:
      if (MayAffectMemory(dst->y) || MayAffectMemory(src->y)) return false;
      return SameSafeExpr(dst->x, src->x);
    default:
      return false;
  }
}

// (*reflect.SliceHeader).Data and (*reflect.StringHeader).Data.
bool IsReflectHeaderDataField(const Node* n) {
  if (n->op != Op::kDotPtr && n->op != Op::kDot) return false;
  if (n->str != "Data" || !IsUintptr(n->type) || n->type->kind == Kind::kNamed) return false;
  const Type* t = n->x->type;
  if (n->op == Op::kDotPtr) t = Under(t)->elem;
  return t != nullptr && t->kind == Kind::kNamed && t->pkg == "reflect" &&
         (t->name == "SliceHeader" || t->name == "StringHeader");
}

}  // namespace

Hole Batch::AddrOf(Node* n) {
  if (n == nullptr || (n->op == Op::kName && n->obj == nullptr)) return DiscardHole();
  Hole k = HeapHole();
  switch (n->op) {
    case Op::kName:
      if (n->obj->cls == VarClass::kExtern) break;
      k = AsHole(OldLoc(n->obj));
      break;
    case Op::kDot:
      k = AddrOf(n->x);
      break;
    case Op::kIndexArr:
      Discard(n->y);
      k = AddrOf(n->x);
      break;
    case Op::kIndexSlice:
      Discard(n->y);
      Discard(n->x);
      break;
    case Op::kDeref:
    case Op::kDotPtr:
      Discard(n);
      break;
    case Op::kIndexMap:
      Discard(n->x);
      AssignHeap(n->y, "key of map put", n);
      break;
    default:
      break;
  }
  return k;
}

void Batch::AssignHeap(Node* src, const char* why, const Node* where) {
  Expr(WithNote(HeapHole(), where, why), src);
}

void Batch::AssignList(const std::vector<Node*>& dsts, const std::vector<Node*>& srcs,
                       const char* why, Node* where) {
  std::vector<Hole> ks;
  for (Node* d : dsts) ks.push_back(AddrOf(d));
  for (size_t i = 0; i < ks.size(); ++i) {
    Node* src = i < srcs.size() ? srcs[i] : nullptr;
    Hole k = ks[i];
    Node* dst = dsts[i];
    if (dst != nullptr) {
      // An implicit uintptr -> unsafe.Pointer conversion when storing into
      // reflect.{Slice,String}Header.Data.
      if (dst->op == Op::kDotPtr && IsReflectHeaderDataField(dst)) {
        UnsafeValue(WithNote(HeapHole(), where, why), src);
        continue;
      }
      if (src != nullptr && IsSelfAssign(dst, src)) {
        s_->Diag(where->pos,
                 absl::StrCat(FuncName(cur_), " ignoring self-assignment in ", s_->Print(where)));
        k = DiscardHole();
      }
    }
    Expr(WithNote(k, where, why), src);
  }
  Reassigned(ks, where);
}

// Marks the locations of the holes reassigned, unless the location is a
// variable declared and assigned exactly once by `where`.
void Batch::Reassigned(const std::vector<Hole>& ks, const Node* where) {
  if (where->op == Op::kAs && where->y == nullptr && where->x->op == Op::kName &&
      where->x->obj != nullptr && where->x->obj->defn == nullptr)
    return;  // zero-value initialization of a declared variable
  for (const Hole& k : ks) {
    Loc* l = k.dst;
    if (l->var != nullptr && l->var->defn == where && where->op != Op::kRangeStmt) continue;
    if (l->tmp) continue;
    l->reassigned = true;
  }
}

}  // namespace gclab::escape::goesc
