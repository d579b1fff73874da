// The two baseline analyses: all_heap (no escape analysis) and a cheap,
// sound intraprocedural analysis.
#include <map>
#include <set>

#include "absl/strings/str_cat.h"
#include "escape/analysis.h"
#include "escape/diagnostics.h"

namespace gclab::escape {
namespace {

void AddDiag(AnalysisResult* r, const AllocSite& a) {
  if (AlwaysHeap(a.kind)) return;  // not an escape-analysis site in Go
  std::string msg =
      a.kind == SiteKind::kVariable
          ? (a.decision == Decision::kHeap ? "moved to heap: " + a.what : "")
          : a.what + (a.decision == Decision::kHeap ? " escapes to heap" : " does not escape");
  if (!msg.empty()) r->diags.push_back(Diagnostic{{a.line, a.col}, msg});
}

class AllHeap : public EscapeAnalysis {
 public:
  std::string Name() const override { return "all_heap"; }
  AnalysisResult Analyze(const Program& prog, const AnalysisOptions&) const override {
    AnalysisResult r;
    r.fully_supported = prog.unsupported.empty() && prog.errors.empty();
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
class IntraproceduralRun {
 public:
  explicit IntraproceduralRun(const Program& prog) : prog_(prog) {}

  AnalysisResult Run() {
    AnalysisResult r;
    r.fully_supported = prog_.unsupported.empty() && prog_.errors.empty();
    for (const Func* f : prog_.funcs) {
      if (f->external || f->body == nullptr) continue;
      cur_ = f;
      loop_depth_ = 0;
      if (f->unsupported)
        for (const Obj* o : f->dcl) escaping_.insert(o);
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
    for (const SiteRef& s : CollectSites(prog_)) {
      const void* key = s.var ? AddrKey(s.var) : static_cast<const void*>(s.node);
      SiteKind kind = s.var ? SiteKind::kVariable : KindOf(s.node);
      bool esc = escaping_.count(key) > 0 || AlwaysHeap(kind);
      std::string size = SizeReason(s.node, s.var);
      r.sites.push_back(
          MakeSite(prog_, s, esc || !size.empty() ? Decision::kHeap : Decision::kStack,
                   !size.empty()      ? size
                   : AlwaysHeap(kind) ? "always heap-allocated"
                   : esc ? "value stored outside the frame, returned or passed to a call"
                         : "does not escape"));
      AddDiag(&r, r.sites.back());
    }
    CountSites(&r);
    return r;
  }

 private:
  // Distinct key for "the address of variable o".
  static const void* AddrKey(const Obj* o) { return reinterpret_cast<const char*>(o) + 1; }

  // The values (sites, addresses) produced by `n` flow into `dst`
  // (nullptr = escape).
  void Into(const void* dst, const Node* n) {
    if (n == nullptr) return;
    std::vector<const void*> srcs;
    Sources(n, &srcs);  // for its effects even if the value carries nothing
    // A value without pointers carries no address (uintptr may: it can be
    // converted back to unsafe.Pointer).
    if (n->type != nullptr && !IsUntyped(n->type) && !HasPointers(n->type) && !IsUintptr(n->type))
      return;
    for (const void* s : srcs) {
      if (dst == nullptr)
        escaping_.insert(s);
      else
        flows_[dst].push_back(s);
    }
  }

  // Evaluates `n`, collecting the abstract values it may produce and
  // handling nested effects.
  void Sources(const Node* n, std::vector<const void*>* out) {
    if (n == nullptr) return;
    for (const Node* i : n->init) Stmt(i);
    switch (n->op) {
      case Op::kName:
        if (n->obj != nullptr && n->obj->kind == ObjKind::kVar) out->push_back(n->obj);
        return;
      case Op::kAddr: {
        const Node* base = AddrBase(n);
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
      case Op::kIndexString:
      case Op::kConv:
      case Op::kSlice2ArrPtr:
      case Op::kDotType:
      case Op::kDotType2:
      case Op::kIndexMap:
      case Op::kDotInter:
        Sources(n->x, out);
        Into(nullptr, n->y);
        Into(nullptr, n->z);
        if (n->op != Op::kDotType2) Into(nullptr, n->w);
        return;
      case Op::kConvIface:
      case Op::kPtrLit:
      case Op::kSliceLit:
      case Op::kMapLit:
      case Op::kStructLit:
      case Op::kArrayLit:
      case Op::kMethValue: {
        bool container =
            n->op == Op::kStructLit || n->op == Op::kArrayLit ||
            (n->op == Op::kConvIface && (IsInterface(n->x->type) || IsDirectIface(n->x->type)));
        if (container) {
          // The value itself carries what its parts hold.
          if (n->op == Op::kConvIface) {
            Sources(n->x, out);
            return;
          }
          for (const Node* e : n->list) {
            if (e->op == Op::kKey) {
              Into(nullptr, e->x);
              Sources(e->y, out);
            } else if (e->op == Op::kStructKey) {
              Sources(e->x, out);
            } else {
              Sources(e, out);
            }
          }
          return;
        }
        out->push_back(n);
        Into(n, n->x);
        for (const Node* e : n->list) {
          if (e->op == Op::kKey) {
            Into(n->op == Op::kMapLit ? nullptr : n, e->x);
            Into(n->op == Op::kMapLit ? nullptr : n, e->y);
          } else if (e->op == Op::kStructKey) {
            Into(n, e->x);
          } else {
            Into(n, e);
          }
        }
        if (n->op == Op::kMethValue) Into(nullptr, n->x);
        return;
      }
      case Op::kNew:
      case Op::kMakeSlice:
      case Op::kMakeMap:
      case Op::kMakeChan:
      case Op::kStr2Bytes:
      case Op::kBytes2Str:
      case Op::kStr2Runes:
      case Op::kRunes2Str:
      case Op::kRuneStr:
        out->push_back(n);
        Into(nullptr, n->x);
        Into(nullptr, n->y);
        return;
      case Op::kAddStr:
        out->push_back(n);
        for (const Node* e : n->list) Into(nullptr, e);
        return;
      case Op::kClosure:
        out->push_back(n);
        for (const Obj* cv : n->fn->closure_vars) {
          escaping_.insert(AddrKey(cv));
          escaping_.insert(cv);
        }
        {
          const Func* saved = cur_;
          cur_ = n->fn;
          Stmt(n->fn->body);
          cur_ = saved;
        }
        return;
      case Op::kAppend:
        // The result may be the appended-to slice or a fresh heap array.
        out->push_back(n);
        for (const Node* a : n->list) Into(nullptr, a);
        return;
      case Op::kUnsafeAdd:
      case Op::kUnsafeSlice:
        Sources(n->x, out);
        Into(nullptr, n->y);
        return;
      case Op::kLen:
      case Op::kCap:
      case Op::kReal:
      case Op::kImag:
      case Op::kComplex:
      case Op::kPrint:
      case Op::kPrintln:
      case Op::kClose:
      case Op::kDelete: {
        // Builtins that keep nothing of their operands: evaluated only.
        std::vector<const void*> ignored;
        for (const Node* e : {n->x, n->y}) Sources(e, &ignored);
        for (const Node* e : n->list) Sources(e, &ignored);
        return;
      }
      case Op::kCopy: {
        // copy(dst, src): what src's elements point to is stored in dst's
        // array, which may be anywhere.
        std::vector<const void*> ignored;
        Sources(n->x, &ignored);
        Into(nullptr, n->y);
        return;
      }
      default:
        // Calls and everything else: arguments escape; results may be
        // anything already escaped.
        Into(nullptr, n->x);
        Into(nullptr, n->y);
        Into(nullptr, n->z);
        for (const Node* a : n->list) Into(nullptr, a);
        for (const Node* a : n->list2) Into(nullptr, a);
        return;
    }
  }

  void Assign(const Node* dst, const Node* src) {
    if (dst == nullptr || (dst->op == Op::kName && dst->obj == nullptr)) {
      Into(nullptr, src);
      return;
    }
    const Node* base = dst;
    while (base->op == Op::kDot || base->op == Op::kIndexArr) base = base->x;
    if (base->op == Op::kName && base->obj && base->obj->cls != VarClass::kExtern &&
        base->obj->cls != VarClass::kParamOut && Depth(base->obj) >= loop_depth_) {
      Into(base->obj, src);
      // A variable's contents escape with its address.
      flows_[AddrKey(base->obj)].push_back(base->obj);
      return;
    }
    Into(nullptr, src);
    std::vector<const void*> tmp;
    Sources(dst, &tmp);
  }

  // Loop depth at which a variable was declared (parameters: 0). A value
  // stored into a variable declared outside the current loop may outlive
  // the iteration that made it (as in Go's analysis), so it escapes.
  int Depth(const Obj* o) const {
    auto it = depth_.find(o);
    return it == depth_.end() ? 0 : it->second;
  }

  void Stmt(const Node* n) {
    if (n == nullptr) return;
    for (const Node* i : n->init) Stmt(i);
    switch (n->op) {
      case Op::kDcl:
        if (n->obj != nullptr) depth_[n->obj] = loop_depth_;
        return;
      case Op::kLabel:
        ++loop_depth_;  // a backward goto may make a loop
        return;
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
      case Op::kAs2Recv:
        for (const Node* l : n->list) Assign(l, n->x);
        return;
      case Op::kRangeStmt:
        ++loop_depth_;
        for (const Node* l : n->list)
          if (l != nullptr && l->obj != nullptr && l->obj->defn == n) depth_[l->obj] = loop_depth_;
        for (const Node* l : n->list) Assign(l, n->x);
        Stmt(n->w);
        --loop_depth_;
        return;
      case Op::kReturnStmt:
        for (const Node* e : n->list) Into(nullptr, e);
        for (const Obj* r : cur_->results) escaping_.insert(r);
        return;
      case Op::kCallStmt:
      case Op::kGoStmt:
      case Op::kDeferStmt: {
        std::vector<const void*> tmp;
        Sources(n->x, &tmp);
        for (const void* t : tmp) escaping_.insert(t);
        return;
      }
      case Op::kSendStmt:
        Into(nullptr, n->x);
        Into(nullptr, n->y);
        return;
      case Op::kTypeSwitchStmt:
        for (const Node* c : n->list)
          if (c->obj) {
            depth_[c->obj] = loop_depth_;
            Into(c->obj, n->x);
          }
        Into(nullptr, n->x);
        for (const Node* c : n->list)
          for (const Node* s : c->list2) Stmt(s);
        return;
      case Op::kIfStmt:
        Into(nullptr, n->x);
        Stmt(n->y);
        Stmt(n->z);
        return;
      case Op::kForStmt: {
        ++loop_depth_;
        Into(nullptr, n->x);
        Stmt(n->y);
        Stmt(n->w);
        --loop_depth_;
        return;
      }
      case Op::kSwitchStmt:
        Into(nullptr, n->x);
        for (const Node* c : n->list) {
          for (const Node* e : c->list) Into(nullptr, e);
          for (const Node* s : c->list2) Stmt(s);
        }
        return;
      case Op::kSelectStmt:
        for (const Node* c : n->list) {
          Stmt(c->x);
          for (const Node* s : c->list2) Stmt(s);
        }
        return;
      case Op::kBlockStmt:
        for (const Node* s : n->list) Stmt(s);
        return;
      default:
        return;
    }
  }

  const Program& prog_;
  const Func* cur_ = nullptr;
  int loop_depth_ = 0;
  std::map<const Obj*, int> depth_;
  std::map<const void*, std::vector<const void*>> flows_;
  std::set<const void*> escaping_;
};

class Intraprocedural : public EscapeAnalysis {
 public:
  std::string Name() const override { return "intraprocedural"; }
  AnalysisResult Analyze(const Program& prog, const AnalysisOptions&) const override {
    return IntraproceduralRun(prog).Run();
  }
};

}  // namespace

std::unique_ptr<EscapeAnalysis> NewAllHeapAnalysis() { return std::make_unique<AllHeap>(); }
std::unique_ptr<EscapeAnalysis> NewIntraproceduralAnalysis() {
  return std::make_unique<Intraprocedural>();
}

}  // namespace gclab::escape
