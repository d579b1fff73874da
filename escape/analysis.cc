#include "escape/analysis.h"

#include <functional>

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
    default:
      return SiteKind::kStringConv;
  }
}

namespace {

bool IsAllocNode(const Node* n) {
  switch (n->op) {
    case Op::kNew:
    case Op::kPtrLit:
    case Op::kMakeSlice:
    case Op::kMakeMap:
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
      return true;
    case Op::kConvIface:
      return !IsInterface(n->x->type) && !IsDirectIface(n->x->type);
    default:
      return false;
  }
}

void Walk(Node* n, Func* fn, std::vector<SiteRef>* out, std::vector<Obj*>* addr_vars) {
  if (n == nullptr) return;
  for (Node* c : n->init) Walk(c, fn, out, addr_vars);
  // Variables too large for the stack are sites even if never addressed.
  if (n->op == Op::kDcl && n->obj != nullptr && !SizeReason(nullptr, n->obj).empty())
    addr_vars->push_back(n->obj);
  if (n->op == Op::kAddr && n->x->op == Op::kName && n->x->obj != nullptr &&
      n->x->obj->cls != VarClass::kExtern)
    addr_vars->push_back(n->x->obj);
  if (IsAllocNode(n)) out->push_back(SiteRef{n, nullptr, fn});
  if (n->op == Op::kClosure) {
    for (Obj* cv : n->fn->closure_vars) addr_vars->push_back(cv);
    Walk(n->fn->body, n->fn, out, addr_vars);
    return;
  }
  Walk(n->x, fn, out, addr_vars);
  Walk(n->y, fn, out, addr_vars);
  Walk(n->z, fn, out, addr_vars);
  if (n->op == Op::kForStmt || n->op == Op::kRangeStmt || n->op == Op::kDotType2)
    Walk(n->w, fn, out, addr_vars);
  for (Node* c : n->list) Walk(c, fn, out, addr_vars);
  for (Node* c : n->list2) Walk(c, fn, out, addr_vars);
}

}  // namespace

std::vector<SiteRef> CollectSites(const Program& prog) {
  std::vector<SiteRef> out;
  for (Func* f : prog.funcs) {
    if (f->external || f->body == nullptr) continue;
    std::vector<Obj*> vars;
    Walk(f->body, f, &out, &vars);
    std::vector<Obj*> seen;
    for (Obj* v : vars) {
      bool dup = false;
      for (Obj* s : seen) dup |= s == v;
      if (dup) continue;
      seen.push_back(v);
      out.push_back(SiteRef{nullptr, v, v->curfn});
    }
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
  if (n->op == Op::kMakeSlice) {
    const Node* r = n->y != nullptr ? n->y : n->x;
    if (r == nullptr ||
        !(r->is_const && r->int_known && r->int_val >= INT32_MIN && r->int_val <= INT32_MAX))
      return "non-constant size";
    int64_t es = Size(Under(n->type)->elem);
    if (es != 0 && r->int_val > kMaxImplicitStackVarSize / es) return "too large for stack";
  }
  return "";
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
