#include "experiments/experiment_config.h"

#include <algorithm>
#include <fstream>
#include <set>
#include <sstream>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "google/protobuf/io/tokenizer.h"
#include "google/protobuf/text_format.h"
#include "registry/registry.h"
#include "util/status_macros.h"
#include "workloads/registry.h"

namespace gclab {
namespace {

using google::protobuf::TextFormat;

// Collects parser errors as "file:line:col: message" (1-based).
class ErrorCollector : public google::protobuf::io::ErrorCollector {
 public:
  ErrorCollector(absl::string_view filename, absl::string_view text)
      : filename_(filename), lines_(absl::StrSplit(text, '\n')) {}
  void AddError(int line, google::protobuf::io::ColumnNumber column,
                const std::string& message) override {
    column = ColumnOfUnknownName(line, column, message);
    errors_.push_back(
        absl::StrCat(filename_, ":", line + 1, ":", column + 1, ": ", Explain(message)));
  }
  void AddWarning(int line, google::protobuf::io::ColumnNumber column,
                  const std::string& message) override {}
  const std::vector<std::string>& errors() const { return errors_; }

 private:
  // Unknown module or workload names are unknown oneof fields; say which
  // names exist.
  static std::string Explain(const std::string& message) {
    if (!absl::StrContains(message, "has no field named")) return message;
    if (absl::StrContains(message, "\"gclab.AllocatorConfig\"")) {
      return absl::StrCat(message,
                          " Known allocators: ", absl::StrJoin(KnownAllocatorNames(), ", "));
    }
    if (absl::StrContains(message, "\"gclab.CollectorConfig\"")) {
      return absl::StrCat(message,
                          " Known collectors: ", absl::StrJoin(KnownCollectorNames(), ", "));
    }
    if (absl::StrContains(message, "\"gclab.WorkloadConfig\"")) {
      return absl::StrCat(message, " Known workloads: ", absl::StrJoin(KnownWorkloadNames(), ", "));
    }
    return message;
  }

  // The parser reports an unknown field at the token after its name; point at
  // the name itself when it is on the same line.
  int ColumnOfUnknownName(int line, int column, const std::string& message) const {
    const std::string marker = "has no field named \"";
    const size_t at = message.find(marker);
    if (at == std::string::npos || line < 0 || line >= static_cast<int>(lines_.size())) {
      return column;
    }
    const size_t start = at + marker.size();
    const std::string name = message.substr(start, message.find('"', start) - start);
    const std::string& text = lines_[line];
    const size_t found = text.rfind(name, std::min<size_t>(column, text.size()));
    return found == std::string::npos ? column : static_cast<int>(found);
  }

  std::string filename_;
  std::vector<std::string> lines_;
  std::vector<std::string> errors_;
};

constexpr int64_t kMaxPlannedRuns = 1000000;
constexpr uint64_t kMaxStackRegionBytes = uint64_t{1} << 30;  // as Heap::Create

bool IsValidName(absl::string_view name) {
  if (name.empty()) return false;
  return std::all_of(name.begin(), name.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-' || c == '.';
  });
}

absl::Status Prefixed(absl::string_view prefix, const absl::Status& s) {
  if (s.ok()) return s;
  return absl::Status(s.code(), absl::StrCat(prefix, s.message()));
}

// A Go-runtime configuration has nothing of gclab's heap to set.
absl::Status ValidateGoRuntime(const HeapConfiguration& c, const std::string& where) {
  if (c.has_allocator() || c.has_collector() || c.has_heap()) {
    return absl::InvalidArgumentError(
        absl::StrCat(where,
                     "a go_runtime configuration is Go's own runtime: leave allocator, collector "
                     "and heap unset"));
  }
  if (c.escape_mode() != "none" && c.escape_mode() != "go") {
    return absl::InvalidArgumentError(
        absl::StrCat(where,
                     "go_runtime runs Go's own escape analysis; escape_mode must be \"go\" "
                     "or unset, got \"",
                     c.escape_mode(), "\""));
  }
  const GoRuntime& go = c.go_runtime();
  if (go.gogc() < -1 || go.gogc() > 1000000) {
    return absl::InvalidArgumentError(absl::StrCat(
        where, "go_runtime.gogc must be -1 (off) or in [0, 1000000], got ", go.gogc()));
  }
  if (go.gomaxprocs() < 0 || go.gomaxprocs() > 4096) {
    return absl::InvalidArgumentError(
        absl::StrCat(where, "go_runtime.gomaxprocs must be in [0, 4096] (0: Go's default), got ",
                     go.gomaxprocs()));
  }
  if (go.go().empty()) {
    return absl::InvalidArgumentError(
        absl::StrCat(where, "go_runtime.go must name the go command"));
  }
  return absl::OkStatus();
}

// Configurations and workloads that cannot meet: an escape analysis needs a
// Go program to analyse, and Go's runtime needs the workload's Go program.
absl::Status CheckConfigsMeetWorkloads(const Experiment& e) {
  for (int i = 0; i < e.configs_size(); ++i) {
    const HeapConfiguration& c = e.configs(i);
    const std::string where = absl::StrCat("configs[", i, "] \"", c.name(), "\": ");
    for (int j = 0; j < e.workloads_size(); ++j) {
      const WorkloadConfig& w = e.workloads(j);
      if (c.has_go_runtime() && !GoEquivalent(w).has_value()) {
        return absl::InvalidArgumentError(absl::StrCat(
            where, "workloads[", j, "] \"", WorkloadLabel(w),
            "\" has no Go program for Go's runtime to run (go_program workloads, and gcbench / "
            "binary_trees with one thread and no extra stack roots, have one)"));
      }
      // gocompile's runtime needs room for its frame records.
      constexpr uint64_t kMinGoStackBytes = 65536;
      if (!c.has_go_runtime() && IsExternalWorkload(w) &&
          c.heap().stack_region_bytes() < kMinGoStackBytes) {
        return absl::InvalidArgumentError(
            absl::StrCat(where, "heap.stack_region_bytes must be at least ", kMinGoStackBytes,
                         " for Go-program workloads (workloads[", j, "] \"", WorkloadLabel(w),
                         "\"), got ", c.heap().stack_region_bytes()));
      }
      if (!c.has_go_runtime() && !IsExternalWorkload(w) && c.escape_mode() != "none" &&
          c.escape_mode() != "all_heap") {
        return absl::InvalidArgumentError(absl::StrCat(
            where, "escape_mode \"", c.escape_mode(), "\" needs Go-program workloads; workloads[",
            j, "] \"", WorkloadLabel(w),
            "\" is a C++ workload that puts every object on the heap (\"none\" or \"all_heap\")"));
      }
    }
  }
  return absl::OkStatus();
}

absl::Status ValidateConfiguration(const HeapConfiguration& c, int index) {
  const std::string where = absl::StrCat("configs[", index, "] \"", c.name(), "\": ");
  if (!IsValidName(c.name())) {
    return absl::InvalidArgumentError(
        absl::StrCat("configs[", index, "].name must be a non-empty [A-Za-z0-9_.-]+ label, got \"",
                     c.name(), "\""));
  }
  if (c.has_go_runtime()) return ValidateGoRuntime(c, where);
  if (AllocatorName(c.allocator()).empty()) {
    return absl::InvalidArgumentError(absl::StrCat(
        where,
        "allocator is not set; known allocators: ", absl::StrJoin(KnownAllocatorNames(), ", ")));
  }
  if (CollectorName(c.collector()).empty()) {
    return absl::InvalidArgumentError(absl::StrCat(
        where,
        "collector is not set; known collectors: ", absl::StrJoin(KnownCollectorNames(), ", ")));
  }
  // The factories check module parameters and name the offending field.
  absl::StatusOr<std::unique_ptr<Allocator>> allocator = MakeAllocator(c.allocator());
  GCLAB_RETURN_IF_ERROR(Prefixed(absl::StrCat(where, "allocator: "), allocator.status()));
  absl::StatusOr<std::unique_ptr<Collector>> collector = MakeCollector(c.collector());
  GCLAB_RETURN_IF_ERROR(Prefixed(absl::StrCat(where, "collector: "), collector.status()));
  // The pair must fit: their declared capabilities and constraints decide.
  absl::Status fits = CheckModulesFit(**allocator, **collector, c.collector());
  if (!fits.ok()) return absl::InvalidArgumentError(absl::StrCat(where, fits.message()));
  const HeapSettings& h = c.heap();
  if (h.heap_limit_bytes() < (1u << 20)) {
    return absl::InvalidArgumentError(absl::StrCat(
        where, "heap.heap_limit_bytes must be at least 1048576, got ", h.heap_limit_bytes()));
  }
  if (h.stack_region_bytes() < 4096 || h.stack_region_bytes() > kMaxStackRegionBytes) {
    return absl::InvalidArgumentError(
        absl::StrCat(where, "heap.stack_region_bytes must be in [4096, ", kMaxStackRegionBytes,
                     "], got ", h.stack_region_bytes()));
  }
  if (h.allocation_check_bytes() < 1024) {
    return absl::InvalidArgumentError(
        absl::StrCat(where, "heap.allocation_check_bytes must be at least 1024, got ",
                     h.allocation_check_bytes()));
  }
  const std::vector<std::string> modes = KnownEscapeModes();
  if (std::find(modes.begin(), modes.end(), c.escape_mode()) == modes.end()) {
    return absl::InvalidArgumentError(
        absl::StrCat(where, "unknown escape_mode \"", c.escape_mode(),
                     "\"; known modes: ", absl::StrJoin(modes, ", ")));
  }
  return absl::OkStatus();
}

// "line:col:" of the configs[i] / workloads[i] entry a validation message
// starts with (1-based), or "" when it names neither.
std::string LocationOf(absl::string_view message, const Experiment& e,
                       const TextFormat::ParseInfoTree& tree) {
  for (const char* field : {"configs", "workloads"}) {
    const std::string prefix = absl::StrCat(field, "[");
    if (!absl::StartsWith(message, prefix)) continue;
    int index = 0;
    const absl::string_view rest = message.substr(prefix.size());
    if (!absl::SimpleAtoi(rest.substr(0, rest.find(']')), &index)) return "";
    const google::protobuf::FieldDescriptor* fd = Experiment::descriptor()->FindFieldByName(field);
    const google::protobuf::TextFormat::ParseLocation loc = tree.GetLocation(fd, index);
    if (loc.line < 0) return "";
    return absl::StrCat(loc.line + 1, ":", loc.column + 1, ":");
  }
  return "";
}

}  // namespace

std::vector<std::string> KnownEscapeModes() {
  return {"none", "all_heap", "intraprocedural", "go"};
}

absl::Status ValidateExperiment(const Experiment& e) {
  if (!IsValidName(e.name())) {
    return absl::InvalidArgumentError(
        absl::StrCat("name must be a non-empty [A-Za-z0-9_.-]+ label, got \"", e.name(), "\""));
  }
  if (e.configs().empty()) return absl::InvalidArgumentError("configs: at least one is needed");
  if (e.workloads().empty()) {
    return absl::InvalidArgumentError(
        absl::StrCat("workloads: at least one is needed; known workloads: ",
                     absl::StrJoin(KnownWorkloadNames(), ", ")));
  }
  if (e.repetitions() < 1) {
    return absl::InvalidArgumentError(
        absl::StrCat("repetitions must be >= 1, got ", e.repetitions()));
  }
  if (e.warmups() < 0) {
    return absl::InvalidArgumentError(absl::StrCat("warmups must be >= 0, got ", e.warmups()));
  }
  // The plan is built before anything runs; a huge one would fill memory.
  const int64_t runs =
      int64_t{e.configs_size()} * e.workloads_size() * (int64_t{e.repetitions()} + e.warmups());
  if (runs > kMaxPlannedRuns) {
    return absl::InvalidArgumentError(
        absl::StrCat("the experiment plans ", runs, " runs (", e.configs_size(), " configs x ",
                     e.workloads_size(), " workloads x (", e.repetitions(), " repetitions + ",
                     e.warmups(), " warm-ups)); at most ", kMaxPlannedRuns));
  }
  std::set<std::string> names;
  for (int i = 0; i < e.configs_size(); ++i) {
    GCLAB_RETURN_IF_ERROR(ValidateConfiguration(e.configs(i), i));
    if (!names.insert(e.configs(i).name()).second) {
      return absl::InvalidArgumentError(
          absl::StrCat("configs[", i, "].name \"", e.configs(i).name(), "\" is used twice"));
    }
  }
  std::set<std::string> labels;
  for (int i = 0; i < e.workloads_size(); ++i) {
    const WorkloadConfig& w = e.workloads(i);
    GCLAB_RETURN_IF_ERROR(
        Prefixed(absl::StrCat("workloads[", i, "]: "), ValidateWorkloadConfig(w)));
    if (!IsValidName(WorkloadLabel(w))) {
      return absl::InvalidArgumentError(absl::StrCat(
          "workloads[", i, "].label must be a [A-Za-z0-9_.-]+ label, got \"", w.label(), "\""));
    }
    if (!labels.insert(WorkloadLabel(w)).second) {
      return absl::InvalidArgumentError(
          absl::StrCat("workloads[", i, "]: label \"", WorkloadLabel(w),
                       "\" is used twice; give repeated workloads distinct labels"));
    }
  }
  return CheckConfigsMeetWorkloads(e);
}

absl::StatusOr<Experiment> ParseExperimentText(absl::string_view text, absl::string_view filename) {
  Experiment e;
  ErrorCollector errors(filename, text);
  TextFormat::Parser parser;
  parser.RecordErrorsTo(&errors);
  TextFormat::ParseInfoTree tree;
  parser.WriteLocationsTo(&tree);
  if (!parser.ParseFromString(std::string(text), &e)) {
    if (errors.errors().empty()) {
      return absl::InvalidArgumentError(absl::StrCat(filename, ": cannot parse the config"));
    }
    return absl::InvalidArgumentError(absl::StrJoin(errors.errors(), "\n"));
  }
  absl::Status valid = ValidateExperiment(e);
  if (!valid.ok()) {
    return Prefixed(absl::StrCat(filename, ":", LocationOf(valid.message(), e, tree), " "), valid);
  }
  return e;
}

absl::StatusOr<Experiment> LoadExperimentFile(const std::string& path) {
  std::ifstream in(path);
  if (!in) return absl::NotFoundError(absl::StrCat("cannot read config file ", path));
  std::stringstream buffer;
  buffer << in.rdbuf();
  return ParseExperimentText(buffer.str(), path);
}

void ShrinkExperimentForSmoke(Experiment* e) {
  e->set_repetitions(1);
  e->set_warmups(0);
  for (WorkloadConfig& w : *e->mutable_workloads()) ShrinkForSmoke(&w);
  for (HeapConfiguration& c : *e->mutable_configs()) {
    if (c.has_go_runtime()) continue;  // no heap settings
    HeapSettings* h = c.mutable_heap();
    h->set_heap_limit_bytes(std::min<uint64_t>(h->heap_limit_bytes(), uint64_t{256} << 20));
  }
}

HeapConfig HeapConfigFor(const HeapConfiguration& c) {
  HeapConfig config;
  const HeapSettings& h = c.heap();
  config.heap_limit_bytes = h.heap_limit_bytes();
  config.stack_region_bytes = h.stack_region_bytes();
  config.verify = h.verify();
  config.gctrace = h.gctrace();
  config.allocation_check_bytes = h.allocation_check_bytes();
  ApplyHeapEnvironment(&config);
  return config;
}

}  // namespace gclab
