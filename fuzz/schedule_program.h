// The schedule fuzzer's interpreter: a byte string is a program of mutator
// actions on several threads interleaved with the concurrent collector's
// phase steps; running it checks, after every step that could break
// something, that the collector never lost an object.
//
// The program (every byte string is one; nothing is rejected):
//   byte 0    barrier (mod 3: dijkstra, yuasa, hybrid) and allocator (/ 3,
//             mod 3: the registry's first three), unless pinned by options
//   byte 1    initial threads (1 + bits 0-1), the marking allocation-check
//             interval (1 KiB << bits 2-3: how often assists run), assists
//             off when bits 4-5 are both set
//   then 4-byte operations [opcode, a, b, c]; the opcode picks one of
//   kNumOps operations (table in schedule_program.cc), a/b/c its operands
//   (a thread, a handle, a field, a global, a count...). Operations that do
//   not apply in the current state (a field of a null handle, a collector
//   step with no cycle running) do nothing and are not counted.
// Mutator actions: allocate typed objects (records with 2 or 4 pointers,
// pointer arrays, data arrays, garbage) into handles; store and clear
// fields; load fields into handles; copy and clear handles; add, store, load
// and delete global roots (deletion by a mutator or by a thread that is
// none); push and pop handle scopes; push and pop stack frames and allocate
// stack objects; attach and detach threads; park and unpark (a parked
// thread takes no action); an explicit collection.
// Collector steps (ConcurrentCollector's stepping API, manual mode): begin a
// cycle (finishing a previous sweep first), scan globals, scan one thread's
// stack, mark n objects, flush one thread's barrier buffer, mark
// termination, one sweep slice, finish the cycle.
//
// Threads are virtual: every mutator is attached from the calling OS thread
// and stays parked except while it executes an action, so the collector's
// pauses and handshakes find it parked (handshakes run on the driver, as for
// a thread held parked) and every input replays identically. The real
// safepoint races are the business of heap_test and the TSan runs.
//
// Oracles (the first failure ends the run):
//   - a reference model of the object graph: every object reachable in the
//     model is intact and holds the model's contents (type, id, data,
//     fields), checked on every load, after every cycle and at the end;
//   - at every mark termination: the tri-color checker, checkmark and the
//     heap verifier (with the mark epoch);
//   - after every sweep: the heap verifier again (world stopped).
// At the end the cycle in progress is finished and one more full cycle runs.
#ifndef GCLAB_FUZZ_SCHEDULE_PROGRAM_H_
#define GCLAB_FUZZ_SCHEDULE_PROGRAM_H_

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "collectors/concurrent/concurrent_collector.h"
#include "interfaces/collector.h"

namespace gclab::fuzz {

struct ScheduleOptions {
  // Pinned barrier and allocator; unset/empty: the input's byte 0 chooses.
  std::optional<BarrierKind> barrier;
  std::string allocator;
  PlantedBugForTesting planted_bug = PlantedBugForTesting::kNone;
  // Record every executed operation in ScheduleResult::trace.
  bool trace = false;
};

struct ScheduleResult {
  BarrierKind barrier = BarrierKind::kHybrid;
  std::string allocator;
  uint64_t operations = 0;  // actions and steps executed
  uint64_t cycles = 0;      // completed collection cycles
  std::string failure;      // empty: every oracle agreed
  std::string trace;        // with ScheduleOptions::trace
  bool ok() const { return failure.empty(); }
};

// Runs the program `data[0, size)` on a fresh heap.
ScheduleResult RunSchedule(const uint8_t* data, size_t size, const ScheduleOptions& options);

// A program from its text form, one item per line ('#' starts a comment):
//   barrier hybrid | allocator bump | threads 2 | check_interval_log 1 |
//   no_assists          (the header bytes; defaults: dijkstra, the first
//                        allocator, 1 thread, 1 KiB, assists on)
//   <operation> [a [b [c]]]   e.g. "store 1 0 8" (the names: `schedule_tool
//                             dis` of any input lists them in use)
// Operands are the raw bytes the interpreter decodes (thread = a % threads,
// handle 0 = the newest, ...). InvalidArgument naming the line otherwise.
absl::StatusOr<std::vector<uint8_t>> AssembleSchedule(const std::string& text);
// The text form of a program (operations as written, not as executed: use
// ScheduleOptions::trace for that).
std::string DisassembleSchedule(const uint8_t* data, size_t size);

// The barriers and allocators programs choose from (byte 0).
inline constexpr BarrierKind kScheduleBarriers[] = {BarrierKind::kDijkstra, BarrierKind::kYuasa,
                                                    BarrierKind::kHybrid};

// Options from the environment of a fuzzing process: GCLAB_FUZZ_BARRIER
// (dijkstra|yuasa|hybrid), GCLAB_FUZZ_ALLOCATOR (a registry name),
// GCLAB_FUZZ_PLANTED_BUG (a PlantedBugName). Aborts with a message on a
// value it does not know.
ScheduleOptions ScheduleOptionsFromEnvironment();

}  // namespace gclab::fuzz

#endif  // GCLAB_FUZZ_SCHEDULE_PROGRAM_H_
