#include "escape/go_escape.h"

#include <array>
#include <deque>
#include <map>
#include <set>
#include <unordered_map>

#include "absl/strings/str_cat.h"
#include "escape/diagnostics.h"
#include "escape/stdlib.h"

namespace gclab::escape {
namespace {

constexpr int kNumEscResults = 7;

// Go's leaks encoding: element 0 is the heap, 1..7 the results; value is
// derefs+1 (0 = no leak), saturating at 255.
struct Leaks {
  std::array<uint8_t, 1 + kNumEscResults> v{};
  int Get(int i) const { return static_cast<int>(v[i]) - 1; }
  void Set(int i, int derefs) { v[i] = static_cast<uint8_t>(std::min(derefs + 1, 255)); }
  void Add(int i, int derefs) {
    int old = Get(i);
    if (old < 0 || derefs < old) Set(i, derefs);
  }
  int Heap() const { return Get(0); }
  int Result(int i) const { return Get(1 + i); }
  bool Empty() const {
    for (uint8_t x : v)
      if (x) return false;
    return true;
  }
  void Optimize() {
    int x = Heap();
    if (x >= 0)
      for (int i = 0; i < kNumEscResults; ++i)
        if (Result(i) >= x) v[1 + i] = 0;
  }
};

struct Note {
  const Node* where;
  const char* why;
  const Note* next;
};

struct Loc;
struct Edge {
  Loc* src;
  int derefs;
  const Note* notes;
};

struct Loc {
  const Node* n = nullptr;  // allocation expression
  Obj* var = nullptr;       // variable
  bool wrapper = false;     // go/defer wrapper closure (no diagnostic)
  bool tmp = false;         // compiler temporary
  Func* curfn = nullptr;
  std::vector<Edge> edges;
  int loop_depth = 0;
  int result_index = 0;
  int derefs = 0;
  uint32_t walkgen = 0;
  Loc* dst = nullptr;
  int dst_edge_idx = 0;
  bool queued = false;
  bool escapes = false;
  bool captured = false;
  bool reassigned = false;
  bool addrtaken = false;
  Leaks param_esc;
  int64_t size = 0;  // for closure capture decisions (variables)
  std::string reason;
  bool IsParam() const { return var != nullptr && var->cls == VarClass::kParam; }
  bool IsResult() const { return var != nullptr && var->cls == VarClass::kParamOut; }
};

struct Hole {
  Loc* dst = nullptr;
  int derefs = 0;
  const Note* notes = nullptr;
  bool addrtaken = false;
};

struct ClosureRec {
  Hole k;
  Func* fn;
  std::vector<Loc*> wrapper_vars;  // for go/defer wrappers
  bool is_wrapper = false;
};

enum FuncState { kUnknown = 0, kPlanned, kStarted, kTagged };

bool ContainsClosure(const Func* f, const Func* c) {
  if (f == c || c->outer == nullptr) return false;
  for (const Func* p = c->outer; p != nullptr; p = p->outer)
    if (p == f) return true;
  return false;
}

class GoAnalysis : public EscapeAnalysis {
 public:
  std::string Name() const override { return "go"; }

  AnalysisResult Analyze(const Program& prog, const AnalysisOptions& opts) override {
    prog_ = &prog;
    opts_ = opts;
    result_ = AnalysisResult{};
    result_.fully_supported = prog.unsupported.empty();
    state_.clear();
    tags_.clear();
    devirt_.clear();
    print_subs_.clear();
    synth_.clear();
    reassigned_cache_.clear();
    for (Func* f : prog.funcs)
      if (!f->external && f->outer == nullptr) Devirtualize(f);
    node_decision_.clear();
    var_decision_.clear();
    VisitFuncsBottomUp();
    BuildSites();
    CountSites(&result_);
    return std::move(result_);
  }

 private:
  // ------------------------------------------------------------ SCCs
  void VisitFuncsBottomUp() {
    node_id_.clear();
    visitgen_ = 0;
    stack_.clear();
    for (Func* f : prog_->funcs) {
      if (f->external || f->outer != nullptr) continue;
      Visit(f);
    }
  }

  uint32_t Visit(Func* f) {
    auto it = node_id_.find(f);
    if (it != node_id_.end() && it->second > 0) return it->second;
    uint32_t id = ++visitgen_;
    node_id_[f] = id;
    uint32_t min = ++visitgen_;
    stack_.push_back(f);
    auto do_fn = [&](Func* g) {
      if (g == nullptr || g->external) return;
      uint32_t m = Visit(g);
      if (m < min) min = m;
    };
    if (f->body != nullptr) VisitRefs(f->body, do_fn);
    if ((min == id || min == id + 1) && f->outer == nullptr) {
      size_t i = stack_.size();
      while (i > 0) {
        --i;
        node_id_[stack_[i]] = ~uint32_t{0};
        if (stack_[i] == f) break;
      }
      std::vector<Func*> block(stack_.begin() + i, stack_.end());
      stack_.resize(i);
      Batch(block);
    }
    return min;
  }

  template <typename F>
  void VisitRefs(Node* n, F& do_fn) {
    if (n == nullptr) return;
    switch (n->op) {
      case Op::kFuncName:
        do_fn(n->fn);
        break;
      case Op::kCallMeth:
      case Op::kMethValue:
        if (n->fn) do_fn(n->fn);
        break;
      case Op::kClosure:
        do_fn(n->fn);
        return;  // closure bodies are not children
      case Op::kCallInter: {
        auto it = devirt_.find(n);
        if (it != devirt_.end()) do_fn(it->second.method);
        break;
      }
      default:
        break;
    }
    for (Node* c : n->init) VisitRefs(c, do_fn);
    VisitRefs(n->x, do_fn);
    VisitRefs(n->y, do_fn);
    VisitRefs(n->z, do_fn);
    if (n->op != Op::kCompositeLit && n->op != Op::kStructLit) VisitRefs(n->w, do_fn);
    for (Node* c : n->list) VisitRefs(c, do_fn);
    for (Node* c : n->list2) VisitRefs(c, do_fn);
  }

  // ------------------------------------------------------------ batch
  void Batch(const std::vector<Func*>& fns) {
    locs_.clear();
    loc_of_.clear();
    closures_.clear();
    notes_.clear();
    heap_ = Loc{};
    heap_.escapes = true;
    blank_ = Loc{};
    for (Func* f : fns) InitFunc(f);
    for (Func* f : fns)
      if (f->outer == nullptr) WalkFunc(f);
    for (ClosureRec& c : closures_) FlowClosure(c);
    closures_.clear();
    for (auto& l : locs_) {
      std::string why = HeapAllocReason(l.get());
      if (!why.empty()) {
        Hole k = Addr(HeapHole(), l->n, why.c_str());
        if (l->reason.empty()) l->reason = why;
        Flow(k, l.get());
      }
    }
    WalkAll();
    Finish(fns);
  }

  void InitFunc(Func* f) {
    state_[f] = kPlanned;
    cur_ = f;
    loop_depth_ = 1;
    for (Obj* o : f->dcl) NewVarLoc(o);
    for (Obj* r : f->results) OldLoc(r)->result_index = r->result_index;
  }

  Loc* NewLoc(const Node* n, bool /*transient*/) {
    locs_.push_back(std::make_unique<Loc>());
    Loc* l = locs_.back().get();
    l->n = n;
    l->curfn = cur_;
    l->loop_depth = loop_depth_;
    return l;
  }
  Loc* NewVarLoc(Obj* o) {
    Loc* l = NewLoc(nullptr, false);
    l->var = o;
    l->size = Size(o->type);
    loc_of_[o] = l;
    return l;
  }
  Loc* OldLoc(Obj* o) {
    auto it = loc_of_.find(o);
    if (it != loc_of_.end()) return it->second;
    // A variable of a function outside this batch cannot be referenced;
    // be robust anyway.
    return NewVarLoc(o);
  }

  Hole HeapHole() { return Hole{&heap_}; }
  Hole DiscardHole() { return Hole{&blank_}; }
  Hole AsHole(Loc* l) { return Hole{l}; }

  const Note* MkNote(const Note* next, const Node* where, const char* why) {
    if (opts_.explain_line == 0) return next;
    notes_.push_back(Note{where, why, next});
    return &notes_.back();
  }
  Hole WithNote(Hole k, const Node* where, const char* why) {
    k.notes = MkNote(k.notes, where, why);
    return k;
  }
  Hole Shift(Hole k, int delta) {
    k.derefs += delta;
    k.addrtaken = delta < 0;
    return k;
  }
  Hole Deref(Hole k, const Node* where, const char* why) {
    return WithNote(Shift(k, 1), where, why);
  }
  Hole Addr(Hole k, const Node* where, const char* why) {
    return WithNote(Shift(k, -1), where, why);
  }
  Hole DotType(Hole k, const Type* t, const Node* where, const char* why) {
    if (!IsInterface(t) && !IsDirectIface(t)) k = Shift(k, 1);
    return WithNote(k, where, why);
  }

  void Flow(Hole k, Loc* src) {
    if (k.addrtaken) src->addrtaken = true;
    Loc* dst = k.dst;
    if (dst == &blank_) return;
    if (dst == src && k.derefs >= 0) return;
    if (dst->escapes && k.derefs < 0) {
      if (!src->escapes && src->reason.empty()) src->reason = "address flows to the heap";
      src->escapes = true;
      return;
    }
    dst->edges.push_back(Edge{src, k.derefs, k.notes});
  }

  Hole TeeHole(const std::vector<Hole>& ks) {
    if (ks.empty()) return DiscardHole();
    if (ks.size() == 1) return ks[0];
    Loc* l = NewLoc(nullptr, true);
    for (const Hole& k : ks) Flow(k, l);
    return AsHole(l);
  }
  Hole Later(Hole k) {
    Loc* l = NewLoc(nullptr, false);
    Flow(k, l);
    return AsHole(l);
  }
  Hole Spill(Hole k, const Node* n) {
    Loc* l = NewLoc(n, true);
    Flow(Addr(k, n, "spill"), l);
    return AsHole(l);
  }

  // ------------------------------------------------------------ walk
  void WalkFunc(Func* f) {
    Func* saved_cur = cur_;
    int saved_depth = loop_depth_;
    auto saved_labels = labels_;
    cur_ = f;
    loop_depth_ = 1;
    labels_.clear();
    state_[f] = kStarted;
    // Label pre-pass: a label is "looping" if a goto to it follows it.
    LabelPass(f->body);
    if (f->unsupported) {
      // Conservative: every parameter leaks to the heap.
      for (Obj* p : f->params)
        if (p != nullptr) Flow(HeapHole(), OldLoc(p));
      if (f->recv) Flow(HeapHole(), OldLoc(f->recv));
      for (Obj* r : f->results) Flow(HeapHole(), OldLoc(r));
    } else {
      Block(f->body->list);
    }
    labels_ = saved_labels;
    cur_ = saved_cur;
    loop_depth_ = saved_depth;
  }

  void LabelPass(Node* n) {
    if (n == nullptr) return;
    if (n->op == Op::kClosure) return;
    if (n->op == Op::kLabel) labels_[n->str] = 2;  // nonlooping
    if (n->op == Op::kGoto) {
      auto it = labels_.find(n->str);
      if (it != labels_.end() && it->second == 2) it->second = 1;  // looping
    }
    for (Node* c : n->init) LabelPass(c);
    LabelPass(n->x);
    LabelPass(n->y);
    LabelPass(n->z);
    if (n->op != Op::kStructLit && n->op != Op::kTypeSwitchStmt) LabelPass(n->w);
    for (Node* c : n->list) LabelPass(c);
    for (Node* c : n->list2) LabelPass(c);
  }

  void Block(const std::vector<Node*>& l) {
    int old = loop_depth_;
    for (Node* s : l) Stmt(s);
    loop_depth_ = old;
  }
  void Stmts(const std::vector<Node*>& l) {
    for (Node* s : l) Stmt(s);
  }

  Hole Dcl(Obj* o) {
    Loc* l = OldLoc(o);
    l->loop_depth = loop_depth_;
    return AsHole(l);
  }

  void Stmt(Node* n) {
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
        break;
      case Op::kBlockStmt:
        Stmts(n->list);
        break;
      case Op::kIfStmt:
        Discard(n->x);
        Block(n->y ? n->y->list : std::vector<Node*>{});
        if (n->z) Block(n->z->list);
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
        Loc* tmp = NewLoc(nullptr, false);
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
          Hole k = Dcl(c->obj);
          if (HasPointers(c->obj->type)) ks.push_back(DotType(k, c->obj->type, c, "switch case"));
        }
        Expr(TeeHole(ks), n->x);
        for (Node* c : n->list) Block(c->list2);
        break;
      }
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
      case Op::kAs2Func: {
        std::vector<Hole> ks;
        for (Node* l : n->list) ks.push_back(AddrOf(l));
        Call(&ks, n->x, nullptr, nullptr);
        Reassigned(ks, n);
        break;
      }
      case Op::kReturnStmt: {
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
        Call(nullptr, n->x, nullptr, nullptr);
        break;
      case Op::kGoStmt:
      case Op::kDeferStmt:
        GoDefer(n);
        break;
      case Op::kUnsupported:
        break;
      default:
        break;
    }
  }

  // The hole for assigning to `n`.
  Hole AddrOf(Node* n) {
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

  void AssignHeap(Node* src, const char* why, const Node* where) {
    Expr(WithNote(HeapHole(), where, why), src);
  }

  void AssignList(const std::vector<Node*>& dsts, const std::vector<Node*>& srcs, const char* why,
                  Node* where) {
    std::vector<Hole> ks;
    for (Node* d : dsts) ks.push_back(AddrOf(d));
    for (size_t i = 0; i < ks.size(); ++i) {
      Node* src = i < srcs.size() ? srcs[i] : nullptr;
      Hole k = ks[i];
      if (dsts[i] != nullptr && src != nullptr && IsSelfAssign(dsts[i], src)) {
        Diag(where->pos,
             absl::StrCat(cur_->name, " ignoring self-assignment in ", ExprString(dsts[i]),
                          where->op == Op::kAsOp ? absl::StrCat(" ", where->str, "= ") : " = ",
                          ExprString(src)));
        k = DiscardHole();
      }
      Expr(WithNote(k, where, why), src);
    }
    Reassigned(ks, where);
  }

  void Reassigned(const std::vector<Hole>& ks, Node* where) {
    if (where->op == Op::kAs && where->y == nullptr && where->x->op == Op::kName &&
        where->x->obj != nullptr && where->x->obj->defn == nullptr)
      return;
    for (const Hole& k : ks) {
      Loc* l = k.dst;
      if (l->var != nullptr && l->var->defn == where && where->op != Op::kRangeStmt) continue;
      if (l->tmp) continue;
      l->reassigned = true;
    }
  }

  static bool SameSafeExpr(const Node* a, const Node* b) {
    a = Unwrap(a);
    b = Unwrap(b);
    if (a == nullptr || b == nullptr || a->op != b->op) return false;
    switch (a->op) {
      case Op::kName:
        return a->obj == b->obj && a->obj != nullptr;
      case Op::kDot:
      case Op::kDotPtr:
        return a->str == b->str && SameSafeExpr(a->x, b->x);
      case Op::kDeref:
        return SameSafeExpr(a->x, b->x);
      case Op::kIndexArr:
      case Op::kIndexSlice:
      case Op::kIndexString:
        return SameSafeExpr(a->x, b->x) && SameSafeExpr(a->y, b->y);
      case Op::kLiteral:
        return a->str == b->str;
      case Op::kConv:
        return SameSafeExpr(a->x, b->x);
      default:
        return false;
    }
  }
  static const Node* Unwrap(const Node* n) { return n; }

  static bool MayAffectMemory(const Node* n) {
    switch (n->op) {
      case Op::kName:
      case Op::kLiteral:
      case Op::kNil:
        return false;
      case Op::kArith:
        return MayAffectMemory(n->x) || MayAffectMemory(n->y);
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

  static bool IsSliceSelfAssign(const Node* dst, const Node* src) {
    const Node* dx = nullptr;
    if (dst->op == Op::kDeref || dst->op == Op::kDotPtr)
      dx = dst->x;
    else
      return false;
    if (dx->op != Op::kName) return false;
    if (src->op == Op::kSliceArr) {
      if (src->x->op == Op::kAddr) return false;
    } else if (src->op != Op::kSliceSlice && src->op != Op::kSliceStr) {
      return false;
    }
    const Node* base = src->x;
    const Node* bx = nullptr;
    if (base->op == Op::kDeref || base->op == Op::kDotPtr)
      bx = base->x;
    else
      return false;
    if (bx->op != Op::kName) return false;
    return dx->obj == bx->obj && dx->obj != nullptr;
  }

  static bool IsSelfAssign(const Node* dst, const Node* src) {
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

  void Discard(Node* n) { Expr(DiscardHole(), n); }

  void Expr(Hole k, Node* n) {
    if (n == nullptr) return;
    Stmts(n->init);
    // Like Go, only the destination becomes blank: derefs and the addrtaken
    // mark still apply (e.g. *&x marks x address-taken).
    if (k.derefs >= 0 && n->type != nullptr && !IsUntyped(n->type) && !HasPointers(n->type))
      k.dst = &blank_;
    if (k.derefs >= 0 && n->type == nullptr && n->op != Op::kNil) k.dst = &blank_;
    switch (n->op) {
      case Op::kLiteral:
      case Op::kNil:
      case Op::kType:
      case Op::kFuncName:
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
        Expr(k, n->x);
        break;
      case Op::kConvIface:
        if (!IsInterface(n->x->type) && !IsDirectIface(n->x->type)) k = Spill(k, n);
        Expr(WithNote(k, n, "interface-converted"), n->x);
        break;
      case Op::kCallFunc:
      case Op::kCallInter:
      case Op::kCallMeth:
      case Op::kLen:
      case Op::kCap:
      case Op::kAppend:
      case Op::kCopy:
      case Op::kRecover: {
        std::vector<Hole> ks{k};
        Call(&ks, n, nullptr, nullptr);
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
      case Op::kMakeMap:
        Spill(k, n);
        Discard(n->x);
        break;
      case Op::kMethValue: {
        Hole closure_k = Spill(k, n);
        const Type* sig = n->type;
        std::vector<Hole> ks;
        for (size_t i = 0; i < sig->results.size(); ++i) ks.push_back(HeapHole());
        Hole param_k =
            n->implicit ? HeapHole() : TagHole(&ks, n->fn, n->fn ? n->fn->recv : nullptr, -1);
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
      case Op::kSliceLit: {
        k = Spill(k, n);
        for (Node* e : n->list)
          Expr(WithNote(k, n, "slice-literal-element"), e->op == Op::kKey ? e->y : e);
        break;
      }
      case Op::kStructLit:
        for (Node* e : n->list) Expr(WithNote(k, n, "struct literal element"), e->x);
        break;
      case Op::kMapLit:
        Spill(k, n);
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
            if (l->loop_depth == loop_depth_) l->reassigned = false;
          }
        }
        WalkFunc(n->fn);
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
        for (Node* e : n->list) Discard(e);
        break;
      case Op::kDelete:
      case Op::kPanic:
      case Op::kPrint:
      case Op::kPrintln:
        Call(nullptr, n, nullptr, nullptr);
        break;
      default:
        break;
    }
  }

  // ---------------------------------------------------- devirtualization
  // Go's devirtualize pass (runs before escape analysis, even with -l): an
  // interface call whose receiver is statically a conversion from a
  // concrete type becomes a static method call on x.(T).
  struct Devirt {
    Func* method = nullptr;
    const Type* typ = nullptr;
    bool deref = false;
  };

  void Devirtualize(Func* f) {
    if (f->body == nullptr || f->unsupported) return;
    std::vector<Func*> closures;
    DevirtScan(f->body, &closures);
    for (Func* c : closures) Devirtualize(c);
  }

  void DevirtScan(Node* n, std::vector<Func*>* closures) {
    if (n == nullptr) return;
    if (n->op == Op::kClosure) {
      closures->push_back(n->fn);
      return;
    }
    for (Node* c : n->init) DevirtScan(c, closures);
    DevirtScan(n->x, closures);
    DevirtScan(n->y, closures);
    DevirtScan(n->z, closures);
    if (n->op == Op::kForStmt || n->op == Op::kRangeStmt) DevirtScan(n->w, closures);
    for (Node* c : n->list) DevirtScan(c, closures);
    for (Node* c : n->list2) DevirtScan(c, closures);
    if (n->op != Op::kCallInter) return;
    Node* r = StaticValue(n->x->x);
    if (r == nullptr || r->op != Op::kConvIface || IsInterface(r->x->type)) return;
    const Type* typ = r->x->type;
    const Type* base = typ;
    bool ptr = false;
    if (typ->kind == Kind::kPointer) {
      base = typ->elem;
      ptr = true;
    }
    if (base->kind != Kind::kNamed) return;
    for (const Method& m : base->methods) {
      if (m.name != n->x->str || m.fn == nullptr) continue;
      Devirt d;
      d.method = m.fn;
      d.typ = typ;
      d.deref = ptr && !m.ptr_recv;
      devirt_[n] = d;
      Diag(n->pos, absl::StrCat("devirtualizing ", ExprString(n->x), " to ", TypeString(typ)));
      // For printing: the static call it becomes, (*T).M(x.(*T), args).
      synth_.emplace_back();
      Node* dt = &synth_.back();
      dt->op = Op::kDotType;
      dt->pos = n->x->pos;
      dt->x = n->x->x;
      dt->type = typ;
      Node* recv = dt;
      if (d.deref) {
        synth_.emplace_back();
        recv = &synth_.back();
        recv->op = Op::kDeref;
        recv->x = dt;
        recv->implicit = true;
        recv->type = typ->elem;
      }
      synth_.emplace_back();
      Node* call = &synth_.back();
      call->op = Op::kCallMeth;
      call->pos = n->pos;
      call->fn = m.fn;
      call->str = m.name;
      call->type = n->type;
      call->list.push_back(recv);
      for (Node* a : n->list) call->list.push_back(a);
      print_subs_[n] = call;
      return;
    }
  }

  // ir.StaticValue: follows single-assignment local variables.
  Node* StaticValue(Node* x) {
    for (int guard = 0; guard < 16 && x != nullptr; ++guard) {
      if (x->op == Op::kConv && !IsInterface(x->type)) {
        x = x->x;
        continue;
      }
      if (x->op != Op::kName || x->obj == nullptr) return x;
      Node* rhs = SingleAssignmentValue(x->obj);
      if (rhs == nullptr) return x;
      x = rhs;
    }
    return x;
  }

  // The value a local is assigned exactly once (by := or = in its
  // definition, never reassigned), or nullptr.
  Node* SingleAssignmentValue(Obj* o) {
    if (o->cls != VarClass::kAuto || o->defn == nullptr) return nullptr;
    Node* d = o->defn;
    Node* rhs = nullptr;
    if (d->op == Op::kAs) {
      rhs = d->y;
    } else if (d->op == Op::kAs2) {
      for (size_t i = 0; i < d->list.size(); ++i)
        if (d->list[i]->obj == o) rhs = d->list2[i];
    } else {
      return nullptr;
    }
    if (rhs == nullptr || IsReassigned(o)) return nullptr;
    return rhs;
  }

  // Static callee of a call, following single-assignment locals.
  Func* StaticCallee(Node* x) {
    for (int guard = 0; guard < 16 && x != nullptr; ++guard) {
      if (x->op == Op::kConv) {
        x = x->x;
        continue;
      }
      if (x->op == Op::kFuncName) return x->fn;
      if (x->op == Op::kClosure) return x->fn;
      if (x->op != Op::kName || x->obj == nullptr) return nullptr;
      Node* rhs = SingleAssignmentValue(x->obj);
      if (rhs == nullptr) return nullptr;
      x = rhs;
    }
    return nullptr;
  }

  // ir.Reassigned: any assignment other than the definition, or &o.
  bool IsReassigned(Obj* o) {
    auto it = reassigned_cache_.find(o);
    if (it != reassigned_cache_.end()) return it->second;
    Func* top = o->curfn;
    bool r = ReassignScan(top->body, o);
    reassigned_cache_[o] = r;
    return r;
  }
  bool ReassignScan(Node* n, Obj* o) {
    if (n == nullptr) return false;
    auto is_o = [&](Node* x) { return x != nullptr && x->op == Op::kName && x->obj == o; };
    switch (n->op) {
      case Op::kAs:
      case Op::kAsOp:
        if (is_o(n->x) && n != o->defn) return true;
        break;
      case Op::kAs2:
      case Op::kAs2Func:
      case Op::kAs2DotType:
      case Op::kAs2MapR:
        for (Node* l : n->list)
          if (is_o(l) && n != o->defn) return true;
        break;
      case Op::kRangeStmt:
        for (Node* l : n->list)
          if (is_o(l)) return true;
        break;
      case Op::kAddr:
        if (is_o(n->x)) return true;
        break;
      case Op::kClosure:
        return ReassignScan(n->fn->body, o);
      default:
        break;
    }
    for (Node* c : n->init)
      if (ReassignScan(c, o)) return true;
    if (ReassignScan(n->x, o) || ReassignScan(n->y, o) || ReassignScan(n->z, o)) return true;
    if (n->op != Op::kStructLit && n->op != Op::kTypeSwitchStmt && n->op != Op::kConv &&
        ReassignScan(n->w, o))
      return true;
    for (Node* c : n->list)
      if (ReassignScan(c, o)) return true;
    for (Node* c : n->list2)
      if (ReassignScan(c, o)) return true;
    return false;
  }

  bool InMutualBatch(Func* f) {
    if (f == nullptr || f->external) return false;
    auto it = state_.find(f);
    return it != state_.end() && it->second != kUnknown && it->second < kTagged;
  }

  // param: the parameter object (or null for unnamed); index: position
  // among recv+params for external tag lookup (-1 = receiver).
  Hole TagHole(std::vector<Hole>* ks, Func* fn, Obj* param, int index) {
    if (fn == nullptr) return HeapHole();
    if (InMutualBatch(fn)) {
      if (param == nullptr || param->name.empty() || param->name == "_") return DiscardHole();
      return AsHole(OldLoc(param));
    }
    Leaks esc;
    if (fn->external) {
      int ti = fn->recv != nullptr ? index + 1 : index;
      if (ti >= 0 && ti < static_cast<int>(fn->ext_tags.size())) {
        ParamTag t = ParseTag(fn->ext_tags[ti], static_cast<int>(fn->sig->results.size()));
        if (t.heap >= 0) esc.Set(0, t.heap);
        for (size_t i = 0; i < t.results.size() && i < kNumEscResults; ++i)
          if (t.results[i] >= 0) esc.Set(1 + i, t.results[i]);
      }
    } else if (param != nullptr) {
      auto it = tags_.find(param);
      if (it != tags_.end()) esc = it->second;
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

  static bool NeedsWrap(const Node* a) {
    switch (a->op) {
      case Op::kLiteral:
      case Op::kNil:
      case Op::kFuncName:
      case Op::kType:
        return false;
      default:
        return true;
    }
  }

  // Copies `arg` into a temporary captured by the go/defer wrapper.
  Loc* WrapArg(Node* arg, ClosureRec* wrapper) {
    Loc* tmp = NewLoc(nullptr, false);
    tmp->tmp = true;
    tmp->size = arg->type ? Size(arg->type) : 8;
    // ODCL tmp; tmp = arg
    tmp->loop_depth = loop_depth_;
    Expr(WithNote(AsHole(tmp), arg, "assign"), arg);
    tmp->captured = true;
    wrapper->wrapper_vars.push_back(tmp);
    return tmp;
  }

  void Argument(Hole k, Node* arg, Node* call, ClosureRec* wrapper) {
    if (arg == nullptr) return;
    k = WithNote(k, call, "call parameter");
    if (wrapper == nullptr) {
      Expr(k, arg);
      return;
    }
    if (arg->op == Op::kSliceLit) {
      std::vector<Loc*> tmps;
      for (Node* e : arg->list) {
        Node* v = e->op == Op::kKey ? e->y : e;
        tmps.push_back(NeedsWrap(v) ? WrapArg(v, wrapper) : nullptr);
      }
      if (k.derefs >= 0 && !HasPointers(arg->type)) k.dst = &blank_;
      Hole lk = Spill(k, arg);
      for (size_t i = 0; i < arg->list.size(); ++i) {
        Node* v = arg->list[i]->op == Op::kKey ? arg->list[i]->y : arg->list[i];
        Hole ek = WithNote(lk, arg, "slice-literal-element");
        if (tmps[i] != nullptr) {
          if (ek.derefs >= 0 && v->type && !HasPointers(v->type)) ek.dst = &blank_;
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
    Loc* tmp = WrapArg(arg, wrapper);
    if (k.derefs >= 0 && arg->type && !HasPointers(arg->type)) k.dst = &blank_;
    Flow(k, tmp);
  }

  void Call(std::vector<Hole>* ks, Node* call, ClosureRec* wrapper, void*) {
    switch (call->op) {
      case Op::kCallFunc:
      case Op::kCallInter:
      case Op::kCallMeth: {
        Func* fn = nullptr;
        if (call->op == Op::kCallFunc) {
          fn = StaticCallee(call->x);
          if (call->x->op == Op::kClosure) call->x->fn->closure_called = true;
        } else if (call->op == Op::kCallMeth) {
          fn = call->fn;
        }
        const Devirt* dv = nullptr;
        if (call->op == Op::kCallInter) {
          auto it = devirt_.find(call);
          if (it != devirt_.end()) {
            dv = &it->second;
            fn = dv->method;
          }
        }
        const Type* fntype =
            fn != nullptr ? fn->sig
                          : Under(call->op == Op::kCallInter ? call->x->type : call->x->type);
        if (ks != nullptr && fn != nullptr && InMutualBatch(fn)) {
          for (size_t i = 0; i < fn->results.size() && i < ks->size(); ++i)
            Flow((*ks)[i], OldLoc(fn->results[i]));
        }
        size_t argi = 0;
        if (call->op == Op::kCallFunc) {
          Argument(DiscardHole(), call->x, call, wrapper);
        } else if (call->op == Op::kCallInter && dv != nullptr) {
          synth_.emplace_back();
          Node* dt = &synth_.back();
          dt->op = Op::kDotType;
          dt->pos = call->x->pos;
          dt->x = call->x->x;
          dt->type = dv->typ;
          Node* recv = dt;
          if (dv->deref) {
            synth_.emplace_back();
            recv = &synth_.back();
            recv->op = Op::kDeref;
            recv->pos = dt->pos;
            recv->x = dt;
            recv->implicit = true;
            recv->type = dv->typ->elem;
          }
          Argument(TagHole(ks, fn, fn->recv, -1), recv, call, wrapper);
        } else if (call->op == Op::kCallInter) {
          // Interface method types have a (fake) receiver: it leaks.
          Argument(HeapHole(), call->x->x, call, wrapper);
        } else {
          Argument(TagHole(ks, fn, fn->recv, -1), call->list[0], call, wrapper);
          argi = 1;
        }
        for (size_t i = 0; i < fntype->fields.size(); ++i) {
          Obj* param = fn != nullptr && i < fn->params.size() ? fn->params[i] : nullptr;
          Node* a = argi + i < call->list.size() ? call->list[argi + i] : nullptr;
          Argument(TagHole(ks, fn, param, static_cast<int>(i)), a, call, wrapper);
        }
        break;
      }
      case Op::kAppend: {
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
      case Op::kDelete:
      case Op::kPrint:
      case Op::kPrintln:
      case Op::kRecover:
        for (Node* a : call->list) Argument(DiscardHole(), a, call, wrapper);
        break;
      case Op::kLen:
      case Op::kCap:
        Argument(DiscardHole(), call->x, call, wrapper);
        break;
      default:
        break;
    }
  }

  void GoDefer(Node* n) {
    Hole k = HeapHole();
    if (n->op == Op::kDeferStmt && loop_depth_ == 1) k = Later(DiscardHole());
    Node* call = n->x;
    if (call->op == Op::kCallFunc) {
      const Type* sig = Under(call->x->type);
      if (sig->fields.empty() && sig->results.empty()) {
        Expr(k, call->x);
        return;
      }
    }
    ClosureRec rec{Hole{}, nullptr, {}, true};
    Call(nullptr, call, &rec, nullptr);
    Loc* clo = NewLoc(nullptr, true);
    clo->wrapper = true;
    Flow(Addr(k, n, "spill"), clo);
    rec.k = AsHole(clo);
    closures_.push_back(rec);
  }

  void FlowClosure(const ClosureRec& c) {
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

  std::string HeapAllocReason(const Loc* l) { return SizeReason(l->n, l->var); }

  // ------------------------------------------------------------ solve
  void WalkAll() {
    std::vector<Loc*> todo;
    auto enqueue = [&](Loc* l) {
      if (!l->queued) {
        todo.push_back(l);
        l->queued = true;
      }
    };
    for (auto& l : locs_) enqueue(l.get());
    enqueue(&heap_);
    uint32_t walkgen = 0;
    while (!todo.empty()) {
      Loc* root = todo.back();
      todo.pop_back();
      root->queued = false;
      ++walkgen;
      WalkOne(root, walkgen, enqueue);
    }
  }

  template <typename E>
  void WalkOne(Loc* root, uint32_t walkgen, E& enqueue) {
    root->walkgen = walkgen;
    root->derefs = 0;
    root->dst = nullptr;
    std::vector<Loc*> todo{root};
    while (!todo.empty()) {
      Loc* l = todo.back();
      todo.pop_back();
      int derefs = l->derefs;
      bool address_of = derefs < 0;
      if (address_of) derefs = 0;
      if (Outlives(root, l)) {
        if (l->IsParam()) LeakTo(l, root, derefs);
        if (address_of && !l->escapes) {
          l->escapes = true;
          if (l->reason.empty()) l->reason = ReasonFor(root);
          if (opts_.explain_line != 0 && LineOf(l) == opts_.explain_line) Explain(root, l);
          enqueue(l);
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

  std::string ReasonFor(const Loc* root) {
    if (root == &heap_ || root->escapes) return "address flows to the heap";
    if (root->IsResult()) return absl::StrCat("address flows to result ", root->var->name);
    if (root->var != nullptr)
      return absl::StrCat("address flows to ", root->var->name, " which outlives it");
    return "address flows to a longer-lived location";
  }

  bool Outlives(const Loc* l, const Loc* other) {
    if (l->escapes) return true;
    if (l->IsResult()) {
      if (ContainsClosure(other->curfn, l->curfn) && l->curfn->closure_called) return false;
      return true;
    }
    if (l->curfn == other->curfn && l->loop_depth < other->loop_depth) return true;
    if (ContainsClosure(l->curfn, other->curfn)) return true;
    return false;
  }

  void LeakTo(Loc* l, const Loc* sink, int derefs) {
    if (!sink->escapes && sink->IsResult() && sink->curfn == l->curfn) {
      int ri = sink->result_index - 1;
      if (ri < kNumEscResults) {
        l->param_esc.Add(1 + ri, derefs);
        return;
      }
    }
    l->param_esc.Add(0, derefs);
  }

  // ------------------------------------------------------------ finish
  void Diag(Pos pos, std::string msg) { result_.diags.push_back(Diagnostic{pos, std::move(msg)}); }

  void Finish(const std::vector<Func*>& fns) {
    SetExprSubstitutions(&print_subs_);
    FinishImpl(fns);
    SetExprSubstitutions(nullptr);
  }

  void FinishImpl(const std::vector<Func*>& fns) {
    for (Func* f : fns) {
      state_[f] = kTagged;
      std::vector<Obj*> ps;
      if (f->recv) ps.push_back(f->recv);
      for (Obj* p : f->params) ps.push_back(p);
      for (Obj* p : ps) TagParam(f, p);
    }
    for (auto& lp : locs_) {
      Loc* l = lp.get();
      if (l->wrapper || l->tmp) continue;
      if (l->var != nullptr) {
        if (l->escapes) {
          Diag(l->var->pos, absl::StrCat("moved to heap: ", l->var->name));
        }
        var_decision_[l->var] = {l->escapes, l->reason};
        continue;
      }
      if (l->n == nullptr) continue;
      std::string s = ExprString(l->n);
      Diag(l->n->pos, absl::StrCat(s, l->escapes ? " escapes to heap" : " does not escape"));
      node_decision_[l->n] = {l->escapes, l->reason};
    }
  }

  // The per-site data, over the same site list as the other analyses.
  void BuildSites() {
    for (const SiteRef& r : CollectSites(*prog_)) {
      AllocSite s;
      s.file = prog_->filename;
      Pos p = r.var ? r.var->pos : r.node->pos;
      s.line = p.line;
      s.col = p.col;
      s.kind = r.var ? SiteKind::kVariable : KindOf(r.node);
      s.what = r.var ? r.var->name : ExprString(r.node);
      std::pair<bool, std::string> d{false, ""};
      if (r.var) {
        auto it = var_decision_.find(r.var);
        if (it != var_decision_.end()) d = it->second;
      } else {
        auto it = node_decision_.find(r.node);
        if (it != node_decision_.end())
          d = it->second;
        else if (r.fn != nullptr && r.fn->unsupported)
          d = {true, "in an unsupported function"};
      }
      s.decision = d.first ? Decision::kHeap : Decision::kStack;
      s.reason = d.first ? (d.second.empty() ? "escapes" : d.second) : "does not escape";
      result_.sites.push_back(s);
    }
  }

  void TagParam(Func* f, Obj* p) {
    if (!HasPointers(p->type)) return;
    if (p->name.empty() || p->name == "_") {
      tags_[p] = Leaks{};
      return;
    }
    Loc* l = OldLoc(p);
    Leaks esc = l->param_esc;
    esc.Optimize();
    tags_[p] = esc;
    if (l->escapes) return;
    if (esc.Empty()) Diag(p->pos, absl::StrCat(p->name, " does not escape"));
    int x = esc.Heap();
    if (x >= 0) {
      if (x == 0)
        Diag(p->pos, absl::StrCat("leaking param: ", p->name));
      else
        Diag(p->pos, absl::StrCat("leaking param content: ", p->name));
    }
    for (int i = 0; i < kNumEscResults; ++i) {
      int r = esc.Result(i);
      if (r >= 0 && i < static_cast<int>(f->results.size()))
        Diag(p->pos, absl::StrCat("leaking param: ", p->name, " to result ", f->results[i]->name,
                                  " level=", r));
    }
  }

  // ------------------------------------------------------------ explain
  int LineOf(const Loc* l) {
    if (l->var) return l->var->pos.line;
    if (l->n) return l->n->pos.line;
    return 0;
  }
  std::string LocName(const Loc* l) {
    if (l == &heap_) return "{heap}";
    if (l->var) return l->var->name;
    if (l->n) return absl::StrCat("{storage for ", ExprString(l->n), "}");
    return "{temp}";
  }
  void Explain(const Loc* root, const Loc* src) {
    std::string out = absl::StrCat(
        prog_->filename, ":", LineOf(src), ":", src->var ? src->var->pos.col : src->n->pos.col,
        ": ", src->var ? src->var->name : ExprString(src->n), " escapes to heap:\n");
    int guard = 0;
    for (const Loc* l = src; l->dst != nullptr && guard < 64; l = l->dst, ++guard) {
      const Edge& e = l->dst->edges[l->dst_edge_idx];
      std::string ops = e.derefs < 0 ? "&" : std::string(std::max(0, e.derefs), '*');
      absl::StrAppend(&out, "  flow: ", LocName(l->dst), " = ", ops, LocName(l), ":\n");
      for (const Note* nt = e.notes; nt != nullptr; nt = nt->next) {
        if (nt->where != nullptr)
          absl::StrAppend(&out, "    from ", ExprString(nt->where), " (", nt->why, ") at ",
                          prog_->filename, ":", nt->where->pos.line, ":", nt->where->pos.col, "\n");
        else
          absl::StrAppend(&out, "    (", nt->why, ")\n");
      }
      if (l->dst == root) break;
    }
    result_.explanations.push_back({LineOf(src), out});
  }

  const Program* prog_ = nullptr;
  AnalysisOptions opts_;
  AnalysisResult result_;
  std::map<Func*, int> state_;
  std::unordered_map<Obj*, Leaks> tags_;
  std::unordered_map<Func*, uint32_t> node_id_;
  uint32_t visitgen_ = 0;
  std::vector<Func*> stack_;
  std::vector<std::unique_ptr<Loc>> locs_;
  std::unordered_map<Obj*, Loc*> loc_of_;
  std::unordered_map<Obj*, bool> reassigned_cache_;
  std::vector<ClosureRec> closures_;
  std::deque<Note> notes_;
  std::deque<Node> synth_;
  std::unordered_map<const Node*, Devirt> devirt_;
  std::unordered_map<const Node*, const Node*> print_subs_;
  std::unordered_map<const Node*, std::pair<bool, std::string>> node_decision_;
  std::unordered_map<const Obj*, std::pair<bool, std::string>> var_decision_;
  Loc heap_;
  Loc blank_;
  Func* cur_ = nullptr;
  int loop_depth_ = 1;
  std::map<std::string, int> labels_;
};

}  // namespace

std::unique_ptr<EscapeAnalysis> NewGoEscapeAnalysis() { return std::make_unique<GoAnalysis>(); }

}  // namespace gclab::escape
