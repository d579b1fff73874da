// Rows that run in their own process (issues 11 and 12):
//
//   a Go-program workload on gclab's heap   the go_program binary (Bazel's
//       //workloads/go:<name>, or a .go file compiled by gocompile at run
//       time) with the configuration's modules and escape analysis:
//         <bin> --allocator_config=... --collector_config=... --escape=MODE
//               --heap_limit_bytes=N --max_stack_bytes=N --stats_json=F -- ARGS
//       its GoRunStats (goruntime/run_stats.proto) become the row's figures;
//   any workload under Go's own runtime    (a go_runtime configuration) the
//       workload's Go program (workloads/registry.h GoEquivalent) built by
//       `go build`, run with GODEBUG=gctrace=1 GOGC=N; the trace
//       (experiments/gctrace.h) becomes the row's figures.
//
// Both go through experiments/run_figures.h, as in-process rows do. Wall and
// CPU time and peak RSS are the child's (wait4), so they include process
// start-up. The program's stdout is discarded; its exit decides the status:
// 0 ok; 2 with "out of memory" oom; a signal crashed; the timeout timeout;
// anything else error, with the program's panic or last line as message.
// Go-runtime rows have no allocation counts (gctrace reports none) and no
// time-to-safepoint: those columns stay 0.
#ifndef GCLAB_EXPERIMENTS_EXTERNAL_RUN_H_
#define GCLAB_EXPERIMENTS_EXTERNAL_RUN_H_

#include <string>

#include "absl/time/time.h"
#include "experiments/experiment.pb.h"
#include "experiments/results.pb.h"
#include "workloads/workloads.pb.h"

namespace gclab {

struct ExternalRunOptions {
  // The runfiles root holding workloads/go/ (binaries and sources) and
  // gocompile/libgort.so; empty: the running binary's (gocompile's
  // RuntimeRootFor).
  std::string runfiles_root;
  // Where compiled Go files and `go build` binaries are cached; empty:
  // gorun's cache ($GCLAB_GORUN_CACHE, $XDG_CACHE_HOME/gclab-gorun, ...).
  std::string cache_dir;
  absl::Duration timeout = absl::InfiniteDuration();
};

// Whether (config, workload) runs as its own process.
bool RunsExternally(const HeapConfiguration& config, const WorkloadConfig& workload);

// The escape analysis a gclab configuration gives a Go program ("none" is
// all_heap).
std::string EffectiveEscapeMode(const HeapConfiguration& config);

// Runs it and fills `row` (its identifying fields already set); never fails:
// failures are the row's status and message.
RunResult ExecuteExternalRun(const HeapConfiguration& config, const WorkloadConfig& workload,
                             bool cycle_log, RunResult row, const ExternalRunOptions& options);

}  // namespace gclab

#endif  // GCLAB_EXPERIMENTS_EXTERNAL_RUN_H_
