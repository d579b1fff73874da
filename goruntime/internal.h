// Declarations shared by the runtime's own files (not used by generated
// code).
#ifndef GCLAB_GORUNTIME_INTERNAL_H_
#define GCLAB_GORUNTIME_INTERNAL_H_

#include <atomic>
#include <string>

#include "absl/strings/string_view.h"
#include "goruntime/gort.h"
#include "goruntime/sched.h"
#include "goruntime/types.h"

namespace gort {

// The largest value a gclab cell holds (ObjectHeader::size is 32 bits).
inline constexpr uint64_t kMaxCellBytes = 0xFFFFFFFFu - 64;

extern Word g_zerobase;  // the address of every zero-size allocation
// Panics running deferred calls, and whether one of them is ending the
// program (Go's runningPanicDefers / panicking): a normal exit waits for them.
extern std::atomic<int64_t> g_running_panics;
extern std::atomic<bool> g_dying;

// Creates the stack descriptors of a site (startup).
void InitSite(Site* s);
// Escape checks of a pointer store (g_checks).
void CheckStore(G* g, Word* slot, Word v, const Pos* pos);
// The escape checks' table of live goroutines' region memory: StartG
// registers g's region, EndG unregisters it before its mutator detaches.
void RegisterRegion(G* g);
void UnregisterRegion(G* g);

// The current goroutine of this thread (for code without a G argument).
G* CurrentG();

// Strings built by the runtime.
String NewString(G* g, absl::string_view s);
inline absl::string_view View(String s) {
  return absl::string_view(Data(s), static_cast<size_t>(s.len));
}
inline std::string ToStd(String s) { return std::string(View(s)); }

// An error value whose Error() is `msg` (errors.New).
IFace NewError(G* g, String msg);
// The runtime errors recover() returns (runtime.Error).
EFace RuntimeErrorValue(G* g, absl::string_view msg, bool bounds);

// Formats a panic value the way the runtime's printpanicval does.
std::string PanicValueString(G* g, EFace v);
// A runtime error without the "runtime error: " prefix (plainError: nil
// map writes, closed channels).
[[noreturn]] void PanicPlain(G* g, const char* msg, const Pos* pos);
// An unrecovered panic reached the top of g's stack: Go's report, exit 2.
[[noreturn]] void DiePanicking(G* g);
// Flushes stdout, writes the statistics if asked, ends the process.
[[noreturn]] void ExitProcess(int code);
// The goroutine stack limit (--max_stack_bytes).
uint64_t StackLimitBytes();
// panic("msg") with a Go string value (the library's own panics).
[[noreturn]] void PanicGoString(G* g, absl::string_view msg, const Pos* pos);
// Ends the innermost panic without running anything (fmt's catchPanic).
void AbortPanic(G* g);
// A heap box holding a new string with the bytes of s.
Word BoxString(G* g, absl::string_view s);
// A heap copy of the value at v (interface data word for fmt).
Word BoxHeap(G* g, const Type* t, const void* v);
// 64-bit hash of bytes (maps, strings).
uint64_t HashBytes(const void* p, size_t n, uint64_t seed);
// Go's staticuint64s: 256 immortal uint64 values 0..255.
extern Word g_static_small;

// The escape mode's name ("go", ...).
const char* EscapeModeName();

}  // namespace gort

#endif  // GCLAB_GORUNTIME_INTERNAL_H_
