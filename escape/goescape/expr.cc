// Expressions (go's escape/expr.go): each expression is evaluated into a
// hole; allocations are spilled into fresh locations.
#include "escape/goescape/escape.h"

namespace gclab::escape::goesc {

void Batch::Expr(Hole k, Node* n) {
  if (n == nullptr) return;
  Stmts(n->init);
  ExprSkipInit(k, n);
}

void Batch::ExprSkipInit(Hole k, Node* n) {
  if (n == nullptr) return;
  // Like Go, only the destination becomes blank for pointer-free values:
  // derefs and the addrtaken mark still apply (*&x marks x address-taken).
  if (k.derefs >= 0 && n->type != nullptr && !IsUntyped(n->type) && !HasPointers(n->type))
    k.dst = &blank_;
  switch (n->op) {
    case Op::kLiteral:
    case Op::kNil:
    case Op::kType:
    case Op::kFuncName:
    case Op::kMethodExpr:
      break;
    case Op::kName:
      if (n->obj == nullptr || n->obj->cls == VarClass::kExtern || n->obj->kind != ObjKind::kVar)
        break;
      Flow(k, OldLoc(n->obj));
      break;
    case Op::kUnaryOp:
      Discard(n->x);
      break;
    case Op::kArith:
    case Op::kLogic:
      Discard(n->x);
      Discard(n->y);
      break;
    case Op::kAddr:
      Expr(Addr(k, n, "address-of"), n->x);
      break;
    case Op::kDeref:
      Expr(Deref(k, n, "indirection"), n->x);
      break;
    case Op::kDot:
    case Op::kDotInter:
      Expr(WithNote(k, n, "dot"), n->x);
      break;
    case Op::kDotPtr:
      Expr(Deref(k, n, "dot of pointer"), n->x);
      break;
    case Op::kDotType:
      Expr(DotType(k, n->type, n, "dot"), n->x);
      break;
    case Op::kDotType2:
      Expr(DotType(k, n->w->type, n, "dot"), n->x);
      break;
    case Op::kIndexArr:
      Expr(WithNote(k, n, "fixed-array-index-of"), n->x);
      Discard(n->y);
      break;
    case Op::kIndexSlice:
    case Op::kIndexString:
      Expr(Deref(k, n, "dot of pointer"), n->x);
      Discard(n->y);
      break;
    case Op::kIndexMap:
      Discard(n->x);
      Discard(n->y);
      break;
    case Op::kSliceArr:
    case Op::kSliceSlice:
    case Op::kSliceStr:
      Expr(WithNote(k, n, "slice"), n->x);
      Discard(n->y);
      Discard(n->z);
      Discard(n->w);
      break;
    case Op::kConv:
      if (IsUnsafePointer(n->type) && IsUintptr(n->x->type)) {
        UnsafeValue(k, n->x);
      } else {
        Expr(k, n->x);
      }
      break;
    case Op::kSlice2ArrPtr:
      Expr(k, n->x);
      break;
    case Op::kConvIface:
      if (!IsInterface(n->x->type) && !IsDirectIface(n->x->type)) k = Spill(k, n);
      Expr(WithNote(k, n, "interface-converted"), n->x);
      break;
    case Op::kRecv:
      Discard(n->x);
      break;
    case Op::kCallFunc:
    case Op::kCallInter:
    case Op::kCallMeth:
    case Op::kLen:
    case Op::kCap:
    case Op::kComplex:
    case Op::kReal:
    case Op::kImag:
    case Op::kAppend:
    case Op::kCopy:
    case Op::kRecover:
    case Op::kUnsafeAdd:
    case Op::kUnsafeSlice: {
      std::vector<Hole> ks{k};
      Call(&ks, n, nullptr);
      break;
    }
    case Op::kNew:
      Spill(k, n);
      break;
    case Op::kMakeSlice:
      Spill(k, n);
      Discard(n->x);
      Discard(n->y);
      break;
    case Op::kMakeChan:
      Discard(n->x);
      break;
    case Op::kMakeMap:
      Spill(k, n);
      Discard(n->x);
      break;
    case Op::kMethValue: {
      // The receiver flows to the closure and to the method's receiver
      // parameter; results of a later call are assumed to go to the heap.
      Hole closure_k = Spill(k, n);
      const Type* sig = n->type;
      std::vector<Hole> ks;
      for (size_t i = 0; i < sig->results.size(); ++i) ks.push_back(HeapHole());
      Hole param_k =
          n->implicit || n->fn == nullptr ? HeapHole() : TagHole(&ks, n->fn, n->fn->recv, -1);
      Expr(TeeHole({param_k, closure_k}), n->x);
      break;
    }
    case Op::kPtrLit:
      Expr(Spill(k, n), n->x);
      break;
    case Op::kArrayLit:
      for (Node* e : n->list)
        Expr(WithNote(k, n, "array literal element"), e->op == Op::kKey ? e->y : e);
      break;
    case Op::kSliceLit:
      k = Spill(k, n);
      for (Node* e : n->list)
        Expr(WithNote(k, n, "slice-literal-element"), e->op == Op::kKey ? e->y : e);
      break;
    case Op::kStructLit:
      for (Node* e : n->list) Expr(WithNote(k, n, "struct literal element"), e->x);
      break;
    case Op::kMapLit:
      Spill(k, n);
      // Map keys and values are always stored in the heap.
      for (Node* e : n->list) {
        AssignHeap(e->x, "map literal key", n);
        AssignHeap(e->y, "map literal value", n);
      }
      break;
    case Op::kClosure: {
      k = Spill(k, n);
      closures_.push_back(ClosureRec{k, n->fn, {}, false});
      for (Obj* cv : n->fn->closure_vars) {
        Loc* l = OldLoc(cv);
        if (!l->captured) {
          l->captured = true;
          // Reassignments in straight-line code before the first capture
          // do not count.
          if (l->loop_depth == loop_depth_) l->reassigned = false;
        }
      }
      if (n->fn->outer != nullptr) WalkFunc(n->fn);  // hidden closures only
      break;
    }
    case Op::kStr2Bytes:
    case Op::kBytes2Str:
    case Op::kStr2Runes:
    case Op::kRunes2Str:
    case Op::kRuneStr:
      Spill(k, n);
      Discard(n->x);
      break;
    case Op::kAddStr:
      Spill(k, n);
      // Arguments of a string concatenation never escape.
      for (Node* e : n->list) Discard(e);
      break;
    case Op::kDelete:
    case Op::kPanic:
    case Op::kPrint:
    case Op::kPrintln:
    case Op::kClose:
      Call(nullptr, n, nullptr);
      break;
    default:
      break;
  }
}

// A uintptr-typed arithmetic expression converted to unsafe.Pointer: looks
// for the unsafe.Pointer conversions it is computed from.
void Batch::UnsafeValue(Hole k, Node* n) {
  if (n == nullptr) return;
  Stmts(n->init);
  switch (n->op) {
    case Op::kConv:
      if (IsUnsafePointer(n->x->type)) {
        Expr(k, n->x);
      } else {
        Discard(n->x);
      }
      break;
    case Op::kDotPtr:
      if (n->str == "Data" && IsUintptr(n->type)) {
        const Type* t = Under(n->x->type)->elem;
        if (t != nullptr && t->kind == Kind::kNamed && t->pkg == "reflect" &&
            (t->name == "SliceHeader" || t->name == "StringHeader")) {
          Expr(Deref(k, n, "reflect.Header.Data"), n->x);
          break;
        }
      }
      Discard(n->x);
      break;
    case Op::kUnaryOp:
      if (n->str == "!") {
        ExprSkipInit(DiscardHole(), n);
      } else {
        UnsafeValue(k, n->x);
      }
      break;
    case Op::kArith:
      if (n->str == "<<" || n->str == ">>") {
        UnsafeValue(k, n->x);
        Discard(n->y);
      } else if (n->str == "+" || n->str == "-" || n->str == "|" || n->str == "^" ||
                 n->str == "*" || n->str == "/" || n->str == "%" || n->str == "&" ||
                 n->str == "&^") {
        UnsafeValue(k, n->x);
        UnsafeValue(k, n->y);
      } else {
        ExprSkipInit(DiscardHole(), n);
      }
      break;
    default:
      ExprSkipInit(DiscardHole(), n);
  }
}

}  // namespace gclab::escape::goesc
