#include "experiments/external_run.h"

#include <stdlib.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <optional>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "experiments/gctrace.h"
#include "experiments/run_figures.h"
#include "gocompile/build.h"
#include "google/protobuf/text_format.h"
#include "google/protobuf/util/json_util.h"
#include "goruntime/run_stats.pb.h"
#include "util/files.h"
#include "util/subprocess.h"
#include "workloads/registry.h"

namespace gclab {
namespace {

std::string RootOf(const ExternalRunOptions& options) {
  if (!options.runfiles_root.empty()) return options.runfiles_root;
  return gocompile::RuntimeRootFor("");
}

// The workloads/go programs present in the runfiles, for error messages.
std::string KnownPrograms(const std::string& root) {
  std::vector<std::string> names;
  std::error_code error;
  for (const auto& entry :
       std::filesystem::directory_iterator(absl::StrCat(root, "/workloads/go"), error)) {
    const std::string name = entry.path().filename().string();
    if (IsRegularFile(entry.path().string() + ".go")) names.push_back(name);
  }
  std::sort(names.begin(), names.end());
  return names.empty() ? "none (the runner was built without //workloads/go)"
                       : absl::StrJoin(names, ", ");
}

// A file of workloads/go program `program` in the runfiles: its binary
// (suffix "") or its source (".go").
absl::StatusOr<std::string> ProgramFile(const std::string& program, const std::string& root,
                                        absl::string_view suffix) {
  const std::string path = absl::StrCat(root, "/workloads/go/", program, suffix);
  if (!IsRegularFile(path)) {
    return absl::NotFoundError(absl::StrCat("go_program.program \"", program, "\": no ", path,
                                            "; known programs: ", KnownPrograms(root)));
  }
  return path;
}

// The Go source of a program: a workloads/go file in the runfiles, or the
// user's file.
absl::StatusOr<std::string> SourceOf(const GoProgramParams& p, const std::string& root) {
  if (p.has_program()) return ProgramFile(p.program(), root, ".go");
  const std::string src = ResolveUserPath(p.file());
  if (!IsRegularFile(src)) {
    return absl::NotFoundError(absl::StrCat("go_program.file: cannot read ", src));
  }
  return src;
}

// The binary on gclab's heap: Bazel's for a workloads/go program, else
// compiled now (or found in the cache).
absl::StatusOr<std::string> GclabBinaryOf(const GoProgramParams& p, const std::string& root,
                                          const ExternalRunOptions& options) {
  if (p.has_program()) return ProgramFile(p.program(), root, "");
  absl::StatusOr<std::string> src = SourceOf(p, root);
  if (!src.ok()) return src.status();
  gocompile::GoBuildOptions o;
  o.runtime_root = root;
  o.cache_dir = options.cache_dir;
  absl::StatusOr<gocompile::GoBuildResult> built = gocompile::BuildGoProgram(*src, o);
  if (!built.ok()) return built.status();
  return built->binary;
}

// The line of the child's stderr that says why it failed: a panic or fatal
// error if there is one, else the last line.
std::string Why(const ProcessResult& ran) {
  std::string last;
  for (absl::string_view line : absl::StrSplit(ran.stderr_text, '\n', absl::SkipWhitespace())) {
    if (absl::StartsWith(line, "panic: ") || absl::StartsWith(line, "fatal error: ")) {
      return std::string(line);
    }
    last = std::string(line);
  }
  return last;
}

// Status and message from how the child ended.
void SetStatus(const ProcessResult& ran, RunResult* row) {
  if (ran.Succeeded()) {
    row->set_status("ok");
    return;
  }
  const std::string why = Why(ran);
  if (ran.timed_out) {
    row->set_status("timeout");
  } else if (ran.term_signal != 0) {
    row->set_status("crashed");
  } else if (ran.exit_code == 2 && absl::StrContains(ran.stderr_text, "out of memory")) {
    row->set_status("oom");
  } else {
    row->set_status("error");
  }
  row->set_message(absl::StrCat(ran.Describe(), why.empty() ? "" : ": ", why));
}

// Runs the program `p` describes followed by `program`'s arguments, its
// stdout discarded, within the run timeout; fills the row's status, wall and
// CPU time and peak RSS. An error only if it could not be started.
absl::StatusOr<ProcessResult> RunChild(ProcessOptions p, const GoProgramParams& program,
                                       const ExternalRunOptions& options, RunResult* row) {
  p.argv.insert(p.argv.end(), program.args().begin(), program.args().end());
  p.capture_stdout = false;
  p.stdout_path = "/dev/null";
  p.timeout = options.timeout;
  absl::StatusOr<ProcessResult> ran = RunProcess(p);
  if (!ran.ok()) return ran;
  row->set_wall_s(ran->wall_s);
  row->set_cpu_s(ran->user_cpu_s + ran->system_cpu_s);
  row->set_peak_rss_bytes(ran->max_rss_bytes);
  SetStatus(*ran, row);
  return ran;
}

RunResult Failed(RunResult row, const absl::Status& s) {
  row.set_status("error");
  row.set_message(std::string(s.message()));
  return row;
}

RunResult RunOnGclab(const HeapConfiguration& config, const GoProgramParams& program,
                     bool cycle_log, RunResult row, const ExternalRunOptions& options) {
  const std::string root = RootOf(options);
  absl::StatusOr<std::string> bin = GclabBinaryOf(program, root, options);
  if (!bin.ok()) return Failed(std::move(row), bin.status());
  std::string stats_path = "/tmp/gclab-go-stats-XXXXXX";
  if (const char* t = std::getenv("TMPDIR"); t != nullptr && *t != '\0') {
    stats_path = absl::StrCat(t, "/gclab-go-stats-XXXXXX");
  }
  const int fd = ::mkstemp(stats_path.data());
  if (fd < 0) return Failed(std::move(row), absl::InternalError("cannot create a stats file"));
  ::close(fd);
  std::string allocator, collector;
  google::protobuf::TextFormat::Printer printer;
  printer.SetSingleLineMode(true);
  printer.PrintToString(config.allocator(), &allocator);
  printer.PrintToString(config.collector(), &collector);
  ProcessOptions p;
  p.argv = {*bin,
            absl::StrCat("--allocator_config=", allocator),
            absl::StrCat("--collector_config=", collector),
            absl::StrCat("--escape=", EffectiveEscapeMode(config)),
            absl::StrCat("--heap_limit_bytes=", config.heap().heap_limit_bytes()),
            absl::StrCat("--max_stack_bytes=", config.heap().stack_region_bytes()),
            absl::StrCat("--stats_json=", stats_path)};
  if (config.heap().verify()) p.argv.push_back("--verify");
  if (config.heap().gctrace()) p.argv.push_back("--gctrace");
  p.argv.push_back("--");
  absl::StatusOr<ProcessResult> ran = RunChild(std::move(p), program, options, &row);
  absl::StatusOr<std::string> json = ReadFile(stats_path);
  std::remove(stats_path.c_str());
  if (!ran.ok()) return Failed(std::move(row), ran.status());
  if (config.heap().gctrace()) std::fputs(ran->stderr_text.c_str(), stderr);
  GoRunStats stats;
  if (!json.ok() || json->empty() ||
      !google::protobuf::util::JsonStringToMessage(*json, &stats).ok()) {
    // A program that died before writing its statistics (a signal, a
    // usage error) has only its status.
    if (row.status() == "ok") {
      row.set_status("error");
      row.set_message(absl::StrCat("the program wrote no statistics to ", stats_path));
    }
    return row;
  }
  FillGcColumns(GcFiguresFromGoRunStats(stats), 0, stats.run_ns(), cycle_log, &row);
  row.set_bytes_allocated(stats.bytes_allocated());
  row.set_objects_allocated(stats.objects_allocated());
  row.set_stack_allocated_objects(stats.stack_objects_allocated());
  row.set_alloc_rate_mb_s(
      row.wall_s() > 0 ? static_cast<double>(stats.bytes_allocated()) / 1e6 / row.wall_s() : 0);
  return row;
}

RunResult RunOnGoRuntime(const GoRuntime& go, const GoProgramParams& program, bool cycle_log,
                         RunResult row, const ExternalRunOptions& options) {
  const std::string root = RootOf(options);
  absl::StatusOr<std::string> src = SourceOf(program, root);
  if (!src.ok()) return Failed(std::move(row), src.status());
  absl::StatusOr<gocompile::GoBuildResult> built =
      gocompile::BuildWithGoToolchain(*src, go.go(), options.cache_dir);
  if (!built.ok()) return Failed(std::move(row), built.status());
  ProcessOptions p;
  p.argv = {built->binary};
  p.env = {"GODEBUG=gctrace=1",
           go.gogc() < 0 ? std::string("GOGC=off") : absl::StrCat("GOGC=", go.gogc())};
  if (go.gomaxprocs() > 0) p.env.push_back(absl::StrCat("GOMAXPROCS=", go.gomaxprocs()));
  absl::StatusOr<ProcessResult> ran = RunChild(std::move(p), program, options, &row);
  if (!ran.ok()) return Failed(std::move(row), ran.status());
  absl::StatusOr<std::vector<GoTraceCycle>> trace = ParseGcTrace(ran->stderr_text);
  if (!trace.ok()) return Failed(std::move(row), trace.status());
  const int64_t run_ns = static_cast<int64_t>(ran->wall_s * 1e9);
  FillGcColumns(GcFiguresFromGcTrace(*trace), 0, run_ns, cycle_log, &row);
  return row;
}

}  // namespace

bool RunsExternally(const HeapConfiguration& config, const WorkloadConfig& workload) {
  return config.has_go_runtime() || IsExternalWorkload(workload);
}

std::string EffectiveEscapeMode(const HeapConfiguration& config) {
  if (config.has_go_runtime()) return "go";
  return config.escape_mode() == "none" ? "all_heap" : config.escape_mode();
}

RunResult ExecuteExternalRun(const HeapConfiguration& config, const WorkloadConfig& workload,
                             bool cycle_log, RunResult row, const ExternalRunOptions& options) {
  std::optional<GoProgramParams> program = GoEquivalent(workload);
  if (!program.has_value()) {
    return Failed(std::move(row),
                  absl::FailedPreconditionError(absl::StrCat("workload \"", WorkloadLabel(workload),
                                                             "\" has no Go program to run")));
  }
  if (config.has_go_runtime()) {
    return RunOnGoRuntime(config.go_runtime(), *program, cycle_log, std::move(row), options);
  }
  return RunOnGclab(config, *program, cycle_log, std::move(row), options);
}

}  // namespace gclab
