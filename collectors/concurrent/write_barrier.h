// The three write barriers of the concurrent collector (and the deliberately
// broken `none`, for tests). A barrier is the code a mutator runs on a pointer
// store `*slot = value` while marking, so the concurrent marker cannot lose a
// reachable object. The classic lost object needs both of:
//   (a) the mutator stores a pointer to white W into a black object, and
//   (b) every other path to W from a grey object is destroyed.
// Each barrier breaks one of the two (see concurrent_collector.h for the full
// argument and the root-scanning duty each one implies):
//
//   dijkstra (insertion; Dijkstra et al. 1978, Go 1.5-1.7):
//       shade(value); *slot = value
//     breaks (a) for heap stores: strong invariant, no black->white edge in
//     the heap. Stack stores are not barriered, so stacks must be re-scanned
//     with the world stopped at mark termination.
//
//   yuasa (deletion, snapshot-at-the-beginning; Yuasa 1990):
//       shade(*slot); *slot = value
//     breaks (b): nothing reachable at the snapshot can lose its last path
//     unshaded, so everything reachable when marking began gets marked.
//     Requires the snapshot of the stacks to be atomic: stacks are scanned in
//     the sweep-termination pause.
//
//   hybrid (Go 1.8+, Clements & Hudson, proposal 17503):
//       shade(*slot); if current stack is grey: shade(value); *slot = value
//     keeps the weak invariant while stacks are scanned one at a time by
//     handshake, and needs no re-scan: a black stack can only obtain pointers
//     to objects that are black (allocated) or reachable from the heap, whose
//     deletion the Yuasa half shades; a grey (unscanned) stack may hide
//     anything, so what it stores is shaded too.
//
//   none (tests only): *slot = value. Loses objects; the tri-color checker
//     and the heap verifier must notice.
//
// BarrieredStore performs the store; a caller never writes the slot itself.
// Thread-safety: runs on the storing mutator; shading is a CAS on the mark
// byte plus a push on the mutator's own barrier buffer (no lock).
#ifndef GCLAB_COLLECTORS_CONCURRENT_WRITE_BARRIER_H_
#define GCLAB_COLLECTORS_CONCURRENT_WRITE_BARRIER_H_

#include <cstdint>

#include "collectors/common/mark_worklist.h"
#include "collectors/concurrent/tricolor.h"
#include "interfaces/collector.h"
#include "object/object.h"

namespace gclab {

// `*slot = value` under barrier `kind` during marking with mark epoch
// `epoch`. `stack_is_grey`: the storing mutator's roots have not been scanned
// yet this cycle (hybrid only). Shaded objects go to `buffer`, the mutator's
// barrier buffer, flushed to the markers at handshakes and mark termination.
inline void BarrieredStore(BarrierKind kind, uint8_t epoch, bool stack_is_grey,
                           MarkWorklist::Local& buffer, Object** slot, Object* value) {
  switch (kind) {
    case BarrierKind::kDijkstra:
      ShadeGrey(value, epoch, buffer);
      break;
    case BarrierKind::kYuasa:
      ShadeGrey(LoadPointer(slot), epoch, buffer);
      break;
    case BarrierKind::kHybrid:
      ShadeGrey(LoadPointer(slot), epoch, buffer);
      if (stack_is_grey) ShadeGrey(value, epoch, buffer);
      break;
    case BarrierKind::kNone:
      break;
  }
  StorePointerRaw(slot, value);
}

// How a barrier kind obliges the collector to treat mutator roots.
enum class StackScanMode : uint8_t {
  kInFirstPause,        // yuasa: atomic snapshot in sweep termination
  kHandshake,           // hybrid: one mutator at a time, no re-scan
  kHandshakeAndRescan,  // dijkstra: handshake, then re-scan in mark termination
};
StackScanMode StackScanModeFor(BarrierKind kind);

}  // namespace gclab

#endif  // GCLAB_COLLECTORS_CONCURRENT_WRITE_BARRIER_H_
