// Program start, goroutines (OS threads attached as mutators), stdout,
// exit and the statistics file.
#include "goruntime/sched.h"

#include <pthread.h>
#include <sched.h>
#include <time.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <mutex>
#include <string>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "google/protobuf/text_format.h"
#include "google/protobuf/util/json_util.h"
#include "goruntime/internal.h"
#include "goruntime/run_stats.pb.h"
#include "goruntime/std.h"
#include "registry/registry.h"

namespace gort {

Slice g_args;
Word g_literals = 0;

namespace {

// ---------------------------------------------------------------- options

struct Options {
  std::string allocator = "size_class";
  std::string collector = "concurrent";
  std::string allocator_config;  // text proto (overrides --allocator)
  std::string collector_config;
  std::string escape = "go";
  int gogc = 100;
  bool gogc_set = false;
  uint64_t min_heap_bytes = 0;  // 0: the collector's default
  bool gctrace = false;
  bool verify = false;
  std::string stats_json;
  uint64_t heap_limit_bytes = uint64_t{4} << 30;
  uint64_t max_stack_bytes = uint64_t{256} << 20;
};

Options g_options;
const ProgramInfo* g_program = nullptr;
gclab::Heap* g_heap = nullptr;
std::atomic<int64_t> g_next_goid{1};
std::atomic<int64_t> g_live_goroutines{0};
std::atomic<int64_t> g_running{0};  // goroutines not blocked
const gclab::TypeDescriptor* g_go_frame_desc = nullptr;
thread_local G* t_g = nullptr;
std::vector<std::string> g_program_args;
std::string g_program_name;

// Native stack reserved below the limit for the runtime's own calls
// (printing a panic, the collector's stack scan, exception unwinding).
constexpr uint64_t kStackReserve = 256 * 1024;

const char kUsage[] =
    "usage: PROGRAM [gclab flags] [--] [program arguments]\n"
    "gclab flags:\n"
    "  --allocator=NAME        bump | free_list | size_class (default size_class)\n"
    "  --collector=NAME        nogc | marksweep | concurrent (default concurrent)\n"
    "  --allocator_config=TEXT an AllocatorConfig text proto (registry/modules.proto)\n"
    "  --collector_config=TEXT a CollectorConfig text proto\n"
    "  --escape=MODE           go | intraprocedural | all_heap (default go)\n"
    "  --gogc=N                GOGC of the collector (default: $GOGC or 100)\n"
    "  --gc_min_heap_bytes=N   no collection below this heap size (collector default: 4 MiB)\n"
    "  --gctrace               one line per collection on stderr\n"
    "  --verify                heap verifier after every collection and escape checks\n"
    "                          (also GCLAB_VERIFY=1)\n"
    "  --stats_json=FILE       write the run's heap statistics (GoRunStats JSON)\n"
    "  --heap_limit_bytes=N    hard heap limit (default 4 GiB)\n"
    "  --max_stack_bytes=N     goroutine stack limit (default 256 MiB)\n";

[[noreturn]] void UsageError(const std::string& msg) {
  std::fprintf(stderr, "%s\n%s", msg.c_str(), kUsage);
  std::exit(1);
}

bool ParseU64(absl::string_view v, uint64_t* out) { return absl::SimpleAtoi(v, out); }

// Consumes gclab's flags from argv; returns the index of the first program
// argument.
int ParseFlags(int argc, char** argv) {
  Options& o = g_options;
  if (const char* e = std::getenv("GOGC")) {
    if (std::strcmp(e, "off") == 0) {
      o.gogc = -1;
      o.gogc_set = true;
    } else if (absl::SimpleAtoi(e, &o.gogc)) {
      o.gogc_set = true;
    }
  }
  int i = 1;
  for (; i < argc; ++i) {
    absl::string_view a = argv[i];
    if (a == "--") {
      ++i;
      break;
    }
    if (!absl::StartsWith(a, "--")) break;
    absl::string_view name = a.substr(2), value;
    bool has_value = false;
    if (size_t eq = name.find('='); eq != absl::string_view::npos) {
      value = name.substr(eq + 1);
      name = name.substr(0, eq);
      has_value = true;
    }
    auto need = [&]() {
      if (!has_value) UsageError(absl::StrCat("flag --", name, " needs a value"));
    };
    if (name == "allocator") {
      need();
      o.allocator = std::string(value);
    } else if (name == "collector") {
      need();
      o.collector = std::string(value);
    } else if (name == "allocator_config") {
      need();
      o.allocator_config = std::string(value);
    } else if (name == "collector_config") {
      need();
      o.collector_config = std::string(value);
    } else if (name == "escape") {
      need();
      o.escape = std::string(value);
    } else if (name == "gogc") {
      need();
      if (value == "off") {
        o.gogc = -1;
      } else if (!absl::SimpleAtoi(value, &o.gogc)) {
        UsageError("--gogc needs an integer or off");
      }
      o.gogc_set = true;
    } else if (name == "gc_min_heap_bytes") {
      need();
      if (!ParseU64(value, &o.min_heap_bytes)) UsageError("--gc_min_heap_bytes needs a number");
    } else if (name == "gctrace") {
      o.gctrace = !has_value || value == "1" || value == "true";
    } else if (name == "verify") {
      o.verify = !has_value || value == "1" || value == "true";
    } else if (name == "stats_json") {
      need();
      o.stats_json = std::string(value);
    } else if (name == "heap_limit_bytes") {
      need();
      if (!ParseU64(value, &o.heap_limit_bytes)) UsageError("--heap_limit_bytes needs a number");
    } else if (name == "max_stack_bytes") {
      need();
      if (!ParseU64(value, &o.max_stack_bytes) || o.max_stack_bytes < (64 << 10))
        UsageError("--max_stack_bytes needs a number >= 65536");
    } else if (name == "help") {
      std::fputs(kUsage, stdout);
      std::exit(0);
    } else {
      break;  // the program's own flag
    }
  }
  return i;
}

// The parameters message of whichever collector the config selects.
google::protobuf::Message* CollectorParams(gclab::CollectorConfig* c) {
  const google::protobuf::Reflection* r = c->GetReflection();
  const google::protobuf::OneofDescriptor* oneof = c->GetDescriptor()->FindOneofByName("kind");
  const google::protobuf::FieldDescriptor* set = r->GetOneofFieldDescriptor(*c, oneof);
  return set == nullptr ? nullptr : r->MutableMessage(c, set);
}

// Sets the collector's `gogc` / `min_heap_bytes`, if it has them.
void ApplyCollectorFlags(gclab::CollectorConfig* c, const Options& o) {
  google::protobuf::Message* params = CollectorParams(c);
  if (params == nullptr) return;
  const google::protobuf::Descriptor* d = params->GetDescriptor();
  if (o.gogc_set)
    if (const auto* f = d->FindFieldByName("gogc"))
      params->GetReflection()->SetInt32(params, f, o.gogc);
  if (o.min_heap_bytes > 0)
    if (const auto* f = d->FindFieldByName("min_heap_bytes"))
      params->GetReflection()->SetUInt64(params, f, o.min_heap_bytes);
}

// ---------------------------------------------------------------- stdout

struct Stdout {
  std::mutex mu;
  std::string buf;
};
Stdout& Out() {
  static auto* s = new Stdout;
  return *s;
}

void WriteAll(int fd, const char* p, size_t n) {
  while (n > 0) {
    ssize_t w = ::write(fd, p, n);
    if (w < 0) {
      if (errno == EINTR) continue;
      return;
    }
    p += w;
    n -= static_cast<size_t>(w);
  }
}

// ---------------------------------------------------------------- goroutines

void StartG(G* g, gclab::Heap* heap) {
  g->heap = heap;
  g->m = heap->AttachCurrentThread();
  g->region = &g->m->stack_region();
  g->region_base = static_cast<const char*>(g->region->Allocate(0));
  RegisterRegion(g);
  g->id = g_next_goid.fetch_add(1);
  pthread_attr_t attr;
  void* addr = nullptr;
  size_t size = 0;
  if (pthread_getattr_np(pthread_self(), &attr) == 0) {
    pthread_attr_getstack(&attr, &addr, &size);
    pthread_attr_destroy(&attr);
  }
  g->stack_limit = reinterpret_cast<uintptr_t>(addr) + kStackReserve;
  t_g = g;
  g_live_goroutines.fetch_add(1);
}

void EndG(G* g) {
  t_g = nullptr;
  g_live_goroutines.fetch_sub(1);
  if (g_running.fetch_sub(1) == 1) Throw(nullptr, "all goroutines are asleep - deadlock!");
  UnregisterRegion(g);
  g->heap->DetachCurrentThread(g->m);
}

// Calls the func value `fn` (no arguments) on goroutine g, with `fn` rooted
// in a frame word.
void RunFunc(G* g, Word fn) {
  Frame<1> fr(g, g_go_frame_desc);
  fr.w[0] = fn;
  auto code = *reinterpret_cast<void (**)(G*, Word)>(Addr(fn));
  code(g, fn);
}

struct GoStart {
  gclab::Heap* heap;
  gclab::Object** root;  // the func value, rooted until the goroutine runs
};

void* GoroutineMain(void* arg) {
  std::unique_ptr<GoStart> start(static_cast<GoStart*>(arg));
  G g;
  StartG(&g, start->heap);
  {
    Frame<1> fr(&g, g_go_frame_desc);
    fr.w[0] = reinterpret_cast<Word>(*start->root);
    start->heap->DeleteGlobalRoot(start->root);
    try {
      RunFunc(&g, fr.w[0]);
    } catch (const PanicUnwind&) {
      DiePanicking(&g);
    }
  }
  EndG(&g);
  return nullptr;
}

void SpawnThread(void* (*fn)(void*), void* arg) {
  pthread_attr_t attr;
  pthread_attr_init(&attr);
  pthread_attr_setstacksize(&attr, g_options.max_stack_bytes + kStackReserve + (64 << 10));
  pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
  pthread_t t;
  int err = pthread_create(&t, &attr, fn, arg);
  pthread_attr_destroy(&attr);
  if (err != 0) Throw(CurrentG(), "newproc: cannot create a thread for the goroutine");
}

void WriteStats(int code) {
  if (g_options.stats_json.empty() || g_heap == nullptr) return;
  gclab::GoRunStats s;
  s.set_program(g_program != nullptr ? g_program->source_file : "");
  s.set_allocator(std::string(g_heap->allocator()->name()));
  s.set_collector(std::string(g_heap->collector()->name()));
  s.set_escape_mode(EscapeModeName());
  s.set_exit_code(code);
  s.set_run_ns(g_heap->NowNanos());
  s.set_bytes_allocated(g_heap->bytes_allocated());
  s.set_objects_allocated(g_heap->objects_allocated());
  s.set_stack_objects_allocated(g_heap->stack_objects_allocated());
  s.set_peak_heap_bytes(g_heap->stats().peak_heap_bytes());
  s.set_barrier_slow_hits(g_heap->stats().barrier_slow_hits.load());
  s.set_goroutines(static_cast<uint64_t>(g_next_goid.load() - 1));
  for (const gclab::PauseRecord& p : g_heap->stats().pauses()) {
    auto* q = s.add_pauses();
    q->set_cycle(p.cycle);
    q->set_phase(gclab::PausePhaseName(p.phase));
    q->set_start_ns(p.start_ns);
    q->set_duration_ns(p.duration_ns);
    q->set_time_to_safepoint_ns(p.time_to_safepoint_ns);
  }
  for (const gclab::CycleRecord& c : g_heap->stats().cycles()) {
    auto* q = s.add_cycles();
    q->set_cycle(c.cycle);
    q->set_cause(gclab::GcCauseName(c.cause));
    q->set_start_ns(c.start_ns);
    q->set_end_ns(c.end_ns);
    q->set_pause_total_ns(c.pause_total_ns);
    q->set_mark_ns(c.mark_ns);
    q->set_concurrent_mark_ns(c.concurrent_mark_ns);
    q->set_sweep_ns(c.sweep_ns);
    q->set_marker_cpu_ns(c.marker_cpu_ns);
    q->set_assist_cpu_ns(c.assist_cpu_ns);
    q->set_heap_before_bytes(c.heap_before_bytes);
    q->set_heap_marked_bytes(c.heap_marked_bytes);
    q->set_heap_after_bytes(c.heap_after_bytes);
    q->set_heap_goal_bytes(c.heap_goal_bytes);
    q->set_next_trigger_bytes(c.next_trigger_bytes);
    q->set_objects_marked(c.objects_marked);
    q->set_objects_freed(c.objects_freed);
    q->set_barrier_slow_hits(c.barrier_slow_hits);
    q->set_marker_threads(c.marker_threads);
    q->set_stw_start_ns(c.stw_start_ns);
    q->set_stw_end_ns(c.stw_end_ns);
  }
  std::string json;
  google::protobuf::util::JsonPrintOptions opts;
  opts.add_whitespace = true;
  opts.preserve_proto_field_names = true;
  if (!google::protobuf::util::MessageToJsonString(s, &json, opts).ok()) return;
  FILE* f = std::fopen(g_options.stats_json.c_str(), "w");
  if (f == nullptr) {
    std::string m = absl::StrCat("gclab: cannot write ", g_options.stats_json, "\n");
    WriteStderr(m.data(), m.size());
    return;
  }
  std::fwrite(json.data(), 1, json.size(), f);
  std::fclose(f);
}

// The runtime's immortal data: zerobase, small-value boxes, string
// literals, os.Args, the program's allocation sites.
void InitRuntimeData(G* g, const ProgramInfo& p) {
  gclab::Heap* heap = g->heap;
  auto immortal = [&](Word w) {
    gclab::Object** root = heap->NewGlobalRoot();
    g->m->WriteGlobal(root, gclab::ObjectStart(reinterpret_cast<gclab::Object*>(w)));
  };
  g_zerobase = NewHeapBytes(g, 1024);
  immortal(g_zerobase);
  g_static_small = NewHeapArray(g, &kTypeUint64, 256);
  immortal(g_static_small);
  for (uint64_t i = 0; i < 256; ++i) reinterpret_cast<uint64_t*>(Addr(g_static_small))[i] = i;
  g_literals = p.literals_len > 0 ? NewHeapBytes(g, p.literals_len) : g_zerobase;
  if (p.literals_len > 0) {
    immortal(g_literals);
    std::memcpy(Addr(g_literals), p.literals, static_cast<size_t>(p.literals_len));
  }
  for (int i = 0; i < p.num_sites; ++i) InitSite(p.sites[i]);
  g_os_stdout = NewHeapBytes(g, 8);
  immortal(g_os_stdout);
  g_os_stderr = NewHeapBytes(g, 8);
  immortal(g_os_stderr);
  // os.Args: the program's name, then the arguments after gclab's flags.
  const int n = static_cast<int>(g_program_args.size()) + 1;
  Word args = NewHeapArray(g, &kTypeString, n);
  immortal(args);
  auto* a = reinterpret_cast<String*>(Addr(args));
  StoreString(g, &a[0], NewString(g, g_program_name), nullptr);
  for (int i = 1; i < n; ++i) StoreString(g, &a[i], NewString(g, g_program_args[i - 1]), nullptr);
  g_args = Slice{args, n, n};
}

// The main goroutine.
void* MainGoroutine(void*) {
  G g;
  StartG(&g, g_heap);
  InitRuntimeTypes();
  g_go_frame_desc = gclab::MakeRecordType("frame of a goroutine's entry", 1, 0);
  InitRuntimeData(&g, *g_program);
  try {
    g_program->init(&g);
    g_program->main(&g);
  } catch (const PanicUnwind&) {
    DiePanicking(&g);
  }
  Exit(&g, 0);
}

}  // namespace

G* CurrentG() { return t_g; }

uint64_t StackLimitBytes() { return g_options.max_stack_bytes; }

const char* EscapeModeName() {
  switch (g_mode_bit) {
    case 1 << kAllHeap:
      return "all_heap";
    case 1 << kIntraprocedural:
      return "intraprocedural";
    default:
      return "go";
  }
}

void WriteStdout(const char* data, size_t n) {
  Stdout& s = Out();
  std::lock_guard<std::mutex> lock(s.mu);
  s.buf.append(data, n);
  if (s.buf.size() >= 64 * 1024) {
    WriteAll(1, s.buf.data(), s.buf.size());
    s.buf.clear();
  }
}

void FlushStdout() {
  Stdout& s = Out();
  std::unique_lock<std::mutex> lock(s.mu, std::try_to_lock);
  if (!lock.owns_lock()) return;  // this thread died while printing
  WriteAll(1, s.buf.data(), s.buf.size());
  s.buf.clear();
}

void WriteStderr(const char* data, size_t n) { WriteAll(2, data, n); }

void ExitProcess(int code) {
  FlushStdout();
  WriteStats(code);
  _exit(code);
}

void Exit(G* g, int code) {
  // Go's main: deferred calls of panicking goroutines should not take long;
  // a goroutine that is dying ends the program itself (exit 2).
  for (int i = 0; i < 1000 && g_running_panics.load() > 0; ++i) {
    gclab::ParkedScope parked(g->m);
    sched_yield();
  }
  if (g_dying.load()) {
    gclab::ParkedScope parked(g->m);
    for (;;) pause();
  }
  FlushStdout();
  // Exact totals: this thread's counters are flushed when it detaches.
  if (g != nullptr && g->m != nullptr) {
    g->heap->DetachCurrentThread(g->m);
    g->m = nullptr;
  }
  ExitProcess(code);
}

void Go(G* g, Word fn) {
  if (fn == 0) PanicNil(g, nullptr);
  auto* start = new GoStart{g->heap, g->heap->NewGlobalRoot()};
  g->m->WriteGlobal(start->root, reinterpret_cast<gclab::Object*>(fn));
  Readied();  // the new goroutine is runnable from now on
  SpawnThread(&GoroutineMain, start);
}

void Gosched(G* g) {
  gclab::ParkedScope parked(g->m);
  sched_yield();
}

int64_t NumGoroutine() { return g_live_goroutines.load(); }

void BlockBegin(G* g) {
  if (g_running.fetch_sub(1) == 1) Throw(g, "all goroutines are asleep - deadlock!");
}
void Readied() { g_running.fetch_add(1); }
void BlockEnd() { g_running.fetch_add(1); }

void GC(G* g) { g->m->CollectGarbage(); }

int Main(int argc, char** argv, const ProgramInfo& program) {
  g_program = &program;
  const int first = ParseFlags(argc, argv);
  Options& o = g_options;
  if (o.escape == "go") {
    g_mode_bit = 1 << kGoEscape;
  } else if (o.escape == "intraprocedural") {
    g_mode_bit = 1 << kIntraprocedural;
  } else if (o.escape == "all_heap") {
    g_mode_bit = 1 << kAllHeap;
  } else {
    UsageError(absl::StrCat("unknown escape analysis \"", o.escape,
                            "\"; known: all_heap, intraprocedural, go"));
  }
  gclab::AllocatorConfig alloc;
  gclab::CollectorConfig coll;
  if (!o.allocator_config.empty()) {
    if (!google::protobuf::TextFormat::ParseFromString(o.allocator_config, &alloc))
      UsageError("--allocator_config: not an AllocatorConfig text proto");
  } else {
    auto a = gclab::AllocatorConfigForName(o.allocator);
    if (!a.ok()) UsageError(std::string(a.status().message()));
    alloc = *a;
  }
  if (!o.collector_config.empty()) {
    if (!google::protobuf::TextFormat::ParseFromString(o.collector_config, &coll))
      UsageError("--collector_config: not a CollectorConfig text proto");
  } else {
    auto c = gclab::CollectorConfigForName(o.collector);
    if (!c.ok()) UsageError(std::string(c.status().message()));
    coll = *c;
  }
  ApplyCollectorFlags(&coll, o);
  gclab::HeapConfig hc;
  hc.heap_limit_bytes = o.heap_limit_bytes;
  hc.stack_region_bytes = o.max_stack_bytes;
  hc.gctrace = o.gctrace;
  hc.verify = o.verify;
  gclab::ApplyHeapEnvironment(&hc);
  g_checks = hc.verify;
  auto heap = gclab::MakeHeap(hc, alloc, coll);
  if (!heap.ok()) UsageError(absl::StrCat("gclab: ", heap.status().message()));
  g_heap = heap->release();  // never destroyed: goroutines may outlive main
  g_program_args.assign(argv + first, argv + argc);
  g_program_name = argv[0];
  g_running.store(1);
  SpawnThread(&MainGoroutine, nullptr);
  for (;;) pause();
}

}  // namespace gort
