#include "experiments/compare.h"

#include <map>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "experiments/report.h"

namespace gclab {
namespace {

struct MetricDef {
  const char* name;
  std::function<double(const RunResult&)> get;
};

const std::vector<MetricDef>& Metrics() {
  static const auto* defs = new std::vector<MetricDef>{
      {"wall_s", [](const RunResult& r) { return r.wall_s(); }},
      {"cpu_s", [](const RunResult& r) { return r.cpu_s(); }},
      {"collections", [](const RunResult& r) { return double(r.collections()); }},
      {"pause_total_ms", [](const RunResult& r) { return r.pause_total_ms(); }},
      {"pause_p50_ms", [](const RunResult& r) { return r.pause_p50_ms(); }},
      {"pause_p99_ms", [](const RunResult& r) { return r.pause_p99_ms(); }},
      {"pause_max_ms", [](const RunResult& r) { return r.pause_max_ms(); }},
      {"ttsp_max_ms", [](const RunResult& r) { return r.ttsp_max_ms(); }},
      {"ttsp_total_ms", [](const RunResult& r) { return r.ttsp_total_ms(); }},
      {"mmu_1ms", [](const RunResult& r) { return r.mmu_1ms(); }},
      {"mmu_10ms", [](const RunResult& r) { return r.mmu_10ms(); }},
      {"mmu_100ms", [](const RunResult& r) { return r.mmu_100ms(); }},
      {"peak_heap_mb", [](const RunResult& r) { return r.peak_heap_bytes() / 1048576.0; }},
      {"peak_rss_mb", [](const RunResult& r) { return r.peak_rss_bytes() / 1048576.0; }},
      {"alloc_rate_mb_s", [](const RunResult& r) { return r.alloc_rate_mb_s(); }},
      {"mark_rate_mb_s", [](const RunResult& r) { return r.mark_rate_mb_s(); }},
      {"barrier_slow_hits", [](const RunResult& r) { return double(r.barrier_slow_hits()); }},
      {"heap_alloc_mb", [](const RunResult& r) { return r.bytes_allocated() / 1048576.0; }},
      {"heap_objects", [](const RunResult& r) { return double(r.objects_allocated()); }},
      {"stack_objects", [](const RunResult& r) { return double(r.stack_allocated_objects()); }},
  };
  return *defs;
}

std::string Key(const ResultCell& c) { return absl::StrCat(c.config, " / ", c.workload); }

std::string Range(const Spread& s) {
  return absl::StrFormat("%.4g / %.4g / %.4g", s.min, s.median, s.max);
}

}  // namespace

Comparison CompareResults(const ExperimentResults& a, const ExperimentResults& b) {
  Comparison out;
  const std::vector<ResultCell> cells_a = GroupByCell(a);
  const std::vector<ResultCell> cells_b = GroupByCell(b);
  std::map<std::string, const ResultCell*> by_key_b;
  for (const ResultCell& c : cells_b) by_key_b[Key(c)] = &c;
  std::map<std::string, bool> matched;
  for (const ResultCell& ca : cells_a) {
    auto it = by_key_b.find(Key(ca));
    if (it == by_key_b.end()) {
      out.only_in_a.push_back(Key(ca));
      continue;
    }
    matched[Key(ca)] = true;
    const ResultCell& cb = *it->second;
    ComparedCell cell{ca.config, ca.workload, CellStatus(ca), CellStatus(cb), {}};
    for (const MetricDef& def : Metrics()) {
      ComparedMetric m;
      m.name = def.name;
      m.a = CellSpread(ca, def.get);
      m.b = CellSpread(cb, def.get);
      m.ratio = m.a.median != 0 ? m.b.median / m.a.median : 0;
      m.within_noise = WithinNoise(m.a, m.b);
      cell.metrics.push_back(m);
    }
    out.cells.push_back(std::move(cell));
  }
  for (const ResultCell& cb : cells_b) {
    if (!matched.count(Key(cb))) out.only_in_b.push_back(Key(cb));
  }
  return out;
}

std::string FormatComparison(const Comparison& c, const std::string& label_a,
                             const std::string& label_b) {
  std::string out = absl::StrCat("a = ", label_a, "\nb = ", label_b,
                                 "\nmin / median / max over repetitions; ratio = median b / "
                                 "median a; ~ = ranges overlap (within noise)\n");
  for (const ComparedCell& cell : c.cells) {
    absl::StrAppend(&out, "\n### ", cell.config, " / ", cell.workload,
                    " (status a: ", cell.status_a, ", b: ", cell.status_b, ")\n\n",
                    "| metric | a | b | b/a | |\n|---|---:|---:|---:|---|\n");
    for (const ComparedMetric& m : cell.metrics) {
      absl::StrAppend(&out, "| ", m.name, " | ", Range(m.a), " | ", Range(m.b), " | ",
                      m.a.median != 0 ? absl::StrFormat("%.3f", m.ratio) : std::string("-"), " | ",
                      m.within_noise ? "~" : (m.b.median > m.a.median ? "+" : "-"), " |\n");
    }
  }
  for (const std::string& k : c.only_in_a) absl::StrAppend(&out, "\nonly in a: ", k);
  for (const std::string& k : c.only_in_b) absl::StrAppend(&out, "\nonly in b: ", k);
  if (!c.only_in_a.empty() || !c.only_in_b.empty()) absl::StrAppend(&out, "\n");
  return out;
}

}  // namespace gclab
