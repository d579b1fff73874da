#include "fuzz/schedule_program.h"

#include <algorithm>
#include <array>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_split.h"
#include "collectors/concurrent/tricolor_checker.h"
#include "google/protobuf/descriptor.h"
#include "heap/checkmark.h"
#include "heap/heap.h"
#include "heap/mutator.h"
#include "heap/verifier.h"
#include "registry/registry.h"

namespace gclab::fuzz {
namespace {

// ---- Types and object identity ----

enum class Kind : uint8_t { kNode, kWide, kArray, kData };

// Node: pointers at 0 and 8, id at 16. Wide: pointers at 0..24, id at 32.
// Array: pointers only (identified by type, length and contents). Data:
// word 0 the id, word i id * 31 + i.
const TypeDescriptor* TypeOf(Kind kind) {
  static const TypeDescriptor* node = MakeRecordType("FuzzNode", 2, 16);
  static const TypeDescriptor* wide = MakeRecordType("FuzzWide", 4, 8);
  static const TypeDescriptor* array = MakePointerArrayType("FuzzArray");
  static const TypeDescriptor* data = MakeDataArrayType("FuzzData", 8);
  switch (kind) {
    case Kind::kNode:
      return node;
    case Kind::kWide:
      return wide;
    case Kind::kArray:
      return array;
    case Kind::kData:
      return data;
  }
  return node;
}

const char* KindName(Kind kind) {
  switch (kind) {
    case Kind::kNode:
      return "node";
    case Kind::kWide:
      return "wide";
    case Kind::kArray:
      return "array";
    case Kind::kData:
      return "data";
  }
  return "?";
}

uint32_t IdOffset(Kind kind) { return kind == Kind::kWide ? 32 : kind == Kind::kNode ? 16 : 0; }

uint64_t DataWord(uint64_t id, size_t i) { return i == 0 ? id : id * 31 + i; }

struct ModelObject {
  Kind kind = Kind::kNode;
  bool on_stack = false;
  std::vector<uint64_t> fields;  // ids, 0 = null
  size_t data_words = 0;
};

// ---- The program ----

enum Op : uint8_t {
  kAllocNode,
  kAllocWide,
  kAllocArray,
  kAllocData,
  kAllocGarbage,
  kStore,
  kStoreNull,
  kLoad,
  kCopyHandle,
  kClearHandle,
  kPushScope,
  kPopScope,
  kPushFrame,
  kPopFrame,
  kStackAlloc,
  kGlobalNew,
  kGlobalStore,
  kGlobalLoad,
  kGlobalDelete,
  kAttach,
  kDetach,
  kPark,
  kUnpark,
  kCheck,
  kCollectNow,
  // Collector steps.
  kBegin,
  kScanGlobals,
  kScanStack,
  kMark,
  kFlush,
  kMarkTermination,
  kSweep,
  kFinishCycle,
  kNumOps,
};

// The names of the assembler (schedule_tool asm/dis), in Op order.
constexpr const char* kOpNames[kNumOps] = {
    "alloc_node",    "alloc_wide",   "alloc_array",      "alloc_data",
    "alloc_garbage", "store",        "store_null",       "load",
    "copy_handle",   "clear_handle", "push_scope",       "pop_scope",
    "push_frame",    "pop_frame",    "stack_alloc",      "global_new",
    "global_store",  "global_load",  "global_delete",    "attach",
    "detach",        "park",         "unpark",           "check",
    "collect_now",   "begin",        "scan_globals",     "scan_stack",
    "mark",          "flush",        "mark_termination", "sweep",
    "finish_cycle",
};

// How often each operation comes up, in 64ths: the opcode byte % 64 picks an
// entry of kOpTable, which lists each operation this many times, in order.
constexpr uint8_t kWeights[kNumOps] = {
    4, 1, 1, 1, 2,  // alloc node, wide, array, data; garbage
    5, 2, 5, 1, 3,  // store, store null, load, copy handle, clear handle
    1, 1, 1, 1, 2,  // push/pop scope, push/pop frame, stack alloc
    1, 2, 2, 2,     // global new, store, load, delete
    1, 1, 1, 1,     // attach, detach, park, unpark
    1, 1,           // check, collect now
    3, 2, 4, 4,     // begin, scan globals, scan stack, mark
    2, 2, 2, 1,     // flush, mark termination, sweep, finish cycle
};

constexpr std::array<Op, 64> MakeOpTable() {
  std::array<Op, 64> table{};
  size_t next = 0;
  for (int op = 0; op < kNumOps; ++op) {
    for (int i = 0; i < kWeights[op]; ++i) table[next++] = static_cast<Op>(op);
  }
  return table;
}
constexpr std::array<Op, 64> kOpTable = MakeOpTable();
static_assert(
    [] {
      int sum = 0;
      for (uint8_t w : kWeights) sum += w;
      return sum == 64;
    }(),
    "the weights must add up to 64");

constexpr size_t kMaxThreads = 6;
constexpr size_t kMaxHandles = 256;
constexpr size_t kMaxGlobals = 32;
constexpr size_t kMaxFrames = 16;

// `config` with the allocator's unit -- the parameter named *region_bytes
// or *arena_bytes, what it maps and sweeps -- as small as the allocator
// accepts (64, 128 or 256 KiB): programs are small, and the verifier reads
// all free memory of every unit. Worked out once per allocator.
AllocatorConfig WithSmallUnits(const std::string& name, AllocatorConfig config) {
  static auto* chosen = new absl::flat_hash_map<std::string, AllocatorConfig>;
  if (auto it = chosen->find(name); it != chosen->end()) return it->second;
  const google::protobuf::Reflection* r = config.GetReflection();
  const google::protobuf::FieldDescriptor* kind =
      r->GetOneofFieldDescriptor(config, AllocatorConfig::descriptor()->FindOneofByName("kind"));
  google::protobuf::Message* params = kind != nullptr ? r->MutableMessage(&config, kind) : nullptr;
  const google::protobuf::FieldDescriptor* unit = nullptr;
  for (int i = 0; params != nullptr && i < params->GetDescriptor()->field_count(); ++i) {
    const google::protobuf::FieldDescriptor* f = params->GetDescriptor()->field(i);
    if (f->cpp_type() == google::protobuf::FieldDescriptor::CPPTYPE_UINT64 &&
        (absl::EndsWith(f->name(), "region_bytes") || absl::EndsWith(f->name(), "arena_bytes"))) {
      unit = f;
    }
  }
  AllocatorConfig result = config;
  for (uint64_t bytes : {64u << 10, 128u << 10, 256u << 10}) {
    if (unit == nullptr) break;
    params->GetReflection()->SetUInt64(params, unit, bytes);
    absl::StatusOr<std::unique_ptr<Allocator>> a = MakeAllocator(config);
    if (a.ok() && (*a)->Initialize(AllocatorOptions{}).ok()) {
      result = config;
      break;
    }
  }
  chosen->emplace(name, result);
  return result;
}

// One virtual thread: a mutator, its handles (parallel to its shadow stack),
// scopes and frames.
struct Thread {
  int number = 0;  // for traces and messages
  Mutator* m = nullptr;
  bool parked = false;  // in the model: blocked, takes no action
  std::vector<Object**> handle_slots;
  std::vector<uint64_t> handle_ids;
  std::vector<std::unique_ptr<HandleScope>> scopes;
  std::vector<size_t> scope_marks;  // handles when the scope was pushed
  std::vector<std::unique_ptr<StackFrame>> frames;
  std::vector<std::vector<uint64_t>> frame_objects;  // stack objects per frame
};

struct Global {
  Object** slot;
  uint64_t id;
};

// Makes a parked mutator run for one action.
class Running {
 public:
  explicit Running(Mutator* m) : m_(m) { m_->Unpark(); }
  ~Running() { m_->Park(); }

 private:
  Mutator* m_;
};

class Interpreter {
 public:
  Interpreter(const uint8_t* data, size_t size, const ScheduleOptions& options)
      : data_(data), size_(size), options_(options) {}

  ScheduleResult Run() {
    ScheduleResult result;
    const uint8_t config = size_ > 0 ? data_[0] : 0;
    const uint8_t flags = size_ > 1 ? data_[1] : 0;
    barrier_ = options_.barrier.value_or(kScheduleBarriers[config % 3]);
    const std::vector<std::string> allocators = KnownAllocatorNames();
    allocator_ = !options_.allocator.empty()
                     ? options_.allocator
                     : allocators[(config / 3) % std::min<size_t>(3, allocators.size())];
    result.barrier = barrier_;
    result.allocator = allocator_;
    if (!CreateHeap(flags)) {
      result.failure = failure_;
      return result;
    }
    const int initial_threads = 1 + (flags & 3);
    for (int i = 0; i < initial_threads; ++i) Attach();
    try {
      for (size_t pc = 2; pc + 4 <= size_ && failure_.empty(); pc += 4) {
        Execute(data_ + pc);
        AfterStep();
      }
      if (failure_.empty()) Finish();
    } catch (const Abandoned&) {
      // failure_ says why.
    }
    TearDown();
    result.operations = operations_;
    result.cycles = cycles_;
    result.failure = failure_;
    result.trace = trace_;
    return result;
  }

 private:
  // ---- Setup and teardown ----

  bool CreateHeap(uint8_t flags) {
    absl::StatusOr<AllocatorConfig> config = AllocatorConfigForName(allocator_);
    if (!config.ok()) return Fail(std::string(config.status().message()));
    absl::StatusOr<std::unique_ptr<Allocator>> allocator =
        MakeAllocator(WithSmallUnits(allocator_, *config));
    if (!allocator.ok()) return Fail(std::string(allocator.status().message()));
    ConcurrentOptions o;
    o.barrier = barrier_;
    o.gogc = 100;
    o.min_heap_bytes = 256 * 1024;  // triggers post requests (manual: recorded)
    o.assists = ((flags >> 4) & 3) != 3;
    o.mark_allocation_check_bytes = size_t{1024} << ((flags >> 2) & 3);
    o.manual_ForTesting = true;
    o.assists_never_wait_ForTesting = true;  // one OS thread: nobody else earns credit
    o.planted_bug_ForTesting = options_.planted_bug;
    o.at_mark_termination_ForTesting = [this](Heap& heap, uint8_t epoch, const MarkWorklist& pool) {
      AtMarkTermination(heap, epoch, pool);
    };
    auto collector = std::make_unique<ConcurrentCollector>(o);
    collector_ = collector.get();
    HeapConfig hc;
    hc.heap_limit_bytes = 64u << 20;
    hc.stack_region_bytes = 64 * 1024;
    hc.allocation_check_bytes = 32 * 1024;
    hc.poison_freed = true;  // the oracles run the verifier themselves
    absl::StatusOr<std::unique_ptr<Heap>> heap =
        Heap::Create(hc, *std::move(allocator), std::move(collector));
    if (!heap.ok()) return Fail(std::string(heap.status().message()));
    heap_ = *std::move(heap);
    return true;
  }

  void TearDown() {
    if (heap_ == nullptr) return;
    if (!failure_.empty()) {
      // The heap holds pointers to freed (maybe unmapped) memory: finishing
      // its cycle or deleting its roots would read them. It is kept, never
      // destroyed (reachable, so leak checkers stay quiet); a fuzzer stops
      // at the first failure anyway.
      static auto* failed_heaps = new std::vector<std::unique_ptr<Heap>>;
      failed_heaps->push_back(std::move(heap_));
      return;
    }
    while (!threads_.empty()) Detach(0);
    for (Global& g : globals_) heap_->DeleteGlobalRoot(g.slot);
    globals_.clear();
    heap_.reset();
  }

  // The cycle in progress finishes, one more full cycle runs, the model is
  // compared with the heap once more.
  void Finish() {
    collector_->FinishCycleForTesting(nullptr);
    AfterStep();
    if (!failure_.empty()) return;
    collector_->BeginCycleForTesting(nullptr);
    collector_->FinishCycleForTesting(nullptr);
    AfterStep();
    if (failure_.empty()) CheckModel("at the end");
  }

  bool Fail(std::string message) {
    if (failure_.empty()) {
      failure_ = absl::StrCat(message, " [", BarrierKindName(barrier_), "/", allocator_,
                              options_.planted_bug != PlantedBugForTesting::kNone
                                  ? absl::StrCat(", planted ", PlantedBugName(options_.planted_bug))
                                  : "",
                              ", operation ", operations_, "]");
    }
    return false;
  }

  // Called before the operation is counted: numbered from 1.
  void Trace(const std::string& line) {
    if (options_.trace) absl::StrAppend(&trace_, operations_ + 1, ": ", line, "\n");
  }

  // ---- Oracles ----

  // A failing oracle at mark termination abandons the heap on the spot: the
  // sweep that would follow frees reachable objects, and whatever runs next
  // in the same operation (CollectNow finishes one cycle and runs another)
  // would read them. The heap is never touched again (TearDown keeps it).
  struct Abandoned {};

  void AtMarkTermination(Heap& heap, uint8_t epoch, const MarkWorklist& pool) {
    const TricolorReport report = CheckTricolorInvariant(heap, epoch, pool);
    if (!report.ok()) {
      Fail(absl::StrCat("mark termination: ", report.ToString()));
      throw Abandoned{};
    }
    absl::Status s = Checkmark(heap, epoch);
    if (!s.ok()) {
      Fail(absl::StrCat("mark termination: ", s.message()));
      throw Abandoned{};
    }
    // Free memory is checked after every sweep (below), and nothing was freed
    // since the last one.
    s = VerifyHeap(heap, epoch, /*check_free_memory=*/false);
    if (!s.ok()) {
      Fail(absl::StrCat("verifier after marking: ", s.message()));
      throw Abandoned{};
    }
  }

  // After every operation: a cycle that ended is checked after its sweep.
  void AfterStep() {
    const uint64_t done = collector_->completed_cycles();
    if (done == cycles_ || !failure_.empty()) return;
    cycles_ = done;
    heap_->StopTheWorld(nullptr);
    absl::Status s = VerifyHeap(*heap_, heap_->epoch());
    heap_->ResumeTheWorld(nullptr);
    if (!s.ok()) {
      Fail(absl::StrCat("verifier after sweeping: ", s.message()));
      return;
    }
    CheckModel(absl::StrCat("after cycle ", done));
  }

  // Whether `p` may be dereferenced as the model object `id` (stack objects:
  // in their thread's region; heap objects: in the allocator's memory).
  bool Addressable(const Object* p, const ModelObject& mo, const Thread* owner) {
    if (mo.on_stack) return owner != nullptr && owner->m->stack_region().Contains(p);
    return heap_->allocator()->Contains(p);
  }

  // One object against its model entry, fields not followed.
  std::string CheckShallow(Object* p, uint64_t id, const Thread* owner) {
    const ModelObject& mo = model_.at(id);
    if (p == nullptr) return absl::StrCat("#", id, " is null");
    if (!Addressable(p, mo, owner)) {
      return absl::StrFormat("#%d (%s) at %p is outside its memory", id, KindName(mo.kind), p);
    }
    if (p->type() != TypeOf(mo.kind)) {
      return absl::StrFormat("#%d (%s) at %p has type %p, not %s (freed?)", id, KindName(mo.kind),
                             p, p->type(), TypeOf(mo.kind)->name);
    }
    switch (mo.kind) {
      case Kind::kNode:
      case Kind::kWide:
        if (p->data_at<uint64_t>(IdOffset(mo.kind)) != id) {
          return absl::StrFormat("#%d (%s) at %p holds id %d", id, KindName(mo.kind), p,
                                 p->data_at<uint64_t>(IdOffset(mo.kind)));
        }
        break;
      case Kind::kArray:
        if (p->array_length() != mo.fields.size()) {
          return absl::StrFormat("#%d (array) at %p has length %d, not %d", id, p,
                                 p->array_length(), mo.fields.size());
        }
        break;
      case Kind::kData:
        if (p->array_length() != mo.data_words) {
          return absl::StrFormat("#%d (data) at %p has length %d, not %d", id, p, p->array_length(),
                                 mo.data_words);
        }
        for (size_t i = 0; i < mo.data_words; ++i) {
          if (p->data_at<uint64_t>(i * 8) != DataWord(id, i)) {
            return absl::StrFormat("#%d (data) at %p: word %d is %x", id, p, i,
                                   p->data_at<uint64_t>(i * 8));
          }
        }
        break;
    }
    return "";
  }

  // Everything reachable in the model from `id` (held at `p`) matches.
  std::string CheckDeep(Object* p, uint64_t id, const Thread* owner,
                        absl::flat_hash_map<uint64_t, Object*>& seen) {
    std::vector<std::pair<Object*, uint64_t>> stack = {{p, id}};
    while (!stack.empty()) {
      auto [obj, oid] = stack.back();
      stack.pop_back();
      auto [it, inserted] = seen.try_emplace(oid, obj);
      if (!inserted) {
        if (it->second != obj) {
          return absl::StrFormat("#%d is at %p and at %p", oid, it->second, obj);
        }
        continue;
      }
      std::string err = CheckShallow(obj, oid, owner);
      if (!err.empty()) return err;
      const ModelObject& mo = model_.at(oid);
      for (size_t f = 0; f < mo.fields.size(); ++f) {
        Object* target = LoadPointer(obj->slot_at(static_cast<uint32_t>(f * 8)));
        const uint64_t want = mo.fields[f];
        if ((target == nullptr) != (want == 0)) {
          return absl::StrFormat("#%d field %d is %p, the model says #%d", oid, f, target, want);
        }
        if (target != nullptr) stack.push_back({target, want});
      }
    }
    return "";
  }

  void CheckModel(const std::string& when) {
    absl::flat_hash_map<uint64_t, Object*> seen;
    for (const Global& g : globals_) {
      Object* p = LoadPointer(g.slot);
      if ((p == nullptr) != (g.id == 0)) {
        Fail(absl::StrCat(when, ": a global holds ", p == nullptr ? "null" : "an object",
                          ", the model says #", g.id));
        return;
      }
      if (p == nullptr) continue;
      std::string err = CheckDeep(p, g.id, nullptr, seen);
      if (!err.empty()) {
        Fail(absl::StrCat(when, ": from a global: ", err));
        return;
      }
    }
    for (const auto& t : threads_) {
      for (size_t h = 0; h < t->handle_ids.size(); ++h) {
        Object* p = *t->handle_slots[h];
        if ((p == nullptr) != (t->handle_ids[h] == 0)) {
          Fail(absl::StrCat(when, ": thread ", t->number, " handle ", h, " null mismatch"));
          return;
        }
        if (p == nullptr) continue;
        // Stack objects of another thread are not reachable from here, so
        // a per-thread `seen` for them is not needed: ids are unique.
        std::string err = CheckDeep(p, t->handle_ids[h], t.get(), seen);
        if (!err.empty()) {
          Fail(absl::StrCat(when, ": thread ", t->number, " handle ", h, ": ", err));
          return;
        }
      }
    }
  }

  // ---- Operand decoding ----

  Thread* PickThread(uint8_t a) {
    if (threads_.empty()) return nullptr;
    return threads_[a % threads_.size()].get();
  }
  // Mostly one of the 8 newest handles; with the top bit, any.
  static std::optional<size_t> PickHandle(const Thread& t, uint8_t x) {
    const size_t n = t.handle_ids.size();
    if (n == 0) return std::nullopt;
    if (x & 0x80) return (x & 0x7f) % n;
    return n - 1 - x % std::min<size_t>(n, 8);
  }
  std::optional<size_t> PickGlobal(uint8_t x) const {
    if (globals_.empty()) return std::nullopt;
    return x % globals_.size();
  }

  // ---- Model updates ----

  uint64_t NewModelObject(Kind kind, size_t fields, size_t data_words, bool on_stack) {
    const uint64_t id = ++next_id_;
    ModelObject& mo = model_[id];
    mo.kind = kind;
    mo.on_stack = on_stack;
    mo.fields.assign(fields, 0);
    mo.data_words = data_words;
    return id;
  }

  static size_t FieldsOf(Kind kind, size_t length) {
    switch (kind) {
      case Kind::kNode:
        return 2;
      case Kind::kWide:
        return 4;
      case Kind::kArray:
        return length;
      case Kind::kData:
        return 0;
    }
    return 0;
  }

  void PushHandle(Thread& t, Object* value, uint64_t id) {
    Local local(t.m, value);
    t.handle_slots.push_back(local.slot());
    t.handle_ids.push_back(id);
  }

  // Gives a fresh object its identity (its model entry exists).
  static void Stamp(Object* obj, Kind kind, uint64_t id, size_t data_words) {
    if (kind == Kind::kNode || kind == Kind::kWide) obj->data_at<uint64_t>(IdOffset(kind)) = id;
    for (size_t i = 0; i < data_words; ++i) obj->data_at<uint64_t>(i * 8) = DataWord(id, i);
  }

  // ---- Operations ----

  void Execute(const uint8_t* op) {
    const Op code = kOpTable[op[0] % 64];
    const uint8_t a = op[1], b = op[2], c = op[3];
    if (code >= kBegin) {
      CollectorStep(code, a, b);
      return;
    }
    if (code == kAttach) {
      if (threads_.size() < kMaxThreads) {
        Attach();
        ++operations_;
      }
      return;
    }
    Thread* t = PickThread(a);
    if (t == nullptr) return;
    if (code == kUnpark) {
      if (t->parked) {
        t->parked = false;
        Trace(absl::StrCat("T", t->number, " unpark"));
        ++operations_;
      }
      return;
    }
    if (t->parked) return;  // blocked: takes no action
    if (code == kDetach) {
      if (threads_.size() > 1) {
        Trace(absl::StrCat("T", t->number, " detach"));
        ++operations_;
        Detach(a % threads_.size());
      }
      return;
    }
    if (code == kPark) {
      t->parked = true;
      Trace(absl::StrCat("T", t->number, " park"));
      ++operations_;
      return;
    }
    if (code == kGlobalDelete && (c & 1)) {
      // Deleted by a thread that is no mutator (Heap::DeleteGlobalRoot).
      std::optional<size_t> g = PickGlobal(b);
      if (!g) return;
      Trace(absl::StrCat("delete global ", *g, " (#", globals_[*g].id, ") by a non-mutator"));
      heap_->DeleteGlobalRoot(globals_[*g].slot);
      globals_.erase(globals_.begin() + *g);
      ++operations_;
      return;
    }
    Running running(t->m);
    if (MutatorAction(*t, code, b, c)) ++operations_;
  }

  // Returns false if the action did not apply.
  bool MutatorAction(Thread& t, Op code, uint8_t b, uint8_t c) {
    Mutator* m = t.m;
    switch (code) {
      case kAllocNode:
      case kAllocWide:
      case kAllocArray:
      case kAllocData: {
        if (t.handle_ids.size() >= kMaxHandles) return false;
        const Kind kind = code == kAllocNode    ? Kind::kNode
                          : code == kAllocWide  ? Kind::kWide
                          : code == kAllocArray ? Kind::kArray
                                                : Kind::kData;
        const size_t length = kind == Kind::kArray ? 1 + b % 8 : kind == Kind::kData ? b % 64 : 0;
        absl::StatusOr<Object*> obj = m->Allocate(TypeOf(kind), length);
        if (!obj.ok()) return false;  // the heap limit: not a collector bug
        const uint64_t id =
            NewModelObject(kind, FieldsOf(kind, length), kind == Kind::kData ? length : 0, false);
        Stamp(*obj, kind, id, kind == Kind::kData ? length : 0);
        PushHandle(t, *obj, id);
        Trace(absl::StrCat("T", t.number, " alloc ", KindName(kind), " #", id, " -> h",
                           t.handle_ids.size() - 1));
        return true;
      }
      case kAllocGarbage: {
        // Unreachable at once; big enough to reach allocation checks (and
        // assists while marking).
        const size_t words = 64 + size_t{b} * 8 + c;
        if (!m->Allocate(TypeOf(Kind::kData), words).ok()) return false;
        Trace(absl::StrCat("T", t.number, " garbage ", words * 8, " B"));
        return true;
      }
      case kStore:
      case kStoreNull: {
        std::optional<size_t> h = PickHandle(t, b);
        if (!h || t.handle_ids[*h] == 0) return false;
        Object* holder = *t.handle_slots[*h];
        ModelObject& hm = model_.at(t.handle_ids[*h]);
        if (hm.fields.empty()) return false;
        const size_t field = c % hm.fields.size();
        Object* value = nullptr;
        uint64_t value_id = 0;
        if (code == kStore) {
          std::optional<size_t> v = PickHandle(t, c >> 3 | (b & 0x80));
          if (!v) return false;
          value = *t.handle_slots[*v];
          value_id = t.handle_ids[*v];
          if (value_id != 0 && model_.at(value_id).on_stack) {
            // Only from a newer stack object of the same thread (frames
            // pop newest first; the region grows upwards).
            if (!hm.on_stack || !(value < holder)) return false;
          }
        }
        m->Store(holder, static_cast<uint32_t>(field * 8), value);
        hm.fields[field] = value_id;
        Trace(absl::StrCat("T", t.number, " store #", t.handle_ids[*h], ".", field, " = #",
                           value_id));
        return true;
      }
      case kLoad: {
        if (t.handle_ids.size() >= kMaxHandles) return false;
        std::optional<size_t> h = PickHandle(t, b);
        if (!h || t.handle_ids[*h] == 0) return false;
        const ModelObject& hm = model_.at(t.handle_ids[*h]);
        if (hm.fields.empty()) return false;
        const size_t field = c % hm.fields.size();
        Object* value = m->Load(*t.handle_slots[*h], static_cast<uint32_t>(field * 8));
        const uint64_t value_id = hm.fields[field];
        std::string err = (value == nullptr) != (value_id == 0)
                              ? absl::StrCat("null mismatch (model #", value_id, ")")
                          : value != nullptr ? CheckShallow(value, value_id, &t)
                                             : "";
        if (!err.empty()) {
          Fail(absl::StrCat("T", t.number, " load of #", t.handle_ids[*h], ".", field, ": ", err));
          return true;
        }
        PushHandle(t, value, value_id);
        Trace(absl::StrCat("T", t.number, " load #", t.handle_ids[*h], ".", field, " (#", value_id,
                           ") -> h", t.handle_ids.size() - 1));
        return true;
      }
      case kCopyHandle: {
        std::optional<size_t> to = PickHandle(t, b), from = PickHandle(t, c);
        if (!to || !from || *to == *from) return false;
        *t.handle_slots[*to] = *t.handle_slots[*from];  // a stack write
        t.handle_ids[*to] = t.handle_ids[*from];
        Trace(absl::StrCat("T", t.number, " h", *to, " = h", *from));
        return true;
      }
      case kClearHandle: {
        std::optional<size_t> h = PickHandle(t, b);
        if (!h || t.handle_ids[*h] == 0) return false;
        *t.handle_slots[*h] = nullptr;
        Trace(absl::StrCat("T", t.number, " h", *h, " = null (was #", t.handle_ids[*h], ")"));
        t.handle_ids[*h] = 0;
        return true;
      }
      case kPushScope: {
        if (t.scopes.size() >= kMaxFrames) return false;
        t.scopes.push_back(std::make_unique<HandleScope>(m));
        t.scope_marks.push_back(t.handle_ids.size());
        Trace(absl::StrCat("T", t.number, " push scope"));
        return true;
      }
      case kPopScope: {
        if (t.scopes.size() <= 1) return false;  // the base scope stays
        PopScope(t);
        Trace(absl::StrCat("T", t.number, " pop scope"));
        return true;
      }
      case kPushFrame: {
        if (t.frames.size() >= kMaxFrames) return false;
        t.frames.push_back(std::make_unique<StackFrame>(m));
        t.frame_objects.emplace_back();
        Trace(absl::StrCat("T", t.number, " push frame"));
        return true;
      }
      case kPopFrame: {
        if (t.frames.empty()) return false;
        PopFrame(t);
        Trace(absl::StrCat("T", t.number, " pop frame"));
        return true;
      }
      case kStackAlloc: {
        if (t.frames.empty() || t.handle_ids.size() >= kMaxHandles) return false;
        const Kind kind = (b & 1) ? Kind::kWide : Kind::kNode;
        Object* obj = m->StackAllocate(TypeOf(kind));
        if (obj == nullptr) return false;  // region full
        const uint64_t id = NewModelObject(kind, FieldsOf(kind, 0), 0, /*on_stack=*/true);
        Stamp(obj, kind, id, 0);
        t.frame_objects.back().push_back(id);
        PushHandle(t, obj, id);
        Trace(absl::StrCat("T", t.number, " stack alloc ", KindName(kind), " #", id, " -> h",
                           t.handle_ids.size() - 1));
        return true;
      }
      case kGlobalNew: {
        if (globals_.size() >= kMaxGlobals) return false;
        globals_.push_back({heap_->NewGlobalRoot(), 0});
        Trace(absl::StrCat("new global ", globals_.size() - 1));
        return true;
      }
      case kGlobalStore: {
        std::optional<size_t> g = PickGlobal(b);
        std::optional<size_t> h = PickHandle(t, c);
        if (!g || !h) return false;
        const uint64_t id = t.handle_ids[*h];
        if (id != 0 && model_.at(id).on_stack) return false;  // globals never point to stacks
        m->WriteGlobal(globals_[*g].slot, *t.handle_slots[*h]);
        globals_[*g].id = id;
        Trace(absl::StrCat("T", t.number, " global ", *g, " = #", id));
        return true;
      }
      case kGlobalLoad: {
        std::optional<size_t> g = PickGlobal(b);
        if (!g || t.handle_ids.size() >= kMaxHandles) return false;
        Object* value = LoadPointer(globals_[*g].slot);
        const uint64_t id = globals_[*g].id;
        std::string err = (value == nullptr) != (id == 0)
                              ? absl::StrCat("null mismatch (model #", id, ")")
                          : value != nullptr ? CheckShallow(value, id, nullptr)
                                             : "";
        if (!err.empty()) {
          Fail(absl::StrCat("T", t.number, " load of global ", *g, ": ", err));
          return true;
        }
        PushHandle(t, value, id);
        Trace(absl::StrCat("T", t.number, " load global ", *g, " (#", id, ") -> h",
                           t.handle_ids.size() - 1));
        return true;
      }
      case kGlobalDelete: {
        std::optional<size_t> g = PickGlobal(b);
        if (!g) return false;
        Trace(absl::StrCat("T", t.number, " delete global ", *g, " (#", globals_[*g].id, ")"));
        m->DeleteGlobalRoot(globals_[*g].slot);
        globals_.erase(globals_.begin() + *g);
        return true;
      }
      case kCheck: {
        Trace(absl::StrCat("T", t.number, " check the model"));
        CheckModel(absl::StrCat("check by T", t.number));
        return true;
      }
      case kCollectNow: {
        Trace(absl::StrCat("T", t.number, " collect now"));
        m->CollectGarbage();  // manual mode: finishes a cycle in progress, runs one inline
        return true;
      }
      default:
        return false;
    }
  }

  void CollectorStep(Op code, uint8_t a, uint8_t b) {
    using Phase = ConcurrentCollector::StepPhase;
    const Phase phase = collector_->step_phase_ForTesting();
    switch (code) {
      case kBegin:
        if (phase == Phase::kMarking) return;
        if (phase == Phase::kSweeping) collector_->FinishCycleForTesting(nullptr);
        AfterStep();  // the finished cycle is checked first
        if (!failure_.empty()) return;
        collector_->BeginCycleForTesting(nullptr);
        Trace(absl::StrCat("gc begin (epoch ", static_cast<int>(heap_->epoch()), ")"));
        break;
      case kScanGlobals:
        if (phase != Phase::kMarking) return;
        collector_->ScanGlobalsForTesting();
        Trace("gc scan globals");
        break;
      case kScanStack: {
        Thread* t = PickThread(a);
        if (phase != Phase::kMarking || t == nullptr) return;
        collector_->ScanStackForTesting(nullptr, t->m);
        Trace(absl::StrCat("gc scan stack of T", t->number));
        break;
      }
      case kMark: {
        if (phase != Phase::kMarking) return;
        const size_t n = collector_->MarkForTesting(1 + b % 16);
        Trace(absl::StrCat("gc mark ", n));
        break;
      }
      case kFlush: {
        Thread* t = PickThread(a);
        if (phase != Phase::kMarking || t == nullptr) return;
        collector_->FlushForTesting(nullptr, t->m);
        Trace(absl::StrCat("gc flush T", t->number));
        break;
      }
      case kMarkTermination:
        if (phase != Phase::kMarking) return;
        Trace("gc mark termination");
        collector_->MarkTerminationForTesting(nullptr);
        break;
      case kSweep:
        if (phase != Phase::kSweeping) return;
        collector_->SweepForTesting();
        Trace("gc sweep slice");
        break;
      case kFinishCycle:
        if (phase == Phase::kIdle) return;
        Trace("gc finish cycle");
        collector_->FinishCycleForTesting(nullptr);
        break;
      default:
        return;
    }
    ++operations_;
  }

  void Attach() {
    auto t = std::make_unique<Thread>();
    t->number = ++thread_numbers_;
    t->m = heap_->AttachCurrentThread();
    t->m->Park();  // virtual threads run only for their own actions
    t->scopes.push_back(std::make_unique<HandleScope>(t->m));
    t->scope_marks.push_back(0);
    Trace(absl::StrCat("T", t->number, " attach"));
    threads_.push_back(std::move(t));
  }

  void Detach(size_t index) {
    Thread& t = *threads_[index];
    while (!t.frames.empty()) PopFrame(t);
    while (!t.scopes.empty()) PopScope(t);
    heap_->DetachCurrentThread(t.m);
    threads_.erase(threads_.begin() + index);
  }

  void PopScope(Thread& t) {
    t.scopes.pop_back();  // truncates the shadow stack
    const size_t mark = t.scope_marks.back();
    t.scope_marks.pop_back();
    t.handle_slots.resize(mark);
    t.handle_ids.resize(mark);
  }

  void PopFrame(Thread& t) {
    const std::vector<uint64_t> gone = std::move(t.frame_objects.back());
    t.frame_objects.pop_back();
    t.frames.pop_back();  // the region is reset (and poisoned)
    // Handles that pointed into the frame go null (they would dangle).
    for (size_t h = 0; h < t.handle_ids.size(); ++h) {
      for (uint64_t id : gone) {
        if (t.handle_ids[h] == id) {
          *t.handle_slots[h] = nullptr;
          t.handle_ids[h] = 0;
        }
      }
    }
    for (uint64_t id : gone) model_.erase(id);
  }

  const uint8_t* const data_;
  const size_t size_;
  const ScheduleOptions& options_;
  BarrierKind barrier_ = BarrierKind::kHybrid;
  std::string allocator_;
  std::unique_ptr<Heap> heap_;
  ConcurrentCollector* collector_ = nullptr;
  std::vector<std::unique_ptr<Thread>> threads_;
  std::vector<Global> globals_;
  absl::flat_hash_map<uint64_t, ModelObject> model_;
  uint64_t next_id_ = 0;
  int thread_numbers_ = 0;
  uint64_t operations_ = 0;
  uint64_t cycles_ = 0;
  std::string failure_;
  std::string trace_;
};

}  // namespace

absl::StatusOr<std::vector<uint8_t>> AssembleSchedule(const std::string& text) {
  std::vector<uint8_t> out = {0, 0};
  int line_number = 0;
  for (absl::string_view line : absl::StrSplit(text, '\n')) {
    ++line_number;
    line = line.substr(0, line.find('#'));
    std::vector<absl::string_view> words = absl::StrSplit(line, ' ', absl::SkipWhitespace());
    if (words.empty()) continue;
    auto error = [&](const std::string& what) {
      return absl::InvalidArgumentError(absl::StrCat("line ", line_number, ": ", what));
    };
    std::vector<int> args;
    for (size_t i = 1; i < words.size(); ++i) {
      int v;
      if (!absl::SimpleAtoi(words[i], &v) || v < 0 || v > 255) {
        // Header words take names.
        if (words[0] == "barrier" || words[0] == "allocator") break;
        return error(absl::StrCat("operand '", words[i], "' is not a byte"));
      }
      args.push_back(v);
    }
    if (words[0] == "barrier" && words.size() == 2) {
      bool found = false;
      for (int b = 0; b < 3; ++b) {
        if (words[1] == BarrierKindName(kScheduleBarriers[b])) {
          out[0] = static_cast<uint8_t>(out[0] - out[0] % 3 + b);
          found = true;
        }
      }
      if (!found) return error(absl::StrCat("unknown barrier ", words[1]));
      continue;
    }
    if (words[0] == "allocator" && words.size() == 2) {
      const std::vector<std::string> names = KnownAllocatorNames();
      auto it = std::find(names.begin(), names.end(), words[1]);
      if (it == names.end() || it - names.begin() >= 3) {
        return error(absl::StrCat("unknown allocator ", words[1]));
      }
      out[0] = static_cast<uint8_t>(out[0] % 3 + 3 * (it - names.begin()));
      continue;
    }
    if (words[0] == "threads" && args.size() == 1 && args[0] >= 1 && args[0] <= 4) {
      out[1] = static_cast<uint8_t>((out[1] & ~3) | (args[0] - 1));
      continue;
    }
    if (words[0] == "check_interval_log" && args.size() == 1 && args[0] <= 3) {
      out[1] = static_cast<uint8_t>((out[1] & ~12) | (args[0] << 2));
      continue;
    }
    if (words[0] == "no_assists" && args.empty()) {
      out[1] |= 48;
      continue;
    }
    int op = -1;
    for (int i = 0; i < kNumOps; ++i) {
      if (words[0] == kOpNames[i]) op = i;
    }
    if (op < 0) return error(absl::StrCat("unknown operation '", words[0], "'"));
    if (args.size() > 3) return error("at most three operands");
    int opcode = -1;
    for (int i = 0; i < 64 && opcode < 0; ++i) {
      if (kOpTable[i] == op) opcode = i;
    }
    out.push_back(static_cast<uint8_t>(opcode));
    for (size_t i = 0; i < 3; ++i) out.push_back(i < args.size() ? args[i] : 0);
  }
  return out;
}

std::string DisassembleSchedule(const uint8_t* data, size_t size) {
  const std::vector<std::string> names = KnownAllocatorNames();
  const uint8_t config = size > 0 ? data[0] : 0, flags = size > 1 ? data[1] : 0;
  std::string out =
      absl::StrCat("barrier ", BarrierKindName(kScheduleBarriers[config % 3]), "\nallocator ",
                   names[(config / 3) % std::min<size_t>(3, names.size())], "\nthreads ",
                   1 + (flags & 3), "\ncheck_interval_log ", (flags >> 2) & 3, "\n",
                   ((flags >> 4) & 3) == 3 ? "no_assists\n" : "");
  for (size_t pc = 2; pc + 4 <= size; pc += 4) {
    absl::StrAppend(&out, kOpNames[kOpTable[data[pc] % 64]], " ", data[pc + 1], " ", data[pc + 2],
                    " ", data[pc + 3], "\n");
  }
  return out;
}

ScheduleResult RunSchedule(const uint8_t* data, size_t size, const ScheduleOptions& options) {
  return Interpreter(data, size, options).Run();
}

ScheduleOptions ScheduleOptionsFromEnvironment() {
  ScheduleOptions o;
  auto die = [](const char* name, const char* value) {
    std::fprintf(stderr, "schedule fuzzer: %s=%s is not a value it knows\n", name, value);
    std::exit(2);
  };
  if (const char* v = std::getenv("GCLAB_FUZZ_BARRIER"); v != nullptr && *v != '\0') {
    bool found = false;
    for (BarrierKind k : kScheduleBarriers) {
      if (std::strcmp(BarrierKindName(k), v) == 0) {
        o.barrier = k;
        found = true;
      }
    }
    if (!found) die("GCLAB_FUZZ_BARRIER", v);
  }
  if (const char* v = std::getenv("GCLAB_FUZZ_ALLOCATOR"); v != nullptr && *v != '\0') {
    if (!AllocatorConfigForName(v).ok()) die("GCLAB_FUZZ_ALLOCATOR", v);
    o.allocator = v;
  }
  if (const char* v = std::getenv("GCLAB_FUZZ_PLANTED_BUG"); v != nullptr && *v != '\0') {
    bool found = false;
    for (PlantedBugForTesting bug :
         {PlantedBugForTesting::kNone, PlantedBugForTesting::kHybridWithoutDeletionShade,
          PlantedBugForTesting::kDijkstraWithoutRescan,
          PlantedBugForTesting::kUnbarrieredRootDeletion,
          PlantedBugForTesting::kYuasaStacksByHandshake}) {
      if (std::strcmp(PlantedBugName(bug), v) == 0) {
        o.planted_bug = bug;
        found = true;
      }
    }
    if (!found) die("GCLAB_FUZZ_PLANTED_BUG", v);
  }
  return o;
}

}  // namespace gclab::fuzz
