// The program-level driver of the "go" analysis: devirtualization, then
// the functions in batches (strongly connected components of the call
// graph, callees first, as ir.VisitFuncsBottomUp orders them), then the
// per-site decisions.
#include "escape/go_escape.h"
#include "escape/goescape/escape.h"

namespace gclab::escape::goesc {
namespace {

// Tarjan's algorithm over the static call graph, in go's visiting order.
class BottomUp {
 public:
  BottomUp(EscapeState* s) : s_(s) {}

  void Run() {
    for (Func* f : s_->prog.funcs) {
      if (f->external || f->outer != nullptr) continue;
      Visit(f);
    }
  }

 private:
  uint32_t Visit(Func* f) {
    auto it = node_id_.find(f);
    if (it != node_id_.end() && it->second > 0) return it->second;
    uint32_t id = ++visitgen_;
    node_id_[f] = id;
    uint32_t min = ++visitgen_;
    stack_.push_back(f);
    auto visit = [&](Func* g) {
      if (g == nullptr || g->external) return;
      uint32_t m = Visit(g);
      if (m < min) min = m;
    };
    if (f->body != nullptr) Refs(f->body, visit);
    if ((min == id || min == id + 1) && f->outer == nullptr) {
      size_t i = stack_.size();
      while (i > 0) {
        --i;
        node_id_[stack_[i]] = ~uint32_t{0};
        if (stack_[i] == f) break;
      }
      std::vector<Func*> block(stack_.begin() + i, stack_.end());
      stack_.resize(i);
      Batch(s_).Run(block);
    }
    return min;
  }

  template <typename F>
  void Refs(const Node* n, F& visit) {
    if (n == nullptr) return;
    switch (n->op) {
      case Op::kFuncName:
      case Op::kMethodExpr:
        visit(n->fn);
        break;
      case Op::kCallMeth:
      case Op::kMethValue:
        if (n->fn != nullptr) visit(n->fn);
        break;
      case Op::kClosure:
        visit(n->fn);
        return;  // closure bodies are visited as functions of their own
      case Op::kCallInter:
        if (const Devirt* dv = s_->devirt.Find(n)) {
          if (dv->method != nullptr) visit(dv->method);
        }
        break;
      default:
        break;
    }
    for (const Node* c : n->init) Refs(c, visit);
    Refs(n->x, visit);
    if (n->op != Op::kMethValue) Refs(n->y, visit);
    Refs(n->z, visit);
    if (n->op == Op::kForStmt || n->op == Op::kRangeStmt) Refs(n->w, visit);
    for (const Node* c : n->list) Refs(c, visit);
    for (const Node* c : n->list2) Refs(c, visit);
  }

  EscapeState* s_;
  absl::flat_hash_map<const Func*, uint32_t> node_id_;
  uint32_t visitgen_ = 0;
  std::vector<Func*> stack_;
};

class GoAnalysis : public EscapeAnalysis {
 public:
  std::string Name() const override { return "go"; }

  AnalysisResult Analyze(const Program& prog, const AnalysisOptions& opts) const override {
    EscapeState s(prog, opts);
    s.result.fully_supported = prog.unsupported.empty() && prog.errors.empty();
    for (Func* f : prog.funcs)
      if (!f->external && f->outer == nullptr) s.devirt.Run(f, &s.result.diags);
    BottomUp(&s).Run();
    for (const SiteRef& r : CollectSites(prog)) {
      std::pair<bool, std::string> d{false, ""};
      SiteKind kind = r.var ? SiteKind::kVariable : KindOf(r.node);
      if (AlwaysHeap(kind)) {
        d = {true, kind == SiteKind::kMakeChan ? "channels are always heap-allocated"
                                               : "append grows into a new heap array"};
      } else if (r.var != nullptr) {
        auto it = s.var_decision.find(r.var);
        if (it != s.var_decision.end()) d = it->second;
      } else {
        auto it = s.node_decision.find(r.node);
        if (it != s.node_decision.end()) d = it->second;
      }
      if (r.fn != nullptr && r.fn->unsupported) d = {true, "in an unsupported function"};
      s.result.sites.push_back(
          MakeSite(prog, r, d.first ? Decision::kHeap : Decision::kStack,
                   d.first ? (d.second.empty() ? "escapes" : d.second) : "does not escape"));
      // Spelled as the -m line is (devirtualized calls rewritten).
      if (r.node != nullptr) s.result.sites.back().what = s.Print(r.node);
    }
    CountSites(&s.result);
    return std::move(s.result);
  }
};

}  // namespace
}  // namespace gclab::escape::goesc

namespace gclab::escape {

std::unique_ptr<EscapeAnalysis> NewGoEscapeAnalysis() {
  return std::make_unique<goesc::GoAnalysis>();
}

}  // namespace gclab::escape
