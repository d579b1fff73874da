// gclab experiment runner.
//
//   bazel run --config=opt //experiments:run --
//       experiments/configs/quickstart.textproto --out_dir=/tmp/gclab-quickstart
//
// Runs the experiment's matrix, prints progress on stderr and a markdown
// table on stdout, and writes DIR/results.json, DIR/results.csv, DIR/report.md,
// SVG plots and (outputs.cycle_log) DIR/cycles.jsonl. See docs/EXPERIMENTS.md.
// results.json, results.csv and cycles.jsonl are rewritten (atomically) after
// every run, so an interrupted experiment leaves valid files for the runs
// that finished. SIGINT or SIGTERM: no further run starts, every output is
// written for what ran; a second SIGINT exits at once.
// Exit status: 0 all runs ok, 1 usage or config error, 2 I/O error, 3 some run
// failed (oom, validation_failed, error, crashed, timeout), 130 interrupted.
#include <unistd.h>

#include <atomic>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <set>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/flags/usage.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "experiments/experiment_config.h"
#include "experiments/machine_info.h"
#include "experiments/plots.h"
#include "experiments/report.h"
#include "experiments/results_io.h"
#include "experiments/runner.h"
#include "util/files.h"
#include "workloads/registry.h"

ABSL_FLAG(std::string, out_dir, "",
          "Directory for results.{json,csv}, report.md, plots (created). Relative paths are "
          "resolved against the directory `bazel run` was called from. Default: "
          "gclab-results/<experiment name>.");
ABSL_FLAG(bool, smoke, false,
          "Shrink workload sizes, 1 repetition, no warm-up (what the smoke tests run).");
ABSL_FLAG(bool, fresh_process, false,
          "Run every run in a fresh process (the runner re-executes itself); makes "
          "peak_rss_bytes exact per run.");
ABSL_FLAG(int, repetitions, -1, "Override the config's repetitions.");
ABSL_FLAG(int, warmups, -1, "Override the config's warm-ups.");
ABSL_FLAG(std::string, configs, "", "Only these configurations (comma-separated names).");
ABSL_FLAG(std::string, workloads, "", "Only these workloads (comma-separated labels).");
ABSL_FLAG(bool, cycle_log, false, "Write cycles.jsonl even if the config does not ask.");
ABSL_FLAG(double, run_timeout_s, 0,
          "With --fresh_process, and for Go programs and Go's runtime (always their own "
          "process): a run still going after this many seconds is killed and recorded as "
          "'timeout' (0: no limit).");
ABSL_FLAG(int, single_run, -1, "Internal (--fresh_process): run only plan entry N.");
ABSL_FLAG(std::string, single_run_output, "", "Internal: where --single_run writes its result.");
ABSL_FLAG(int, crash_run_for_testing, -1,
          "Tests only: with --fresh_process, plan entry N's process aborts, as a run that "
          "crashes would.");

namespace gclab {
namespace {

namespace fs = std::filesystem;

// Config paths: relative to where the user ran `bazel run`, else the runfiles
// tree (the Bazel macro passes runfiles paths).
std::string ConfigPath(const std::string& path) {
  const std::string user = ResolveUserPath(path);
  std::error_code ec;
  if (fs::exists(user, ec)) return fs::absolute(user, ec).string();
  return fs::absolute(path, ec).string();
}

absl::Status KeepOnly(Experiment* e, const std::string& configs, const std::string& workloads) {
  if (!configs.empty()) {
    std::set<std::string> wanted = absl::StrSplit(configs, ',', absl::SkipEmpty());
    Experiment copy = *e;
    e->clear_configs();
    for (const HeapConfiguration& c : copy.configs()) {
      if (wanted.erase(c.name())) *e->add_configs() = c;
    }
    if (!wanted.empty()) {
      return absl::InvalidArgumentError(
          absl::StrCat("--configs: unknown configuration(s) ", absl::StrJoin(wanted, ", ")));
    }
  }
  if (!workloads.empty()) {
    std::set<std::string> wanted = absl::StrSplit(workloads, ',', absl::SkipEmpty());
    Experiment copy = *e;
    e->clear_workloads();
    for (const WorkloadConfig& w : copy.workloads()) {
      if (wanted.erase(WorkloadLabel(w))) *e->add_workloads() = w;
    }
    if (!wanted.empty()) {
      return absl::InvalidArgumentError(
          absl::StrCat("--workloads: unknown workload(s) ", absl::StrJoin(wanted, ", ")));
    }
  }
  return absl::OkStatus();
}

// Loads the config and applies the command-line adjustments (the same in the
// parent and in --single_run children).
absl::StatusOr<Experiment> LoadAdjusted(const std::string& path) {
  absl::StatusOr<Experiment> e = LoadExperimentFile(path);
  if (!e.ok()) return e.status();
  if (absl::GetFlag(FLAGS_smoke)) ShrinkExperimentForSmoke(&*e);
  if (absl::GetFlag(FLAGS_repetitions) >= 1) e->set_repetitions(absl::GetFlag(FLAGS_repetitions));
  if (absl::GetFlag(FLAGS_warmups) >= 0) e->set_warmups(absl::GetFlag(FLAGS_warmups));
  if (absl::GetFlag(FLAGS_cycle_log)) e->mutable_outputs()->set_cycle_log(true);
  absl::Status s = KeepOnly(&*e, absl::GetFlag(FLAGS_configs), absl::GetFlag(FLAGS_workloads));
  if (!s.ok()) return s;
  return e;
}

int SingleRun(const Experiment& e, int index) {
  const std::vector<RunSpec> plan = PlanRuns(e);
  if (index < 0 || index >= static_cast<int>(plan.size())) {
    std::fprintf(stderr, "gclab run: --single_run=%d out of range (plan has %zu runs)\n", index,
                 plan.size());
    return 1;
  }
  if (index == absl::GetFlag(FLAGS_crash_run_for_testing)) {
    std::fprintf(stderr, "gclab run: run %d crashes on purpose (--crash_run_for_testing)\n", index);
    std::abort();
  }
  RunResult r = ExecuteRun(e, plan[index]);
  std::ofstream out(absl::GetFlag(FLAGS_single_run_output), std::ios::binary);
  if (!out || !r.SerializeToOstream(&out)) {
    std::fprintf(stderr, "gclab run: cannot write %s\n",
                 absl::GetFlag(FLAGS_single_run_output).c_str());
    return 2;
  }
  return 0;
}

// SIGINT / SIGTERM: the first stops the experiment between runs; a second
// SIGINT exits at once (the result files are valid up to the last run).
std::atomic<bool> stop_requested{false};

extern "C" void OnStopSignal(int signal) {
  if (stop_requested.exchange(true) && signal == SIGINT) {
    std::signal(SIGINT, SIG_DFL);
    std::raise(SIGINT);
  }
}

// Writes DIR/name atomically; prints the problem and returns false if not.
bool WriteOutput(const std::string& out_dir, const std::string& name,
                 const absl::StatusOr<std::string>& contents) {
  absl::Status s = contents.ok() ? WriteFileAtomically(absl::StrCat(out_dir, "/", name), *contents)
                                 : contents.status();
  if (!s.ok()) {
    std::fprintf(stderr, "gclab run: %s: %s\n", name.c_str(), std::string(s.message()).c_str());
  }
  return s.ok();
}

// results.json, results.csv and (cycle_log) cycles.jsonl.
bool WriteResultFiles(const ExperimentResults& results, const std::string& out_dir, bool cycle_log,
                      IncrementalResultsJson& json) {
  bool ok = WriteOutput(out_dir, "results.json", json.Document(results));
  ok = WriteOutput(out_dir, "results.csv", ResultsToCsv(results)) && ok;
  if (cycle_log) ok = WriteOutput(out_dir, "cycles.jsonl", CyclesToJsonLines(results)) && ok;
  return ok;
}

int Main(int argc, char** argv) {
  absl::SetProgramUsageMessage(
      "gclab experiment runner.\nUsage: run CONFIG.textproto [--out_dir=DIR] [--smoke] "
      "[--fresh_process] [--repetitions=N] [--configs=a,b] [--workloads=x,y]");
  std::vector<char*> args = absl::ParseCommandLine(argc, argv);
  if (args.size() != 2) {
    std::fprintf(stderr, "usage: %s CONFIG.textproto [flags]; --help for the flags\n", argv[0]);
    return 1;
  }
  const std::string config_path = ConfigPath(args[1]);
  absl::StatusOr<Experiment> experiment = LoadAdjusted(config_path);
  if (!experiment.ok()) {
    std::fprintf(stderr, "gclab run: %s\n", std::string(experiment.status().message()).c_str());
    return 1;
  }
  if (absl::GetFlag(FLAGS_single_run) >= 0) {
    return SingleRun(*experiment, absl::GetFlag(FLAGS_single_run));
  }

  std::string out_dir = absl::GetFlag(FLAGS_out_dir);
  if (out_dir.empty()) out_dir = absl::StrCat("gclab-results/", experiment->name());
  out_dir = ResolveUserPath(out_dir);
  std::error_code ec;
  fs::create_directories(out_dir, ec);
  if (ec) {
    std::fprintf(stderr, "gclab run: cannot create %s: %s\n", out_dir.c_str(),
                 ec.message().c_str());
    return 2;
  }

  RunnerOptions options;
  options.log = [](const std::string& line) { std::fprintf(stderr, "%s\n", line.c_str()); };
  options.stop = &stop_requested;
  std::signal(SIGINT, OnStopSignal);
  std::signal(SIGTERM, OnStopSignal);
  if (absl::GetFlag(FLAGS_fresh_process)) {
    options.fresh_process = true;
    options.self_exe = fs::read_symlink("/proc/self/exe", ec).string();
    options.child_args = {config_path};
    if (absl::GetFlag(FLAGS_smoke)) options.child_args.push_back("--smoke");
    for (const char* flag : {"repetitions", "warmups"}) {
      const int v = std::string(flag) == "repetitions" ? absl::GetFlag(FLAGS_repetitions)
                                                       : absl::GetFlag(FLAGS_warmups);
      if (v >= 0) options.child_args.push_back(absl::StrCat("--", flag, "=", v));
    }
    if (!absl::GetFlag(FLAGS_configs).empty()) {
      options.child_args.push_back(absl::StrCat("--configs=", absl::GetFlag(FLAGS_configs)));
    }
    if (!absl::GetFlag(FLAGS_workloads).empty()) {
      options.child_args.push_back(absl::StrCat("--workloads=", absl::GetFlag(FLAGS_workloads)));
    }
    if (absl::GetFlag(FLAGS_cycle_log)) options.child_args.push_back("--cycle_log");
    if (absl::GetFlag(FLAGS_crash_run_for_testing) >= 0) {
      options.child_args.push_back(
          absl::StrCat("--crash_run_for_testing=", absl::GetFlag(FLAGS_crash_run_for_testing)));
    }
    options.scratch_dir = out_dir;
  }
  // Also bounds Go-program and Go-runtime runs, which are their own process
  // with or without --fresh_process.
  if (absl::GetFlag(FLAGS_run_timeout_s) > 0) {
    options.run_timeout = absl::Seconds(absl::GetFlag(FLAGS_run_timeout_s));
  }

  // The checkout whose commit the results name: Bazel's workspace under
  // `bazel run`, else the directory the runner was started in.
  const char* workspace = std::getenv("BUILD_WORKSPACE_DIRECTORY");
  char cwd[4096];
  const std::string checkout = workspace != nullptr                    ? workspace
                               : ::getcwd(cwd, sizeof(cwd)) != nullptr ? cwd
                                                                       : "";
  MachineInfo machine = CollectMachineInfo(checkout);
  std::vector<std::string> command(argv, argv + argc);
  machine.set_command_line(absl::StrJoin(command, " "));

  std::fprintf(stderr,
               "gclab run: experiment %s: %d configs x %d workloads x %d repetitions "
               "(+%d warm-ups) -> %s\n",
               experiment->name().c_str(), experiment->configs_size(), experiment->workloads_size(),
               experiment->repetitions(), experiment->warmups(), out_dir.c_str());
  const bool cycle_log = experiment->outputs().cycle_log();
  IncrementalResultsJson json;
  int exit_code = 0;
  // The result files after every run: what finished survives an interrupt.
  options.on_run_done = [&](const ExperimentResults& so_far) {
    ExperimentResults copy = so_far;
    *copy.mutable_experiment() = *experiment;
    *copy.mutable_machine() = machine;
    if (!WriteResultFiles(copy, out_dir, cycle_log, json)) exit_code = 2;
  };
  ExperimentRunner runner(*experiment, options);
  ExperimentResults results = runner.RunAll();
  *results.mutable_experiment() = *experiment;
  *results.mutable_machine() = machine;
  if (!WriteResultFiles(results, out_dir, cycle_log, json)) exit_code = 2;
  std::vector<std::string> svgs;
  if (experiment->outputs().plots()) {
    absl::StatusOr<std::vector<std::string>> files = WritePlots(results, out_dir);
    if (files.ok()) {
      svgs = *files;
    } else {
      std::fprintf(stderr, "gclab run: plots: %s\n", std::string(files.status().message()).c_str());
      exit_code = 2;
    }
  }
  if (!WriteOutput(out_dir, "report.md", MarkdownReport(results, svgs))) exit_code = 2;

  std::fputs(MarkdownTable(results).c_str(), stdout);
  std::fflush(stdout);
  int failed = 0;
  for (const RunResult& r : results.runs()) failed += r.status() != "ok";
  std::fprintf(stderr, "gclab run: %d runs, %d failed, %.1f s; results in %s\n",
               results.runs_size(), failed, results.total_wall_s(), out_dir.c_str());
  if (!results.complete()) {
    std::fprintf(stderr, "gclab run: interrupted: %d of %d runs ran\n", results.runs_size(),
                 results.runs_planned());
    return 130;
  }
  if (exit_code == 0 && failed > 0) exit_code = 3;
  return exit_code;
}

}  // namespace
}  // namespace gclab

int main(int argc, char** argv) { return gclab::Main(argc, argv); }
