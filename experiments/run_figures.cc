#include "experiments/run_figures.h"

#include <algorithm>

#include "experiments/metrics.h"

namespace gclab {
namespace {

double Ms(int64_t ns) { return static_cast<double>(ns) / 1e6; }

PauseSample ToSample(const PauseRecord& p, int64_t run_start_ns) {
  PauseSample s;
  s.set_start_ns(p.start_ns - run_start_ns);
  s.set_duration_ns(p.duration_ns);
  s.set_phase(PausePhaseName(p.phase));
  return s;
}

PausePhase PhaseNamed(const std::string& name) {
  for (PausePhase p : {PausePhase::kFullCollection, PausePhase::kSweepTermination,
                       PausePhase::kMarkTermination, PausePhase::kStackScan}) {
    if (name == PausePhaseName(p)) return p;
  }
  return PausePhase::kFullCollection;
}

GcCause CauseNamed(const std::string& name) {
  for (GcCause c : {GcCause::kHeapTrigger, GcCause::kAllocationFailure, GcCause::kExplicit,
                    GcCause::kMemoryLimit}) {
    if (name == GcCauseName(c)) return c;
  }
  return GcCause::kHeapTrigger;
}

}  // namespace

GcFigures GcFiguresOf(GcStats& stats) {
  GcFigures f;
  f.pauses = stats.pauses();
  f.cycles = stats.cycles();
  f.collections = stats.collections();
  f.peak_heap_bytes = stats.peak_heap_bytes();
  f.barrier_slow_hits = stats.barrier_slow_hits.load();
  return f;
}

GcFigures GcFiguresFromGoRunStats(const GoRunStats& s) {
  GcFigures f;
  for (const GoRunStats::Pause& p : s.pauses()) {
    PauseRecord r;
    r.cycle = p.cycle();
    r.phase = PhaseNamed(p.phase());
    r.start_ns = p.start_ns();
    r.duration_ns = p.duration_ns();
    r.time_to_safepoint_ns = p.time_to_safepoint_ns();
    f.pauses.push_back(r);
  }
  for (const GoRunStats::Cycle& c : s.cycles()) {
    CycleRecord r;
    r.cycle = c.cycle();
    r.cause = CauseNamed(c.cause());
    r.collector = s.collector();
    r.start_ns = c.start_ns();
    r.end_ns = c.end_ns();
    r.stw_start_ns = c.stw_start_ns();
    r.concurrent_mark_ns = c.concurrent_mark_ns();
    r.stw_end_ns = c.stw_end_ns();
    r.mark_ns = c.mark_ns();
    r.sweep_ns = c.sweep_ns();
    r.marker_cpu_ns = c.marker_cpu_ns();
    r.assist_cpu_ns = c.assist_cpu_ns();
    r.pause_total_ns = c.pause_total_ns();
    r.heap_before_bytes = c.heap_before_bytes();
    r.heap_marked_bytes = c.heap_marked_bytes();
    r.heap_after_bytes = c.heap_after_bytes();
    r.heap_goal_bytes = c.heap_goal_bytes();
    r.next_trigger_bytes = c.next_trigger_bytes();
    r.objects_marked = c.objects_marked();
    r.objects_freed = c.objects_freed();
    r.barrier_slow_hits = c.barrier_slow_hits();
    r.marker_threads = c.marker_threads();
    f.cycles.push_back(r);
  }
  f.collections = static_cast<uint64_t>(s.cycles_size());
  f.peak_heap_bytes = s.peak_heap_bytes();
  f.barrier_slow_hits = s.barrier_slow_hits();
  return f;
}

void FillGcColumns(const GcFigures& f, int64_t run_start_ns, int64_t run_end_ns, bool cycle_log,
                   RunResult* r) {
  std::vector<TimeInterval> intervals;
  int64_t ttsp_max_ns = 0, ttsp_total_ns = 0;
  for (const PauseRecord& p : f.pauses) {
    intervals.push_back({p.start_ns - run_start_ns, p.duration_ns});
    *r->add_pause_samples() = ToSample(p, run_start_ns);
    ttsp_max_ns = std::max(ttsp_max_ns, p.time_to_safepoint_ns);
    ttsp_total_ns += p.time_to_safepoint_ns;
  }
  const PauseSummary ps = SummarizePauses(intervals);
  r->set_collections(f.collections);
  r->set_pauses(ps.count);
  r->set_pause_total_ms(ps.total_ms);
  r->set_pause_mean_ms(ps.mean_ms);
  r->set_pause_p50_ms(ps.p50_ms);
  r->set_pause_p99_ms(ps.p99_ms);
  r->set_pause_max_ms(ps.max_ms);
  r->set_ttsp_max_ms(Ms(ttsp_max_ns));
  r->set_ttsp_total_ms(Ms(ttsp_total_ns));
  const auto mmu =
      MmuCurve(intervals, 0, run_end_ns - run_start_ns, {1000000, 10000000, 100000000});
  r->set_mmu_1ms(mmu[0].second);
  r->set_mmu_10ms(mmu[1].second);
  r->set_mmu_100ms(mmu[2].second);
  r->set_peak_heap_bytes(f.peak_heap_bytes);
  r->set_barrier_slow_hits(f.barrier_slow_hits);
  uint64_t marked = 0;
  int64_t mark_ns = 0;
  for (const CycleRecord& c : f.cycles) {
    marked += c.heap_marked_bytes;
    mark_ns += c.mark_ns;
    if (!cycle_log) continue;
    CycleSample* s = r->add_cycles();
    s->set_config(r->config());
    s->set_workload(r->workload());
    s->set_repetition(r->repetition());
    s->set_cycle(c.cycle);
    s->set_cause(GcCauseName(c.cause));
    s->set_start_ms(Ms(c.start_ns - run_start_ns));
    s->set_end_ms(Ms(c.end_ns - run_start_ns));
    s->set_pause_total_ms(Ms(c.pause_total_ns));
    s->set_mark_ms(Ms(c.mark_ns));
    s->set_concurrent_mark_ms(Ms(c.concurrent_mark_ns));
    s->set_sweep_ms(Ms(c.sweep_ns));
    s->set_marker_cpu_ms(Ms(c.marker_cpu_ns));
    s->set_assist_cpu_ms(Ms(c.assist_cpu_ns));
    s->set_heap_before_bytes(c.heap_before_bytes);
    s->set_heap_marked_bytes(c.heap_marked_bytes);
    s->set_heap_after_bytes(c.heap_after_bytes);
    s->set_heap_goal_bytes(c.heap_goal_bytes);
    s->set_next_trigger_bytes(c.next_trigger_bytes);
    s->set_objects_marked(c.objects_marked);
    s->set_objects_freed(c.objects_freed);
    s->set_barrier_slow_hits(c.barrier_slow_hits);
    s->set_marker_threads(c.marker_threads);
    for (const PauseRecord& p : f.pauses) {
      if (p.cycle == c.cycle) *s->add_pauses() = ToSample(p, run_start_ns);
    }
  }
  r->set_mark_rate_mb_s(
      mark_ns > 0 ? static_cast<double>(marked) / 1e6 / (static_cast<double>(mark_ns) / 1e9) : 0);
}

}  // namespace gclab
