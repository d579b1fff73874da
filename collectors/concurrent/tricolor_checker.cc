#include "collectors/concurrent/tricolor_checker.h"

#include <cstdio>
#include <cstdlib>
#include <vector>

#include "absl/container/flat_hash_set.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "heap/mutator.h"

namespace gclab {
namespace {

constexpr size_t kMaxExamples = 6;

void Example(TricolorReport& r, std::string s) {
  if (r.examples.size() < kMaxExamples) r.examples.push_back(std::move(s));
}

}  // namespace

std::string TricolorReport::ToString() const {
  return absl::StrFormat(
      "tri-color check: %d objects (%d black), %d grey segments left, %d black->white "
      "edges, %d reachable white objects%s%s",
      objects_checked, black_objects, grey_left, black_to_white, reachable_white,
      examples.empty() ? "" : ": ", absl::StrJoin(examples, "; "));
}

TricolorReport CheckTricolorInvariant(Heap& heap, uint8_t epoch, const MarkWorklist& worklist) {
  TricolorReport r;
  r.grey_left = worklist.SegmentCountForTesting();

  // 2. No black -> white edge anywhere in the heap.
  heap.allocator()->ForEachObject([&](Object* o) {
    ++r.objects_checked;
    if (!o->IsMarked(epoch)) return;
    ++r.black_objects;
    o->ForEachPointerSlot([&](Object** slot) {
      Object* t = ObjectStart(LoadPointer(slot));
      if (t == nullptr || t->is_stack_allocated() || t->IsMarked(epoch)) return;
      ++r.black_to_white;
      Example(r, absl::StrFormat("black %p ('%s') -> white %p ('%s')", o, o->type()->name, t,
                                 t->type()->name));
    });
  });

  // 3. Everything reachable from the roots is marked.
  absl::flat_hash_set<Object*> seen;
  std::vector<Object*> stack;
  auto visit = [&](Object* word, const char* where) {
    Object* t = ObjectStart(word);
    if (t == nullptr || !seen.insert(t).second) return;
    if (!t->is_stack_allocated() && !t->IsMarked(epoch)) {
      ++r.reachable_white;
      Example(r, absl::StrFormat("reachable white %p ('%s') via %s", t, t->type()->name, where));
    }
    stack.push_back(t);
  };
  heap.VisitGlobalRoots([&](Object** slot) { visit(*slot, "a global root"); });
  heap.ForEachMutator([&](Mutator* m) {
    m->shadow_stack().ForEachSlot([&](Object** slot) { visit(*slot, "a shadow stack"); });
    m->stack_region().ForEachObject([&](Object* o) {
      o->ForEachPointerSlot([&](Object** slot) { visit(LoadPointer(slot), "a stack object"); });
    });
  });
  while (!stack.empty()) {
    Object* o = stack.back();
    stack.pop_back();
    o->ForEachPointerSlot([&](Object** slot) { visit(LoadPointer(slot), "a heap field"); });
  }
  return r;
}

std::shared_ptr<TricolorMonitor> TricolorMonitor::Install(ConcurrentOptions* options,
                                                          bool abort_on_violation) {
  auto monitor = std::make_shared<TricolorMonitor>(abort_on_violation);
  options->at_mark_termination_ForTesting = [monitor](Heap& heap, uint8_t epoch,
                                                      const MarkWorklist& worklist) {
    monitor->Check(heap, epoch, worklist);
  };
  return monitor;
}

void TricolorMonitor::Check(Heap& heap, uint8_t epoch, const MarkWorklist& worklist) {
  TricolorReport report = CheckTricolorInvariant(heap, epoch, worklist);
  if (!report.ok() && abort_on_violation_) {
    std::fprintf(stderr, "gclab: concurrent (%s barrier) mark termination, epoch %d: %s\n",
                 BarrierKindName(heap.constraints().barrier), epoch, report.ToString().c_str());
    std::abort();
  }
  std::lock_guard<std::mutex> lock(mu_);
  ++checks_;
  violations_ += report.ok() ? 0 : 1;
  last_ = std::move(report);
}

uint64_t TricolorMonitor::checks() const {
  std::lock_guard<std::mutex> lock(mu_);
  return checks_;
}

uint64_t TricolorMonitor::violations() const {
  std::lock_guard<std::mutex> lock(mu_);
  return violations_;
}

TricolorReport TricolorMonitor::last_report() const {
  std::lock_guard<std::mutex> lock(mu_);
  return last_;
}

}  // namespace gclab
