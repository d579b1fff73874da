#include "experiments/results_io.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "google/protobuf/util/json_util.h"
#include "util/files.h"

namespace gclab {
namespace {

std::string CsvField(const std::string& s) {
  if (s.find_first_of(",\"\n\r") == std::string::npos) return s;
  std::string out = "\"";
  for (char c : s) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

std::string Num(double v) { return absl::StrFormat("%.6g", v); }

}  // namespace

const std::vector<std::string>& CsvColumns() {
  static const std::vector<std::string>* columns = new std::vector<std::string>{
      "experiment",
      "config",
      "allocator",
      "collector",
      "escape_mode",
      "workload",
      "repetition",
      "status",
      "wall_s",
      "cpu_s",
      "collections",
      "pauses",
      "pause_total_ms",
      "pause_p50_ms",
      "pause_p99_ms",
      "pause_max_ms",
      "mmu_1ms",
      "mmu_10ms",
      "mmu_100ms",
      "peak_heap_bytes",
      "peak_rss_bytes",
      "bytes_allocated",
      "objects_allocated",
      "stack_allocated_objects",
      "barrier_slow_hits",
      // Appended after the required columns.
      "pause_mean_ms",
      "alloc_rate_mb_s",
      "mark_rate_mb_s",
      "seed",
      "message",
  };
  return *columns;
}

std::string ResultsToCsv(const ExperimentResults& results) {
  std::string out = absl::StrCat(absl::StrJoin(CsvColumns(), ","), "\n");
  const std::string experiment = results.experiment().name();
  for (const RunResult& r : results.runs()) {
    std::vector<std::string> row = {
        CsvField(experiment),
        CsvField(r.config()),
        CsvField(r.allocator()),
        CsvField(r.collector()),
        CsvField(r.escape_mode()),
        CsvField(r.workload()),
        absl::StrCat(r.repetition()),
        CsvField(r.status()),
        Num(r.wall_s()),
        Num(r.cpu_s()),
        absl::StrCat(r.collections()),
        absl::StrCat(r.pauses()),
        Num(r.pause_total_ms()),
        Num(r.pause_p50_ms()),
        Num(r.pause_p99_ms()),
        Num(r.pause_max_ms()),
        Num(r.mmu_1ms()),
        Num(r.mmu_10ms()),
        Num(r.mmu_100ms()),
        absl::StrCat(r.peak_heap_bytes()),
        absl::StrCat(r.peak_rss_bytes()),
        absl::StrCat(r.bytes_allocated()),
        absl::StrCat(r.objects_allocated()),
        absl::StrCat(r.stack_allocated_objects()),
        absl::StrCat(r.barrier_slow_hits()),
        Num(r.pause_mean_ms()),
        Num(r.alloc_rate_mb_s()),
        Num(r.mark_rate_mb_s()),
        absl::StrCat(r.seed()),
        CsvField(r.message()),
    };
    absl::StrAppend(&out, absl::StrJoin(row, ","), "\n");
  }
  return out;
}

absl::StatusOr<std::string> ResultsToJson(const ExperimentResults& results) {
  std::string json;
  google::protobuf::util::JsonPrintOptions options;
  options.add_whitespace = true;
  options.preserve_proto_field_names = true;
  options.always_print_primitive_fields = true;
  auto status = google::protobuf::util::MessageToJsonString(results, &json, options);
  if (!status.ok()) return absl::InternalError(std::string(status.message()));
  return json;
}

absl::StatusOr<ExperimentResults> ResultsFromJson(const std::string& json) {
  ExperimentResults results;
  google::protobuf::util::JsonParseOptions options;
  options.ignore_unknown_fields = true;
  auto status = google::protobuf::util::JsonStringToMessage(json, &results, options);
  if (!status.ok()) return absl::InvalidArgumentError(std::string(status.message()));
  return results;
}

absl::StatusOr<std::string> CyclesToJsonLines(const ExperimentResults& results) {
  std::string out;
  google::protobuf::util::JsonPrintOptions options;
  options.preserve_proto_field_names = true;
  for (const RunResult& r : results.runs()) {
    for (const CycleSample& c : r.cycles()) {
      std::string line;
      auto status = google::protobuf::util::MessageToJsonString(c, &line, options);
      if (!status.ok()) return absl::InternalError(std::string(status.message()));
      absl::StrAppend(&out, line, "\n");
    }
  }
  return out;
}

absl::StatusOr<std::string> IncrementalResultsJson::Document(const ExperimentResults& results) {
  google::protobuf::util::JsonPrintOptions options;
  options.add_whitespace = true;
  options.preserve_proto_field_names = true;
  options.always_print_primitive_fields = true;
  for (int i = static_cast<int>(runs_.size()); i < results.runs_size(); ++i) {
    std::string json;
    auto status = google::protobuf::util::MessageToJsonString(results.runs(i), &json, options);
    if (!status.ok()) return absl::InternalError(std::string(status.message()));
    runs_.push_back(std::move(json));
  }
  ExperimentResults header = results;
  header.clear_runs();
  std::string json;
  auto status = google::protobuf::util::MessageToJsonString(header, &json, options);
  if (!status.ok()) return absl::InternalError(std::string(status.message()));
  // The empty list stands where the runs go. No string value can hold this
  // text: the quotes of a string's contents are escaped.
  const std::string kEmptyRuns = "\"runs\": []";
  const size_t at = json.find(kEmptyRuns);
  if (at == std::string::npos) return absl::InternalError("results.json: no runs field");
  std::string out = json.substr(0, at);
  absl::StrAppend(&out, "\"runs\": [",
                  absl::StrJoin(runs_.begin(), runs_.begin() + results.runs_size(), ",\n"), "]",
                  json.substr(at + kEmptyRuns.size()));
  return out;
}

absl::StatusOr<ExperimentResults> ReadResultsJsonFile(const std::string& path) {
  absl::StatusOr<std::string> json = ReadFile(path);
  if (!json.ok()) return json.status();
  absl::StatusOr<ExperimentResults> results = ResultsFromJson(*json);
  if (!results.ok()) {
    return absl::InvalidArgumentError(
        absl::StrCat(path, ": not a gclab results.json: ", results.status().message()));
  }
  return results;
}

}  // namespace gclab
