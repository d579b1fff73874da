// The two baseline analyses: all_heap (no escape analysis) and a cheap,
// sound intraprocedural analysis.
#include <map>
#include <set>

#include "absl/strings/str_cat.h"
#include "escape/analysis.h"
#include "escape/diagnostics.h"

namespace gclab::escape {
namespace {

AllocSite MakeSite(const Program& prog, const SiteRef& s, Decision d, std::string reason) {
  AllocSite a;
  a.file = prog.filename;
  Pos p = s.var ? s.var->pos : s.node->pos;
  a.line = p.line;
  a.col = p.col;
  a.kind = s.var ? SiteKind::kVariable : KindOf(s.node);
  a.what = s.var ? s.var->name : ExprString(s.node);
  a.decision = d;
  a.reason = std::move(reason);
  return a;
}

void AddDiag(AnalysisResult* r, const AllocSite& a) {
  std::string msg =
      a.kind == SiteKind::kVariable
          ? (a.decision == Decision::kHeap ? "moved to heap: " + a.what : "")
          : a.what + (a.decision == Decision::kHeap ? " escapes to heap" : " does not escape");
  if (!msg.empty()) r->diags.push_back(Diagnostic{{a.line, a.col}, msg});
}

class AllHeap : public EscapeAnalysis {
 public:
  std::string Name() const override { return "all_heap"; }
  AnalysisResult Analyze(const Program& prog, const AnalysisOptions&) override {
    AnalysisResult r;
    r.fully_supported = prog.unsupported.empty();
    for (const SiteRef& s : CollectSites(prog)) {
      r.sites.push_back(MakeSite(prog, s, Decision::kHeap, "no escape analysis"));
      AddDiag(&r, r.sites.back());
    }
    CountSites(&r);
    return r;
  }
};

// Per function: a value escapes if it is returned, passed to any call,
// stored anywhere but a local variable, captured by a closure, or stored in
// a local variable that itself escapes. Sound, but without summaries.
class Intraprocedural : public EscapeAnalysis {
 public:
  std::string Name() const override { return "intraprocedural"; }

  AnalysisResult Analyze(const Program& prog, const AnalysisOptions&) override {
    AnalysisResult r;
    r.fully_supported = prog.unsupported.empty();
    flows_.clear();
    escaping_.clear();
    for (Func* f : prog.funcs) {
      if (f->external || f->body == nullptr) continue;
      cur_ = f;
      if (f->unsupported) {
        for (Obj* o : f->dcl) escaping_.insert(o);
      }
      Stmt(f->body);
    }
    // Propagate: anything flowing into an escaping key escapes.
    std::vector<const void*> work(escaping_.begin(), escaping_.end());
    while (!work.empty()) {
      const void* k = work.back();
      work.pop_back();
      for (const void* src : flows_[k])
        if (escaping_.insert(src).second) work.push_back(src);
    }
    for (const SiteRef& s : CollectSites(prog)) {
      const void* key = s.var ? static_cast<const void*>(AddrKey(s.var)) : s.node;
      bool esc = escaping_.count(key) > 0 || (s.var && s.var->cls == VarClass::kExtern);
      std::string size = SizeReason(s.node, s.var);
      r.sites.push_back(
          MakeSite(prog, s, esc || !size.empty() ? Decision::kHeap : Decision::kStack,
                   !size.empty() ? size
                   : esc         ? "value stored outside the frame, returned or passed to a call"
                                 : "does not escape"));
      AddDiag(&r, r.sites.back());
    }
    CountSites(&r);
    return r;
  }

 private:
  // Distinct key for "the address of variable o".
  const void* AddrKey(Obj* o) { return reinterpret_cast<const char*>(o) + 1; }

  // Records that the values (sites, addresses) produced by `n` flow into
  // `dst` (nullptr = escape).
  void Into(const void* dst, Node* n) {
    if (n == nullptr) return;
    std::vector<const void*> srcs;
    Sources(n, &srcs);
    for (const void* s : srcs) {
      if (dst == nullptr)
        escaping_.insert(s);
      else
        flows_[dst].push_back(s);
    }
  }

  // Evaluates `n`, collecting the abstract values it may produce and
  // handling nested effects.
  void Sources(Node* n, std::vector<const void*>* out) {
    if (n == nullptr) return;
    switch (n->op) {
      case Op::kName:
        if (n->obj && n->obj->kind == ObjKind::kVar) out->push_back(n->obj);
        return;
      case Op::kAddr: {
        Node* base = n->x;
        while (base->op == Op::kDot || base->op == Op::kIndexArr) base = base->x;
        if (base->op == Op::kName && base->obj)
          out->push_back(AddrKey(base->obj));
        else
          Sources(base, out);
        return;
      }
      case Op::kDot:
      case Op::kIndexArr:
      case Op::kSliceArr:
      case Op::kSliceSlice:
      case Op::kSliceStr:
      case Op::kDeref:
      case Op::kDotPtr:
      case Op::kIndexSlice:
      case Op::kConv:
      case Op::kDotType:
      case Op::kDotType2:
      case Op::kIndexMap:
      case Op::kDotInter:
        Sources(n->x, out);
        if (n->y) Into(nullptr, nullptr);
        return;
      case Op::kConvIface:
      case Op::kPtrLit:
      case Op::kSliceLit:
      case Op::kMapLit:
      case Op::kStructLit:
      case Op::kArrayLit:
      case Op::kMethValue: {
        if (n->op != Op::kStructLit && n->op != Op::kArrayLit && n->op != Op::kConvIface)
          out->push_back(n);
        if (n->op == Op::kConvIface && !IsInterface(n->x->type) && !IsDirectIface(n->x->type))
          out->push_back(n);
        const void* self = n;
        if (n->op == Op::kStructLit || n->op == Op::kArrayLit || n->op == Op::kConvIface) {
          Sources(n->x, out);
          for (Node* e : n->list)
            Sources(e->op == Op::kKey || e->op == Op::kStructKey ? (e->op == Op::kKey ? e->y : e->x)
                                                                 : e,
                    out);
          return;
        }
        Into(self, n->x);
        for (Node* e : n->list) {
          if (e->op == Op::kKey) {
            Into(n->op == Op::kMapLit ? nullptr : self, e->x);
            Into(n->op == Op::kMapLit ? nullptr : self, e->y);
          } else if (e->op == Op::kStructKey) {
            Into(self, e->x);
          } else {
            Into(self, e);
          }
        }
        if (n->op == Op::kMethValue) Into(nullptr, n->x);
        return;
      }
      case Op::kNew:
      case Op::kMakeSlice:
      case Op::kMakeMap:
      case Op::kStr2Bytes:
      case Op::kBytes2Str:
      case Op::kStr2Runes:
      case Op::kRunes2Str:
      case Op::kRuneStr:
        out->push_back(n);
        Into(nullptr, nullptr);
        return;
      case Op::kAddStr:
        out->push_back(n);
        return;
      case Op::kClosure:
        out->push_back(n);
        for (Obj* cv : n->fn->closure_vars) escaping_.insert(AddrKey(cv)), escaping_.insert(cv);
        {
          Func* saved = cur_;
          cur_ = n->fn;
          Stmt(n->fn->body);
          cur_ = saved;
        }
        return;
      case Op::kCallFunc:
      case Op::kCallInter:
      case Op::kCallMeth:
      case Op::kAppend:
      case Op::kCopy:
      case Op::kPanic:
      case Op::kDelete:
      case Op::kPrint:
      case Op::kPrintln:
        // Arguments escape; results may be anything already escaped.
        if (n->x) Into(nullptr, n->x);
        if (n->y) Into(nullptr, n->y);
        for (Node* a : n->list) Into(nullptr, a);
        return;
      default:
        if (n->x) Into(nullptr, n->x);
        if (n->y) Into(nullptr, n->y);
        for (Node* a : n->list) Into(nullptr, a);
        return;
    }
  }

  void Assign(Node* dst, Node* src) {
    if (dst == nullptr || (dst->op == Op::kName && dst->obj == nullptr)) {
      Into(nullptr, src);
      return;
    }
    Node* base = dst;
    while (base->op == Op::kDot || base->op == Op::kIndexArr) base = base->x;
    if (base->op == Op::kName && base->obj && base->obj->cls != VarClass::kExtern &&
        base->obj->cls != VarClass::kParamOut) {
      Into(base->obj, src);
      // A variable's contents escape with its address.
      flows_[AddrKey(base->obj)].push_back(base->obj);
      return;
    }
    Into(nullptr, src);
    std::vector<const void*> tmp;
    Sources(dst, &tmp);
  }

  void Stmt(Node* n) {
    if (n == nullptr) return;
    for (Node* i : n->init) Stmt(i);
    switch (n->op) {
      case Op::kAs:
      case Op::kAsOp:
        Assign(n->x, n->y);
        return;
      case Op::kAs2:
        for (size_t i = 0; i < n->list.size(); ++i) Assign(n->list[i], n->list2[i]);
        return;
      case Op::kAs2Func:
      case Op::kAs2DotType:
      case Op::kAs2MapR:
        for (Node* l : n->list) Assign(l, n->x);
        return;
      case Op::kRangeStmt:
        for (Node* l : n->list) Assign(l, n->x);
        Stmt(n->w);
        return;
      case Op::kReturnStmt:
        for (Node* e : n->list) Into(nullptr, e);
        for (Obj* r : cur_->results) escaping_.insert(r);
        return;
      case Op::kCallStmt:
      case Op::kGoStmt:
      case Op::kDeferStmt: {
        std::vector<const void*> tmp;
        Sources(n->x, &tmp);
        for (const void* t : tmp) escaping_.insert(t);
        return;
      }
      case Op::kTypeSwitchStmt:
        for (Node* c : n->list)
          if (c->obj) {
            Into(c->obj, n->x);
          }
        for (Node* c : n->list)
          for (Node* s : c->list2) Stmt(s);
        return;
      case Op::kIfStmt:
        Into(nullptr, n->x);
        Stmt(n->y);
        Stmt(n->z);
        return;
      case Op::kForStmt:
        Into(nullptr, n->x);
        Stmt(n->y);
        Stmt(n->w);
        return;
      case Op::kSwitchStmt:
        Into(nullptr, n->x);
        for (Node* c : n->list) {
          for (Node* e : c->list) Into(nullptr, e);
          for (Node* s : c->list2) Stmt(s);
        }
        return;
      case Op::kBlockStmt:
        for (Node* s : n->list) Stmt(s);
        return;
      default:
        return;
    }
  }

  Func* cur_ = nullptr;
  std::map<const void*, std::vector<const void*>> flows_;
  std::set<const void*> escaping_;
};

}  // namespace

std::unique_ptr<EscapeAnalysis> NewAllHeapAnalysis() { return std::make_unique<AllHeap>(); }
std::unique_ptr<EscapeAnalysis> NewIntraproceduralAnalysis() {
  return std::make_unique<Intraprocedural>();
}

}  // namespace gclab::escape
