// Goroutines, defer/panic/recover, program start and exit.
//
// Panics are C++ exceptions (PanicUnwind): the panic itself (value,
// position, recovered flag) is the goroutine's Panic record, whose value is
// rooted in the mutator's shadow stack while it propagates. A function with
// defer statements keeps a DeferList of records allocated in the stack
// region (their pointer words are roots there) and runs them on return and,
// from its catch handler, while a panic unwinds through it:
//
//   gort::DeferList dl;
//   try {
//     ... dl.Push(...) ...            // defer f(x)
//     { r = e; goto ret; }            // return e
//   } catch (const gort::PanicUnwind&) {
//     if (!gort::RunDefers(g, &dl, true)) throw;   // not recovered
//     return r;                                      // recovered: normal return
//   }
//   ret:
//   if (!gort::RunDefers(g, &dl, false)) throw gort::PanicUnwind{};
//   return r;
//
// Goroutines are OS threads attached to the heap as mutators; a goroutine
// whose function panics without recovering ends the program (exit 2) with
// Go's "panic: ..." report.
#ifndef GCLAB_GORUNTIME_SCHED_H_
#define GCLAB_GORUNTIME_SCHED_H_

#include <cstdint>

#include "goruntime/gort.h"
#include "goruntime/types.h"

namespace gort {

struct PanicUnwind {};

struct Panic {
  EFace value;
  size_t root_index = 0;  // shadow-stack size before the value's root slot
  bool recovered = false;
  bool aborted = false;  // a later panic started while this one ran defers
  const Pos* pos = nullptr;
  Panic* link = nullptr;  // the panic this one interrupted
  bool goexit = false;
};

// A deferred call: code(g, record) with the arguments evaluated at the
// defer statement stored after the header (their pointers are roots: the
// record lives in the stack region).
struct DeferRecord {
  void (*code)(G* g, char* args);
  DeferRecord* next;
  // followed by the arguments
};

class DeferList {
 public:
  // A record with `args_size` bytes of arguments whose pointer words the
  // descriptor lists (offsets after the DeferRecord), allocated in the
  // stack region; returns the argument area.
  char* Push(G* g, void (*code)(G*, char*), const gclab::TypeDescriptor* desc, size_t args_size);
  DeferRecord* head = nullptr;
};

// Runs the records of `list` (LIFO) and empties it. `panicking`: called from
// a catch handler while g->panic unwinds. Returns true when the function may
// return normally (no panic, or the panic was recovered by one of its
// deferred calls), false when the panic (an old one or one raised by a
// deferred call) must continue.
bool RunDefers(G* g, DeferList* list, bool panicking);

// recover(): the value of the current panic if called directly by a
// deferred function (can_recover = the caller's defer_direct on entry).
EFace Recover(G* g, bool can_recover);

// Takes the defer_direct flag of the current call (functions that call
// recover do this first).
inline bool TakeDeferDirect(G* g) {
  bool d = g->defer_direct;
  g->defer_direct = false;
  return d;
}

// go f(args): `fn` is a func value (a closure object made by the caller,
// heap-allocated) taking no arguments.
void Go(G* g, Word fn);

// runtime.GC: a full blocking collection.
void GC(G* g);
// runtime.Gosched / runtime.NumGoroutine
void Gosched(G* g);
int64_t NumGoroutine();

// Blocking bookkeeping for "all goroutines are asleep - deadlock!": a
// goroutine about to block calls BlockBegin; whoever makes it runnable again
// calls Readied (on its behalf) before it wakes; a goroutine that wakes by
// itself (timeouts) calls BlockEnd.
void BlockBegin(G* g);
void Readied();
void BlockEnd();

// ---- Program start and exit.

// What gocompile emits for a program.
struct ProgramInfo {
  const char* source_file;
  // Starts the program's runtime data (types, sites, literals, globals),
  // then runs the package's initializers.
  void (*init)(G* g);
  void (*main)(G* g);
  Site* const* sites;
  int num_sites;
  const char* literals;  // every string literal, concatenated
  int64_t literals_len;
};

// The main function of a compiled program: parses gclab's flags, builds the
// heap, runs init and main.main on the main goroutine and exits like a Go
// binary.
int Main(int argc, char** argv, const ProgramInfo& program);

// os.Exit: flushes stdout, writes the statistics if asked, exits.
[[noreturn]] void Exit(G* g, int code);

// Buffered stdout shared by every goroutine (os.Stdout, fmt.Print*).
void WriteStdout(const char* data, size_t n);
void FlushStdout();
// Unbuffered stderr (print/println, fatal errors).
void WriteStderr(const char* data, size_t n);

// The current program's arguments (os.Args) and the heap's statistics.
extern Slice g_args;

}  // namespace gort

#endif  // GCLAB_GORUNTIME_SCHED_H_
