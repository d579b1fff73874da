#include "escape/site_decisions.h"

#include <memory>
#include <utility>

#include "escape/stack_guard.h"

namespace gclab::escape {

const char* AnalysisName(AnalysisId a) {
  switch (a) {
    case AnalysisId::kAllHeap:
      return "all_heap";
    case AnalysisId::kIntraprocedural:
      return "intraprocedural";
    case AnalysisId::kGo:
      return "go";
  }
  return "?";
}

const SiteDecision* SiteDecisions::ForNode(const Node* n) const {
  auto it = by_ptr_.find(n);
  return it == by_ptr_.end() || sites_[it->second].node != n ? nullptr : &sites_[it->second];
}

const SiteDecision* SiteDecisions::ForVar(const Obj* v) const {
  auto it = by_ptr_.find(v);
  return it == by_ptr_.end() || sites_[it->second].var != v ? nullptr : &sites_[it->second];
}

const SiteDecision* SiteDecisions::ForKey(const SiteKey& k) const {
  auto it = by_key_.find(k);
  return it == by_key_.end() ? nullptr : &sites_[it->second];
}

SiteDecisions AnalyzeAll(const Program& prog) {
  SiteDecisions out;
  out.fully_supported_ = prog.unsupported.empty() && prog.errors.empty();
  // Every analysis reports the sites of CollectSites, in its order; the
  // first one fixes the list and the others are joined by pointer. A site
  // an analysis does not report stays on the heap (never happens today).
  std::vector<SiteRef> refs = CollectSites(prog);
  out.sites_.reserve(refs.size());
  for (const SiteRef& r : refs) {
    const void* ptr = r.node != nullptr ? static_cast<const void*>(r.node) : r.var;
    if (!out.by_ptr_.emplace(ptr, out.sites_.size()).second) continue;
    SiteDecision d;
    d.node = r.node;
    d.var = r.var;
    d.fn = r.fn;
    if (r.node != nullptr) d.key.node_id = r.node->id;
    if (r.var != nullptr) d.key.var_id = r.var->id;
    AllocSite a = MakeSite(prog, r, Decision::kHeap, "");
    d.kind = a.kind;
    d.pos = Pos{a.line, a.col};
    d.what = std::move(a.what);
    d.decision.fill(Decision::kHeap);
    out.by_key_.emplace(d.key, out.sites_.size());
    out.sites_.push_back(std::move(d));
  }
  RunWithLargeStack([&] {
    for (int a = 0; a < kNumAnalyses; ++a) {
      auto an = MakeEscapeAnalysis(AnalysisName(static_cast<AnalysisId>(a)));
      if (!an.ok()) continue;  // the registry knows all three
      AnalysisResult r = (*an)->Analyze(prog, AnalysisOptions{});
      for (const AllocSite& s : r.sites) {
        const void* ptr = s.node != nullptr ? static_cast<const void*>(s.node) : s.var;
        auto it = out.by_ptr_.find(ptr);
        if (it == out.by_ptr_.end()) continue;
        SiteDecision& d = out.sites_[it->second];
        d.decision[a] = s.decision;
        if (static_cast<AnalysisId>(a) == AnalysisId::kGo) {
          d.go_reason = s.reason;
          d.what = s.what;  // spelled like the -m line (devirtualized calls)
        }
      }
    }
  });
  return out;
}

}  // namespace gclab::escape
