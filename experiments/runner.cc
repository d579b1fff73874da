#include "experiments/runner.h"

#include <time.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "experiments/experiment_config.h"
#include "experiments/external_run.h"
#include "experiments/machine_info.h"
#include "experiments/run_figures.h"
#include "heap/gc_stats.h"
#include "registry/registry.h"
#include "util/files.h"
#include "util/subprocess.h"
#include "workloads/registry.h"

namespace gclab {
namespace {

uint64_t MixSeed(uint64_t x) {
  x += 0x9E3779B97F4A7C15ull;
  x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ull;
  x = (x ^ (x >> 27)) * 0x94D049BB133111EBull;
  return x ^ (x >> 31);
}

double ProcessCpuSeconds() {
  timespec ts;
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) / 1e9;
}

}  // namespace

std::vector<RunSpec> PlanRuns(const Experiment& e) {
  std::vector<RunSpec> plan;
  for (int c = 0; c < e.configs_size(); ++c) {
    for (int w = 0; w < e.workloads_size(); ++w) {
      for (int i = 0; i < e.warmups(); ++i) {
        plan.push_back({c, w, i, true, MixSeed(e.seed() ^ MixSeed(w * 1000003 + 500000 + i))});
      }
      for (int i = 0; i < e.repetitions(); ++i) {
        plan.push_back({c, w, i, false, MixSeed(e.seed() ^ MixSeed(w * 1000003 + i))});
      }
    }
  }
  return plan;
}

RunResult RowFor(const Experiment& e, const RunSpec& spec) {
  const HeapConfiguration& config = e.configs(spec.config_index);
  const WorkloadConfig& workload = e.workloads(spec.workload_index);
  RunResult r;
  r.set_config(config.name());
  r.set_allocator(config.has_go_runtime() ? "go" : AllocatorName(config.allocator()));
  r.set_collector(config.has_go_runtime() ? "go" : CollectorName(config.collector()));
  r.set_escape_mode(RunsExternally(config, workload) ? EffectiveEscapeMode(config)
                                                     : config.escape_mode());
  r.set_workload(WorkloadLabel(workload));
  r.set_repetition(spec.repetition);
  r.set_seed(spec.seed);
  return r;
}

RunResult ExecuteRun(const Experiment& e, const RunSpec& spec, const ExternalRunOptions& external) {
  const HeapConfiguration& config = e.configs(spec.config_index);
  const WorkloadConfig& workload_config = e.workloads(spec.workload_index);
  RunResult r = RowFor(e, spec);
  if (RunsExternally(config, workload_config)) {
    return ExecuteExternalRun(config, workload_config, e.outputs().cycle_log(), std::move(r),
                              external);
  }

  auto fail = [&](const absl::Status& s) {
    r.set_status(StatusKind(s));
    r.set_message(std::string(s.message()));
    return r;
  };
  absl::StatusOr<std::unique_ptr<Workload>> workload = MakeWorkload(workload_config);
  if (!workload.ok()) return fail(workload.status());
  ResetPeakRss();
  absl::StatusOr<std::unique_ptr<Heap>> heap =
      MakeHeap(HeapConfigFor(config), config.allocator(), config.collector());
  if (!heap.ok()) return fail(heap.status());

  const auto wall_start = std::chrono::steady_clock::now();
  const double cpu_start = ProcessCpuSeconds();
  const int64_t run_start_ns = (*heap)->NowNanos();
  const absl::Status status = (*workload)->Run(heap->get(), spec.seed);
  const int64_t run_end_ns = (*heap)->NowNanos();
  const double cpu_s = ProcessCpuSeconds() - cpu_start;
  const double wall_s =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - wall_start).count();

  r.set_status(StatusKind(status));
  if (!status.ok()) r.set_message(std::string(status.message()));
  r.set_wall_s(wall_s);
  r.set_cpu_s(cpu_s);
  FillGcColumns(GcFiguresOf((*heap)->stats()), run_start_ns, run_end_ns, e.outputs().cycle_log(),
                &r);
  r.set_bytes_allocated((*heap)->bytes_allocated());
  r.set_objects_allocated((*heap)->objects_allocated());
  r.set_stack_allocated_objects((*heap)->stack_objects_allocated());
  r.set_alloc_rate_mb_s(wall_s > 0 ? static_cast<double>(r.bytes_allocated()) / 1e6 / wall_s : 0);
  r.set_peak_rss_bytes(PeakRssBytes());
  return r;
}

RunResult ExperimentRunner::RunInChild(int index, const RunSpec& spec) {
  const std::string out = absl::StrCat(options_.scratch_dir, "/run-", index, ".pb");
  std::remove(out.c_str());  // a file from an earlier experiment is not this run's
  ProcessOptions child;
  child.argv = {options_.self_exe};
  child.argv.insert(child.argv.end(), options_.child_args.begin(), options_.child_args.end());
  child.argv.push_back(absl::StrCat("--single_run=", index));
  child.argv.push_back(absl::StrCat("--single_run_output=", out));
  child.capture_stdout = false;  // the child's progress goes where ours goes
  child.capture_stderr = true;   // forwarded below; its last line explains a crash
  child.timeout = options_.run_timeout;

  RunResult failed = RowFor(experiment_, spec);
  failed.set_status("error");
  failed.set_fresh_process(true);
  absl::StatusOr<ProcessResult> ran = RunProcess(child);
  if (!ran.ok()) {
    failed.set_message(std::string(ran.status().message()));
    return failed;
  }
  std::fputs(ran->stderr_text.c_str(), stderr);
  absl::StatusOr<std::string> data = ReadFile(out);
  RunResult r;
  if (!ran->Succeeded() || !data.ok() || !r.ParseFromString(*data)) {
    if (ran->timed_out) {
      failed.set_status("timeout");
    } else if (ran->term_signal != 0) {
      failed.set_status("crashed");
    }
    // The child's last words (an abort's message, a sanitizer's summary).
    absl::string_view last = absl::StripTrailingAsciiWhitespace(ran->stderr_text);
    last = last.substr(last.rfind('\n') == absl::string_view::npos ? 0 : last.rfind('\n') + 1);
    failed.set_message(absl::StrCat("child process failed (", ran->Describe(), ")",
                                    last.empty() ? "" : ": ", last));
    return failed;
  }
  std::remove(out.c_str());
  r.set_fresh_process(true);
  return r;
}

RunResult ExperimentRunner::RunOne(int index, const RunSpec& spec) {
  // Runs that are their own process anyway need no child runner around them.
  if (options_.fresh_process && !RunsExternally(experiment_.configs(spec.config_index),
                                                experiment_.workloads(spec.workload_index))) {
    return RunInChild(index, spec);
  }
  ExternalRunOptions external;
  external.timeout = options_.run_timeout;
  return ExecuteRun(experiment_, spec, external);
}

ExperimentResults ExperimentRunner::RunAll() {
  ExperimentResults results;
  const std::vector<RunSpec> plan = PlanRuns(experiment_);
  results.set_runs_planned(static_cast<int>(
      std::count_if(plan.begin(), plan.end(), [](const RunSpec& s) { return !s.warmup; })));
  const auto start = std::chrono::steady_clock::now();
  auto elapsed = [&] {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  };
  for (size_t i = 0; i < plan.size(); ++i) {
    if (options_.stop != nullptr && options_.stop->load()) {
      if (options_.log) {
        options_.log(absl::StrFormat("stopped after %d of %d runs", results.runs_size(),
                                     results.runs_planned()));
      }
      break;
    }
    const RunSpec& spec = plan[i];
    if (options_.log) {
      options_.log(absl::StrFormat("[%d/%d %6.1fs] %s / %s %s %d", i + 1, plan.size(), elapsed(),
                                   experiment_.configs(spec.config_index).name(),
                                   WorkloadLabel(experiment_.workloads(spec.workload_index)),
                                   spec.warmup ? "warm-up" : "repetition", spec.repetition + 1));
    }
    RunResult r = RunOne(static_cast<int>(i), spec);
    if (options_.log) {
      options_.log(absl::StrFormat("    -> %s in %.3fs%s%s", r.status(), r.wall_s(),
                                   r.message().empty() ? "" : ": ", r.message()));
    }
    if (spec.warmup) continue;
    *results.add_runs() = std::move(r);
    results.set_total_wall_s(elapsed());
    results.set_complete(results.runs_size() == results.runs_planned());
    if (options_.on_run_done) options_.on_run_done(results);
  }
  results.set_total_wall_s(elapsed());
  results.set_complete(results.runs_size() == results.runs_planned());
  return results;
}

}  // namespace gclab
