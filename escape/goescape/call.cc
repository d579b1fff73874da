// Calls (go's escape/call.go): arguments flow through the callee's
// parameter tags (or directly into its parameters within a batch);
// go/defer statements wrap their call in a closure whose arguments are
// evaluated into temporaries first.
#include "escape/goescape/escape.h"
#include "escape/stdlib.h"

namespace gclab::escape::goesc {
namespace {

// Arguments a go/defer wrapper leaves in the call (evaluated by the
// wrapper itself).
bool NeedsWrap(const Node* a) {
  switch (a->op) {
    case Op::kLiteral:
    case Op::kNil:
    case Op::kFuncName:
    case Op::kType:
    case Op::kMethodExpr:
      return false;
    default:
      return true;
  }
}

}  // namespace

// copyExpr/wrapExpr: a temporary holding arg's value, captured by the
// go/defer wrapper if there is one.
Loc* Batch::WrapArg(Node* arg, Pos pos, ClosureRec* wrapper) {
  Loc* tmp = NewLoc(nullptr);
  tmp->tmp = true;
  // typecheck.TempAt: named after the function's declarations so far; at
  // the argument if it has a position of its own (copyExpr), else at `pos`.
  tmp->tmp_name =
      absl::StrCat(".autotmp_", cur_->dcl.size() + static_cast<size_t>(autotmps_[cur_]++));
  tmp->tmp_pos =
      arg->op != Op::kName && arg->op != Op::kFuncName && arg->pos.Known() ? arg->pos : pos;
  tmp->size = arg->type != nullptr ? Size(arg->type) : 8;
  tmp->loop_depth = loop_depth_;  // ODCL tmp; tmp = arg
  Expr(WithNote(AsHole(tmp), arg, "assign"), arg);
  if (wrapper != nullptr) {
    tmp->captured = true;
    wrapper->wrapper_vars.push_back(tmp);
  }
  return tmp;
}

void Batch::Argument(Hole k, Node* arg, Node* call, ClosureRec* wrapper, const Func* fn) {
  if (arg == nullptr) return;
  k = WithNote(k, call, "call parameter");
  // unsafeUintptr: uintptr(p) passed to a function without a body (kept
  // alive) or marked //go:uintptrescapes (p escapes): p goes through a
  // temporary. The uintptr value itself carries nothing.
  bool keep = fn != nullptr && (fn->uintptr_escapes || !fn->has_body);
  auto unsafe_uintptr = [&](Node* a) {
    if (!keep || a->op != Op::kConv || !IsUintptr(a->type) || !IsUnsafePointer(a->x->type))
      return false;
    Loc* tmp = WrapArg(a->x, a->pos, wrapper);
    if (fn->uintptr_escapes) Flow(WithNote(HeapHole(), a, "//go:uintptrescapes"), tmp);
    return true;
  };
  if (arg->op != Op::kSliceLit && unsafe_uintptr(arg)) return;
  if (wrapper == nullptr && !(keep && arg->op == Op::kSliceLit)) {
    Expr(k, arg);
    return;
  }
  if (arg->op == Op::kSliceLit) {
    // Slice literals are peeled so their elements can stay on the new
    // goroutine's stack.
    std::vector<Loc*> tmps;
    std::vector<bool> done;
    for (Node* e : arg->list) {
      Node* v = e->op == Op::kKey ? e->y : e;
      done.push_back(unsafe_uintptr(v));
      tmps.push_back(!done.back() && wrapper != nullptr && NeedsWrap(v)
                         ? WrapArg(v, arg->pos, wrapper)
                         : nullptr);
    }
    if (k.derefs >= 0 && !HasPointers(arg->type)) k.dst = &blank_;
    Hole lk = Spill(k, arg);
    for (size_t i = 0; i < arg->list.size(); ++i) {
      if (done[i]) continue;
      Node* v = arg->list[i]->op == Op::kKey ? arg->list[i]->y : arg->list[i];
      Hole ek = WithNote(lk, arg, "slice-literal-element");
      if (tmps[i] != nullptr) {
        if (ek.derefs >= 0 && v->type != nullptr && !HasPointers(v->type)) ek.dst = &blank_;
        Flow(ek, tmps[i]);
      } else {
        Expr(ek, v);
      }
    }
    return;
  }
  if (!NeedsWrap(arg)) {
    Expr(k, arg);
    return;
  }
  Loc* tmp = WrapArg(arg, call->pos, wrapper);
  if (k.derefs >= 0 && arg->type != nullptr && !HasPointers(arg->type)) k.dst = &blank_;
  Flow(k, tmp);
}

Hole Batch::TagHole(std::vector<Hole>* ks, Func* fn, Obj* param, int index) {
  if (fn == nullptr) return HeapHole();
  if (InMutualBatch(fn)) {
    if (param == nullptr || param->name.empty() || param->name == "_") return DiscardHole();
    return AsHole(OldLoc(param));
  }
  Leaks esc;
  // go tags a parameter without pointers "" ("don't bother tagging for
  // scalars"), which a call reads as "leaks to the heap": it matters when
  // the argument has pointers, as &t for the receiver of (*T).M with a
  // value method M of a scalar type T.
  const Type* pt = index < 0 ? (fn->recv != nullptr ? fn->recv->type : nullptr)
                   : fn->sig != nullptr && index < static_cast<int>(fn->sig->fields.size())
                       ? fn->sig->fields[index].type
                       : nullptr;
  if (pt != nullptr && !HasPointers(pt)) {
    esc.SetHeap(0);
  } else if (fn->external) {
    int ti = fn->recv != nullptr ? index + 1 : index;
    if (ti >= 0 && ti < static_cast<int>(fn->ext_tags.size())) {
      bool ok = true;
      ParamTag t = ParseTag(fn->ext_tags[ti], static_cast<int>(fn->sig->results.size()), &ok);
      if (!ok) t.heap = 0;
      if (t.heap >= 0) esc.SetHeap(t.heap);
      for (size_t i = 0; i < t.results.size() && i < kNumEscResults; ++i)
        if (t.results[i] >= 0) esc.SetResult(static_cast<int>(i), t.results[i]);
    } else {
      esc.SetHeap(0);  // no tag: assume it leaks
    }
  } else if (param != nullptr) {
    auto it = s_->tags.find(param);
    if (it != s_->tags.end()) esc = it->second;
  }
  std::vector<Hole> tag_ks;
  if (esc.Heap() >= 0) tag_ks.push_back(Shift(HeapHole(), esc.Heap()));
  if (ks != nullptr) {
    for (int i = 0; i < kNumEscResults; ++i)
      if (esc.Result(i) >= 0 && i < static_cast<int>(ks->size()))
        tag_ks.push_back(Shift((*ks)[i], esc.Result(i)));
  }
  return TeeHole(tag_ks);
}

void Batch::Call(std::vector<Hole>* ks, Node* call, ClosureRec* wrapper) {
  switch (call->op) {
    case Op::kCallFunc:
    case Op::kCallInter:
    case Op::kCallMeth: {
      if (call->op == Op::kCallInter) {
        if (const Devirt* dv = s_->devirt.Find(call)) {
          Call(ks, dv->call, wrapper);
          return;
        }
      }
      Func* fn = nullptr;
      Node* callee = nullptr;  // evaluated into the discard hole
      Node* recv = nullptr;    // receiver argument
      size_t first_arg = 0;
      if (call->op == Op::kCallFunc) {
        fn = s_->devirt.StaticCallee(call->x, cur_);
        callee = call->x;
        Node* sv = s_->devirt.StaticValue(call->x, cur_);
        if (sv != nullptr && sv->op == Op::kMethodExpr && fn != nullptr) {
          // A method expression: the receiver is the first argument.
          recv = call->list.empty() ? nullptr : call->list[0];
          first_arg = 1;
        }
      } else if (call->op == Op::kCallMeth) {
        fn = call->fn;
        recv = call->list.empty() ? nullptr : call->list[0];
        first_arg = 1;
      } else {
        recv = call->x->x;  // interface (or dictionary) method receiver
      }
      const Type* fntype = nullptr;
      if (fn != nullptr && fn->sig != nullptr) {
        fntype = fn->sig;
      } else if (call->x != nullptr && call->x->type != nullptr) {
        fntype = Under(call->x->type);
      }
      if (ks != nullptr && fn != nullptr && InMutualBatch(fn)) {
        for (size_t i = 0; i < fn->results.size() && i < ks->size(); ++i)
          Flow((*ks)[i], OldLoc(fn->results[i]));
      }
      if (callee != nullptr) Argument(DiscardHole(), callee, call, wrapper);
      if (recv != nullptr || call->op != Op::kCallFunc) {
        Obj* rp = fn != nullptr ? fn->recv : nullptr;
        Argument(TagHole(ks, fn, rp, -1), recv, call, wrapper, fn);
      }
      if (fntype == nullptr || fntype->kind != Kind::kFunc) {
        for (size_t i = first_arg; i < call->list.size(); ++i)
          Argument(HeapHole(), call->list[i], call, wrapper);
        break;
      }
      for (size_t i = 0; i < fntype->fields.size(); ++i) {
        Obj* param = fn != nullptr && i < fn->params.size() ? fn->params[i] : nullptr;
        Node* a = first_arg + i < call->list.size() ? call->list[first_arg + i] : nullptr;
        Argument(TagHole(ks, fn, param, static_cast<int>(i)), a, call, wrapper, fn);
      }
      break;
    }
    case Op::kAppend: {
      // The appendee may flow to the result directly, or its elements to a
      // new heap array.
      Hole appendee = ks != nullptr ? (*ks)[0] : DiscardHole();
      if (HasPointers(Under(call->list[0]->type)->elem))
        appendee = TeeHole({appendee, Deref(HeapHole(), call, "appendee slice")});
      Argument(appendee, call->list[0], call, wrapper);
      if (call->ddd) {
        Hole appended = DiscardHole();
        const Type* t = call->list[1]->type;
        if (IsSlice(t) && HasPointers(Under(t)->elem))
          appended = Deref(HeapHole(), call, "appended slice...");
        Argument(appended, call->list[1], call, wrapper);
      } else {
        for (size_t i = 1; i < call->list.size(); ++i)
          Argument(HeapHole(), call->list[i], call, wrapper);
      }
      break;
    }
    case Op::kCopy: {
      Argument(DiscardHole(), call->x, call, wrapper);
      Hole copied = DiscardHole();
      if (IsSlice(call->y->type) && HasPointers(Under(call->y->type)->elem))
        copied = Deref(HeapHole(), call, "copied slice");
      Argument(copied, call->y, call, wrapper);
      break;
    }
    case Op::kPanic:
      Argument(HeapHole(), call->x, call, wrapper);
      break;
    case Op::kComplex:
      Argument(DiscardHole(), call->x, call, wrapper);
      Argument(DiscardHole(), call->y, call, wrapper);
      break;
    case Op::kDelete:
    case Op::kPrint:
    case Op::kPrintln:
    case Op::kRecover:
      for (Node* a : call->list) Argument(DiscardHole(), a, call, wrapper);
      break;
    case Op::kLen:
    case Op::kCap:
    case Op::kReal:
    case Op::kImag:
    case Op::kClose:
      Argument(DiscardHole(), call->x, call, wrapper);
      break;
    case Op::kUnsafeAdd:
    case Op::kUnsafeSlice:
      Argument(ks != nullptr ? (*ks)[0] : DiscardHole(), call->x, call, wrapper);
      Argument(DiscardHole(), call->y, call, wrapper);
      break;
    default:
      break;
  }
}

void Batch::GoDefer(Node* n) {
  Hole k = HeapHole();
  // Top-level defers do not escape, but must last until they run.
  if (n->op == Op::kDeferStmt && loop_depth_ == 1) k = Later(DiscardHole());
  Node* call = n->x;
  Stmts(call->init);
  if (call->op == Op::kCallFunc) {
    const Type* sig = Under(call->x->type);
    if (sig->kind == Kind::kFunc && sig->fields.empty() && sig->results.empty()) {
      Expr(k, call->x);
      return;
    }
  }
  ClosureRec rec;
  rec.is_wrapper = true;
  Call(nullptr, call, &rec);
  Loc* clo = NewLoc(nullptr);
  clo->wrapper = true;
  Flow(Addr(k, n, "spill"), clo);
  rec.k = AsHole(clo);
  closures_.push_back(rec);
}

}  // namespace gclab::escape::goesc
