#include "escape/analysis.h"

#include "absl/container/flat_hash_set.h"
#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"

namespace gclab::escape {

const char* SiteKindName(SiteKind k) {
  switch (k) {
    case SiteKind::kVariable:
      return "variable";
    case SiteKind::kNew:
      return "new";
    case SiteKind::kPtrLit:
      return "&composite";
    case SiteKind::kMakeSlice:
      return "make-slice";
    case SiteKind::kMakeMap:
      return "make-map";
    case SiteKind::kMakeChan:
      return "make-chan";
    case SiteKind::kSliceLit:
      return "slice-literal";
    case SiteKind::kMapLit:
      return "map-literal";
    case SiteKind::kClosure:
      return "closure";
    case SiteKind::kMethodValue:
      return "method-value";
    case SiteKind::kConvIface:
      return "interface-conversion";
    case SiteKind::kStringConv:
      return "string-conversion";
    case SiteKind::kAddString:
      return "string-concat";
    case SiteKind::kVariadic:
      return "variadic-args";
    case SiteKind::kAppend:
      return "append-growth";
  }
  return "?";
}

SiteKind KindOf(const Node* n) {
  switch (n->op) {
    case Op::kNew:
      return SiteKind::kNew;
    case Op::kPtrLit:
      return SiteKind::kPtrLit;
    case Op::kMakeSlice:
      return SiteKind::kMakeSlice;
    case Op::kMakeMap:
      return SiteKind::kMakeMap;
    case Op::kMakeChan:
      return SiteKind::kMakeChan;
    case Op::kSliceLit:
      return n->implicit ? SiteKind::kVariadic : SiteKind::kSliceLit;
    case Op::kMapLit:
      return SiteKind::kMapLit;
    case Op::kClosure:
      return SiteKind::kClosure;
    case Op::kMethValue:
      return SiteKind::kMethodValue;
    case Op::kConvIface:
      return SiteKind::kConvIface;
    case Op::kAddStr:
      return SiteKind::kAddString;
    case Op::kAppend:
      return SiteKind::kAppend;
    default:
      return SiteKind::kStringConv;
  }
}

bool AlwaysHeap(SiteKind k) { return k == SiteKind::kMakeChan || k == SiteKind::kAppend; }

namespace {

bool IsAllocNode(const Node* n) {
  switch (n->op) {
    case Op::kNew:
    case Op::kPtrLit:
    case Op::kMakeSlice:
    case Op::kMakeMap:
    case Op::kMakeChan:
    case Op::kSliceLit:
    case Op::kMapLit:
    case Op::kClosure:
    case Op::kMethValue:
    case Op::kAddStr:
    case Op::kStr2Bytes:
    case Op::kBytes2Str:
    case Op::kStr2Runes:
    case Op::kRunes2Str:
    case Op::kRuneStr:
    case Op::kAppend:
      return true;
    case Op::kConvIface:
      return !IsInterface(n->x->type) && !IsDirectIface(n->x->type);
    default:
      return false;
  }
}

class SiteCollector {
 public:
  explicit SiteCollector(std::vector<SiteRef>* out) : out_(out) {}

  void AddFunc(const Func* f) {
    vars_.clear();
    Walk(f->body, f);
    absl::flat_hash_set<const Obj*> seen;
    for (const auto& [v, fn] : vars_)
      if (seen.insert(v).second) out_->push_back(SiteRef{nullptr, v, fn});
  }

 private:
  void Walk(const Node* n, const Func* fn) {
    if (n == nullptr) return;
    for (const Node* c : n->init) Walk(c, fn);
    // Variables too large for the stack are sites even if never addressed.
    if (n->op == Op::kDcl && n->obj != nullptr && !SizeReason(nullptr, n->obj).empty())
      vars_.push_back({n->obj, n->obj->curfn});
    if (n->op == Op::kAddr) {
      const Node* base = AddrBase(n);
      if (base->op == Op::kName && base->obj != nullptr && base->obj->cls != VarClass::kExtern)
        vars_.push_back({base->obj, base->obj->curfn});
    }
    if (IsAllocNode(n)) out_->push_back(SiteRef{n, nullptr, fn});
    if (n->op == Op::kClosure) {
      for (const Obj* cv : n->fn->closure_vars) vars_.push_back({cv, cv->curfn});
      if (n->fn->outer != nullptr) Walk(n->fn->body, n->fn);  // others are functions
      return;
    }
    Walk(n->x, fn);
    if (n->op != Op::kMethValue) Walk(n->y, fn);
    Walk(n->z, fn);
    if (n->op == Op::kForStmt || n->op == Op::kRangeStmt) Walk(n->w, fn);
    for (const Node* c : n->list) Walk(c, fn);
    for (const Node* c : n->list2) Walk(c, fn);
  }

  std::vector<SiteRef>* out_;
  std::vector<std::pair<const Obj*, const Func*>> vars_;
};

}  // namespace

const Node* AddrBase(const Node* addr) {
  const Node* base = addr->x;
  while (base->op == Op::kDot || base->op == Op::kIndexArr || base->op == Op::kParen)
    base = base->x;
  return base;
}

std::vector<SiteRef> CollectSites(const Program& prog) {
  std::vector<SiteRef> out;
  SiteCollector c(&out);
  for (const Func* f : prog.funcs) {
    if (f->external || f->body == nullptr || f->outer != nullptr) continue;
    c.AddFunc(f);
  }
  return out;
}

std::string SizeReason(const Node* n, const Obj* var) {
  constexpr int64_t kMaxStackVarSize = 10 * 1024 * 1024;
  constexpr int64_t kMaxImplicitStackVarSize = 64 * 1024;
  if (var != nullptr) {
    if (var->cls == VarClass::kParam || var->cls == VarClass::kParamOut) return "";
    return Size(var->type) > kMaxStackVarSize ? "too large for stack" : "";
  }
  if (n == nullptr) return "";
  if (n->type != nullptr && n->type->kind != Kind::kTuple && Size(n->type) > kMaxStackVarSize)
    return "too large for stack";
  if ((n->op == Op::kNew || n->op == Op::kPtrLit) &&
      Size(Under(n->type)->elem) > kMaxImplicitStackVarSize)
    return "too large for stack";
  if (n->op == Op::kClosure && n->fn != nullptr) {
    int64_t size = 8;  // the function pointer
    for (const Obj* cv : n->fn->closure_vars) size += Size(cv->type) <= 128 ? Size(cv->type) : 8;
    if (size > kMaxImplicitStackVarSize) return "too large for stack";
  }
  if (n->op == Op::kMakeSlice) {
    const Node* r = n->y != nullptr ? n->y : n->x;
    std::optional<int64_t> v;
    if (r != nullptr && r->op == Op::kLiteral) v = r->cval.ToInt().Int64();
    if (!v.has_value() || *v < INT32_MIN || *v > INT32_MAX) return "non-constant size";
    int64_t es = Size(Under(n->type)->elem);
    if (es != 0 && *v > kMaxImplicitStackVarSize / es) return "too large for stack";
  }
  return "";
}

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
  a.node = s.node;
  a.var = s.var;
  return a;
}

void CountSites(AnalysisResult* r) {
  r->stack_sites = r->heap_sites = 0;
  for (const AllocSite& s : r->sites) {
    if (s.decision == Decision::kHeap)
      ++r->heap_sites;
    else
      ++r->stack_sites;
  }
}

std::vector<std::string> EscapeAnalysisNames() { return {"all_heap", "intraprocedural", "go"}; }

absl::StatusOr<std::unique_ptr<EscapeAnalysis>> MakeEscapeAnalysis(absl::string_view name) {
  if (name == "all_heap") return NewAllHeapAnalysis();
  if (name == "intraprocedural") return NewIntraproceduralAnalysis();
  if (name == "go") return NewGoEscapeAnalysis();
  return absl::NotFoundError(absl::StrCat("unknown escape analysis \"", name, "\"; known: ",
                                          absl::StrJoin(EscapeAnalysisNames(), ", ")));
}

}  // namespace gclab::escape
