#include "heap/gc_stats.h"

#include "absl/strings/str_format.h"

namespace gclab {

const char* GcCauseName(GcCause cause) {
  switch (cause) {
    case GcCause::kHeapTrigger:
      return "trigger";
    case GcCause::kAllocationFailure:
      return "alloc-failure";
    case GcCause::kExplicit:
      return "explicit";
    case GcCause::kMemoryLimit:
      return "memory-limit";
  }
  return "unknown";
}

const char* PausePhaseName(PausePhase phase) {
  switch (phase) {
    case PausePhase::kFullCollection:
      return "full";
    case PausePhase::kSweepTermination:
      return "sweep-termination";
    case PausePhase::kMarkTermination:
      return "mark-termination";
    case PausePhase::kStackScan:
      return "stack-scan";
  }
  return "unknown";
}

void GcStats::RecordPause(const PauseRecord& pause) {
  std::lock_guard<std::mutex> lock(mu_);
  pauses_.push_back(pause);
}

void GcStats::RecordCycle(const CycleRecord& cycle) {
  std::lock_guard<std::mutex> lock(mu_);
  cycles_.push_back(cycle);
}

std::vector<PauseRecord> GcStats::pauses() const {
  std::lock_guard<std::mutex> lock(mu_);
  return pauses_;
}

std::vector<CycleRecord> GcStats::cycles() const {
  std::lock_guard<std::mutex> lock(mu_);
  return cycles_;
}

uint64_t GcStats::collections() const {
  std::lock_guard<std::mutex> lock(mu_);
  return cycles_.size();
}

std::string FormatGcTraceLine(const CycleRecord& c) {
  auto ms = [](int64_t ns) { return static_cast<double>(ns) / 1e6; };
  auto mb = [](uint64_t b) { return static_cast<double>(b) / (1024.0 * 1024.0); };
  return absl::StrFormat(
      "gc %d @%.3fs %s: %.3f+%.3f ms stw, %.3f ms concurrent mark, %.3f ms sweep, "
      "cpu: %.3f ms marker, %.3f ms assist; heap %.1f->%.1f->%.1f MB, %.1f MB goal, "
      "%d marker threads, %d barrier slow hits, cause %s",
      c.cycle, static_cast<double>(c.start_ns) / 1e9, c.collector, ms(c.stw_start_ns),
      ms(c.stw_end_ns), ms(c.concurrent_mark_ns), ms(c.sweep_ns), ms(c.marker_cpu_ns),
      ms(c.assist_cpu_ns), mb(c.heap_before_bytes), mb(c.heap_marked_bytes), mb(c.heap_after_bytes),
      mb(c.heap_goal_bytes), c.marker_threads, c.barrier_slow_hits, GcCauseName(c.cause));
}

}  // namespace gclab
