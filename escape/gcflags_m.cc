#include "escape/gcflags_m.h"

#include "absl/strings/str_cat.h"
#include "escape/analysis.h"
#include "escape/stack_guard.h"
#include "escape/typecheck.h"

namespace gclab::escape {
namespace {

GcflagsResult Run(const std::string& name, absl::string_view src, const GcflagsOptions& o) {
  GcflagsResult res;
  absl::StatusOr<std::unique_ptr<EscapeAnalysis>> an = MakeEscapeAnalysis(o.analysis);
  if (!an.ok()) {
    res.err = absl::StrCat(an.status().message(), "\n");
    res.exit_code = kExitUsage;
    return res;
  }
  Program prog;
  absl::Status st = LoadProgram(name, src, &prog);
  if (!st.ok()) {
    res.err = absl::StrCat(st.message(), "\n");
    res.exit_code = kExitErrors;
    return res;
  }
  for (const std::string& e : prog.errors) absl::StrAppend(&res.err, e, "\n");
  for (const std::string& u : prog.unsupported) absl::StrAppend(&res.err, u, "\n");
  AnalysisOptions opts;
  opts.explain_line = o.explain_line;
  AnalysisResult r = (*an)->Analyze(prog, opts);
  res.out = FormatDiagnostics(name, r.diags);
  for (const auto& [line, text] : r.explanations) res.out += text;
  if (o.sites) {
    for (const AllocSite& s : r.sites)
      absl::StrAppend(&res.out, "site\t", s.file, ":", s.line, ":", s.col, "\t",
                      SiteKindName(s.kind), "\t", s.decision == Decision::kHeap ? "heap" : "stack",
                      "\t", s.what, "\t", s.reason, "\n");
    absl::StrAppend(&res.out, "summary\t", name, "\tstack=", r.stack_sites, "\theap=", r.heap_sites,
                    "\n");
  }
  res.exit_code = !prog.errors.empty()        ? kExitErrors
                  : !prog.unsupported.empty() ? kExitUnsupported
                                              : kExitOk;
  return res;
}

}  // namespace

GcflagsResult RunGcflagsM(const std::string& display_name, absl::string_view src,
                          const GcflagsOptions& options) {
  GcflagsResult res;
  RunWithLargeStack([&] { res = Run(display_name, src, options); });
  return res;
}

}  // namespace gclab::escape
