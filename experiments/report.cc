#include "experiments/report.h"

#include <algorithm>
#include <map>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"

namespace gclab {
namespace {

std::string MedianRange(const Spread& s, const char* fmt) {
  if (s.n <= 1) return absl::StrFormat(fmt, s.median);
  return absl::StrCat(absl::StrFormat(fmt, s.median), " (", absl::StrFormat(fmt, s.min), "–",
                      absl::StrFormat(fmt, s.max), ")");
}

std::string Median(const Spread& s, const char* fmt) { return absl::StrFormat(fmt, s.median); }

}  // namespace

std::vector<ResultCell> GroupByCell(const ExperimentResults& results) {
  std::vector<ResultCell> cells;
  std::map<std::pair<std::string, std::string>, size_t> index;
  for (const RunResult& r : results.runs()) {
    auto key = std::make_pair(r.config(), r.workload());
    auto it = index.find(key);
    if (it == index.end()) {
      it = index.emplace(key, cells.size()).first;
      cells.push_back({r.config(), r.workload(), {}});
    }
    cells[it->second].runs.push_back(&r);
  }
  return cells;
}

Spread CellSpread(const ResultCell& cell, const std::function<double(const RunResult&)>& metric) {
  std::vector<double> values;
  for (const RunResult* r : cell.runs) values.push_back(metric(*r));
  return Summarize(values);
}

std::string CellStatus(const ResultCell& cell) {
  std::map<std::string, int> counts;
  for (const RunResult* r : cell.runs) {
    if (r->status() != "ok") ++counts[r->status()];
  }
  if (counts.empty()) return "ok";
  auto worst = counts.begin();
  for (auto it = counts.begin(); it != counts.end(); ++it) {
    if (it->second > worst->second) worst = it;
  }
  return absl::StrCat(worst->first, " ", worst->second, "/", cell.runs.size());
}

std::string MarkdownTable(const ExperimentResults& results) {
  std::string out =
      "| config | workload | status | wall s | cpu s | GCs | pause p50 ms | pause p99 ms | "
      "pause max ms | TTSP max ms | MMU 10ms | MMU 100ms | peak heap MB | peak RSS MB | alloc MB/s "
      "|\n"
      "|---|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n";
  for (const ResultCell& cell : GroupByCell(results)) {
    auto spread = [&](auto f) { return CellSpread(cell, f); };
    std::vector<std::string> row = {
        cell.config,
        cell.workload,
        CellStatus(cell),
        MedianRange(spread([](const RunResult& r) { return r.wall_s(); }), "%.3f"),
        MedianRange(spread([](const RunResult& r) { return r.cpu_s(); }), "%.3f"),
        Median(spread([](const RunResult& r) { return double(r.collections()); }), "%.0f"),
        Median(spread([](const RunResult& r) { return r.pause_p50_ms(); }), "%.2f"),
        Median(spread([](const RunResult& r) { return r.pause_p99_ms(); }), "%.2f"),
        MedianRange(spread([](const RunResult& r) { return r.pause_max_ms(); }), "%.2f"),
        MedianRange(spread([](const RunResult& r) { return r.ttsp_max_ms(); }), "%.2f"),
        Median(spread([](const RunResult& r) { return r.mmu_10ms(); }), "%.2f"),
        Median(spread([](const RunResult& r) { return r.mmu_100ms(); }), "%.2f"),
        Median(spread([](const RunResult& r) { return r.peak_heap_bytes() / 1048576.0; }), "%.1f"),
        Median(spread([](const RunResult& r) { return r.peak_rss_bytes() / 1048576.0; }), "%.1f"),
        Median(spread([](const RunResult& r) { return r.alloc_rate_mb_s(); }), "%.0f"),
    };
    absl::StrAppend(&out, "| ", absl::StrJoin(row, " | "), " |\n");
  }
  return out;
}

// Where the escape analysis put objects, when any of gclab's configurations
// ran one (escape_mode other than "none"; Go's runtime always runs its own):
// heap and stack allocation per cell.
std::string EscapeTable(const ExperimentResults& results) {
  const bool any = std::any_of(
      results.runs().begin(), results.runs().end(),
      [](const RunResult& r) { return r.escape_mode() != "none" && r.collector() != "go"; });
  if (!any) return "";
  std::string out =
      "## Heap and stack allocation\n\n"
      "| config | workload | escape | heap MB allocated | heap objects | stack objects | GCs | "
      "pause max ms | wall s |\n"
      "|---|---|---|---:|---:|---:|---:|---:|---:|\n";
  for (const ResultCell& cell : GroupByCell(results)) {
    auto spread = [&](auto f) { return CellSpread(cell, f); };
    std::vector<std::string> row = {
        cell.config,
        cell.workload,
        cell.runs.front()->escape_mode(),
        Median(spread([](const RunResult& r) { return r.bytes_allocated() / 1048576.0; }), "%.1f"),
        Median(spread([](const RunResult& r) { return double(r.objects_allocated()); }), "%.0f"),
        Median(spread([](const RunResult& r) { return double(r.stack_allocated_objects()); }),
               "%.0f"),
        Median(spread([](const RunResult& r) { return double(r.collections()); }), "%.0f"),
        Median(spread([](const RunResult& r) { return r.pause_max_ms(); }), "%.2f"),
        Median(spread([](const RunResult& r) { return r.wall_s(); }), "%.3f"),
    };
    absl::StrAppend(&out, "| ", absl::StrJoin(row, " | "), " |\n");
  }
  absl::StrAppend(&out,
                  "\nRows of Go's own runtime (collector `go`) have no allocation counts: its "
                  "gctrace reports none.\n\n");
  return out;
}

std::string MarkdownReport(const ExperimentResults& results,
                           const std::vector<std::string>& svg_files) {
  const MachineInfo& m = results.machine();
  std::string out = absl::StrCat("# Experiment `", results.experiment().name(), "`\n\n");
  if (!results.experiment().description().empty()) {
    absl::StrAppend(&out, results.experiment().description(), "\n\n");
  }
  absl::StrAppend(&out, "- date: ", m.date(), "\n- host: ", m.hostname(), " (", m.cores(),
                  " cores, ", m.memory_bytes() / 1048576, " MiB, ", m.cpu_model(), ")\n",
                  "- kernel: ", m.kernel(), "\n- build: ", m.build_mode(), ", ", m.compiler(),
                  "\n- git commit: ", m.git_commit().empty() ? "unknown" : m.git_commit(),
                  "\n- command: `", m.command_line(), "`\n",
                  absl::StrFormat("- total time: %.1f s\n\n", results.total_wall_s()),
                  "Median over repetitions, (min–max) where there is more than one; "
                  "see results.csv for every run.\n\n",
                  MarkdownTable(results), "\n", EscapeTable(results));
  for (const RunResult& r : results.runs()) {
    if (r.status() != "ok") {
      absl::StrAppend(&out, "- **", r.status(), "** ", r.config(), " / ", r.workload(),
                      " repetition ", r.repetition(), ": ", r.message(), "\n");
    }
  }
  if (!svg_files.empty()) {
    absl::StrAppend(&out,
                    "\n## Plots\n\n"
                    "Per workload: minimum mutator utilization over window sizes, then the "
                    "distribution of pause times; every configuration is a series.\n\n");
  }
  for (const std::string& f : svg_files) absl::StrAppend(&out, "![", f, "](", f, ")\n\n");
  return out;
}

}  // namespace gclab
