#include "collectors/boehm/boehm_runtime.h"

#define GC_THREADS 1
#include <gc/gc.h>
#include <gc/gc_mark.h>

#include <chrono>
#include <mutex>

#include "absl/strings/str_cat.h"
#include "object/object.h"

namespace gclab {
namespace boehm_internal {
namespace {

BoehmRuntime* g_runtime = nullptr;

int64_t NowNs() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

// Mark totals per marker thread: each thread adds to its own slot (distinct
// threads get distinct slots while there are fewer than kSlots of them).
constexpr int kSlots = 64;
struct alignas(64) MarkSlot {
  std::atomic<uint64_t> objects{0};
  std::atomic<uint64_t> bytes{0};
};
MarkSlot g_mark_slots[kSlots];
std::atomic<int> g_next_slot{0};

MarkSlot& MySlot() {
  thread_local MarkSlot* slot = &g_mark_slots[g_next_slot.fetch_add(1) % kSlots];
  return *slot;
}

void* ReturnNullOnOom(size_t) { return nullptr; }

}  // namespace

// The callbacks Boehm calls; friends of BoehmRuntime.
struct RuntimeCallbacks {
  // The mark procedure of the gclab kind: `addr` is the start of a Boehm
  // object of that kind. Runs on any marker thread, concurrently with others.
  static GC_ms_entry* MarkObject(GC_word* addr, GC_ms_entry* sp, GC_ms_entry* limit, GC_word) {
    Object* o = reinterpret_cast<Object*>(addr);
    if (o->header().magic != kObjectMagic) {
      // A cell on a free list (an allocator cache's or Boehm's): cleared
      // except for word 0, the link to the next cell, which keeps the rest of
      // a cache's list allocated.
      return GC_MARK_AND_PUSH(reinterpret_cast<void*>(addr[0]), sp, limit,
                              reinterpret_cast<void**>(addr));
    }
    o->header().mark.store(g_runtime->epoch_.load(std::memory_order_relaxed),
                           std::memory_order_relaxed);
    MarkSlot& slot = MySlot();
    slot.objects.fetch_add(1, std::memory_order_relaxed);
    slot.bytes.fetch_add(o->size(), std::memory_order_relaxed);
    o->ForEachPointerSlot([&](Object** field) {
      Object* target = ObjectStart(LoadPointer(field));
      sp = GC_MARK_AND_PUSH(target, sp, limit, reinterpret_cast<void**>(field));
    });
    return sp;
  }

  // Replaces Boehm's default (conservative scan of every registered thread's
  // stack) with gclab's precise roots.
  static void PushRoots() {
    std::vector<void*>& roots = g_runtime->roots_;
    if (!roots.empty()) GC_push_all(roots.data(), roots.data() + roots.size());
  }

  static void OnEvent(GC_EventType e) {
    CollectionEvents& ev = g_runtime->events_;
    const int64_t now = NowNs();
    switch (e) {
      case GC_EVENT_START:
        ev.start = now;
        break;
      case GC_EVENT_MARK_START:
        ev.mark_start = now;
        break;
      case GC_EVENT_MARK_END:
        ev.mark_end = now;
        break;
      case GC_EVENT_RECLAIM_START:
        ev.reclaim_start = now;
        break;
      case GC_EVENT_RECLAIM_END:
        ev.reclaim_end = now;
        break;
      case GC_EVENT_END:
        ev.end = now;
        break;
      case GC_EVENT_PRE_STOP_WORLD:
        ev.pre_stop_world = now;
        break;
      case GC_EVENT_POST_STOP_WORLD:
        ev.post_stop_world = now;
        break;
      case GC_EVENT_PRE_START_WORLD:
        ev.pre_start_world = now;
        break;
      case GC_EVENT_POST_START_WORLD:
        ev.post_start_world = now;
        break;
      default:
        break;
    }
  }
};

absl::StatusOr<BoehmRuntime*> BoehmRuntime::Get(int markers) {
  static std::mutex mu;
  std::lock_guard<std::mutex> lock(mu);
  if (g_runtime == nullptr) {
    auto* r = new BoehmRuntime;
    r->Initialize(markers);
    g_runtime = r;
    return r;
  }
  if (markers != 0 && markers != g_runtime->markers()) {
    return absl::FailedPreconditionError(absl::StrCat(
        "boehm.markers: Boehm already runs in this process with ", g_runtime->markers(),
        " marker threads, and one process runs it with one count; asked for ", markers,
        " (run each configuration in its own process: --fresh_process)"));
  }
  return g_runtime;
}

void BoehmRuntime::Initialize(int markers) {
  requested_markers_ = markers;
  GC_set_all_interior_pointers(0);
  if (markers > 0) GC_set_markers_count(static_cast<unsigned>(markers));
  GC_INIT();
  GC_allow_register_threads();  // also starts the parallel marker threads
  GC_set_disable_automatic_collection(1);
  GC_set_max_retries(0);
  GC_set_oom_fn(ReturnNullOnOom);
  GC_set_warn_proc(GC_ignore_warn_proc);
  kind_ = static_cast<int>(GC_new_kind(GC_new_free_list(),
                                       GC_MAKE_PROC(GC_new_proc(RuntimeCallbacks::MarkObject), 0),
                                       /*add_size_to_descriptor=*/0, /*clear_new_objects=*/1));
  GC_set_push_other_roots(RuntimeCallbacks::PushRoots);
  GC_set_on_collection_event(RuntimeCallbacks::OnEvent);
  // GC_INIT registered this thread; collections register their thread.
  GC_unregister_my_thread();
}

bool BoehmRuntime::CollectOnThisThread() {
  if (GC_thread_is_registered()) {
    GC_gcollect();
    return true;
  }
  GC_stack_base base;
  if (GC_get_stack_base(&base) != GC_SUCCESS || GC_register_my_thread(&base) != GC_SUCCESS) {
    return false;
  }
  GC_gcollect();
  GC_unregister_my_thread();
  return true;
}

int BoehmRuntime::markers() const { return GC_get_parallel() + 1; }

namespace {
std::atomic<bool> g_acquired{false};
}  // namespace

absl::Status BoehmRuntime::Acquire() {
  bool expected = false;
  if (!g_acquired.compare_exchange_strong(expected, true)) {
    return absl::FailedPreconditionError(
        "boehm: another heap of this process already uses Boehm's collector, which is "
        "process-wide (one boehm heap at a time)");
  }
  return absl::OkStatus();
}

void BoehmRuntime::Release() {
  if (g_runtime != nullptr) g_runtime->roots_.clear();
  g_acquired.store(false);
}

void BoehmRuntime::ResetMarkTotals() {
  for (MarkSlot& s : g_mark_slots) {
    s.objects.store(0, std::memory_order_relaxed);
    s.bytes.store(0, std::memory_order_relaxed);
  }
}

MarkTotals BoehmRuntime::SumMarkTotals() const {
  MarkTotals t;
  for (const MarkSlot& s : g_mark_slots) {
    t.objects += s.objects.load(std::memory_order_relaxed);
    t.bytes += s.bytes.load(std::memory_order_relaxed);
  }
  return t;
}

}  // namespace boehm_internal
}  // namespace gclab
