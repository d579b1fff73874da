#include "heap/verifier.h"

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_set.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "heap/heap.h"
#include "heap/mutator.h"

namespace gclab {
namespace {

class Verifier {
 public:
  Verifier(Heap& heap, int marked_epoch) : heap_(heap), marked_epoch_(marked_epoch) {
    heap_.ForEachMutator([&](Mutator* m) { stacks_.push_back(&m->stack_region()); });
  }

  absl::Status Run() {
    heap_.VisitGlobalRoots([&](Object** slot) { CheckEdge("global root", nullptr, *slot, true); });
    std::vector<Mutator*> mutators;
    heap_.ForEachMutator([&](Mutator* m) { mutators.push_back(m); });
    for (Mutator* m : mutators) {
      std::string where = absl::StrCat("shadow stack of mutator ", m->id());
      m->shadow_stack().ForEachSlot(
          [&](Object** slot) { CheckEdge(where, nullptr, *slot, false); });
      m->stack_region().ForEachObject([&](Object* o) {
        if (CheckObjectHeader(o, "stack region object")) {
          o->ForEachPointerSlot([&](Object** slot) {
            CheckEdge("field of a stack object", o, LoadPointer(slot), false);
          });
        }
      });
    }
    while (!stack_.empty() && errors_.size() < kMaxErrors) {
      Object* o = stack_.back();
      stack_.pop_back();
      o->ForEachPointerSlot(
          [&](Object** slot) { CheckEdge("field", o, LoadPointer(slot), /*from_heap=*/true); });
    }
    if (errors_.empty()) {
      absl::Status s = heap_.allocator()->VerifyFreeMemory();
      if (!s.ok()) errors_.push_back(absl::StrCat("free memory: ", s.message()));
    }
    if (errors_.empty()) return absl::OkStatus();
    return absl::InternalError(absl::StrCat(errors_.size(), " problem(s), reachable objects ",
                                            visited_.size(), ": ", absl::StrJoin(errors_, "; ")));
  }

 private:
  static constexpr size_t kMaxErrors = 8;

  bool InStack(const void* p) const {
    for (const StackRegion* s : stacks_) {
      if (s->Contains(p)) return true;
    }
    return false;
  }

  void Error(std::string msg) {
    if (errors_.size() < kMaxErrors) errors_.push_back(std::move(msg));
  }

  // Checks a pointer `target` found in `where` (holder `from`, may be null).
  void CheckEdge(const std::string& where, Object* from, Object* word, bool from_heap) {
    Object* target = ObjectStart(word);  // the object an interior pointer keeps alive
    if (target == nullptr) return;
    const bool in_stack = InStack(target);
    if (!in_stack && !heap_.allocator()->Contains(target)) {
      Error(from == nullptr
                ? absl::StrFormat("%s points to %p, outside the heap", where, target)
                : absl::StrFormat("%s of %p points to %p, outside the heap", where, from, target));
      return;
    }
    if (in_stack) {
      if (from_heap) {
        Error(absl::StrFormat("%s of heap object %p points into a stack region (%p)", where, from,
                              target));
      }
      return;  // stack objects are checked as roots
    }
    if (!visited_.insert(target).second) return;
    if (!CheckObjectHeader(target, where)) return;
    if (marked_epoch_ >= 0 && target->mark_epoch() != marked_epoch_) {
      Error(absl::StrFormat(
          "reachable object %p (type %s, via %s of %p) is unmarked: mark %d, epoch %d", target,
          target->type()->name, where, from, target->mark_epoch(), marked_epoch_));
    }
    stack_.push_back(target);
  }

  bool CheckObjectHeader(Object* o, const std::string& where) {
    if (reinterpret_cast<uintptr_t>(o) % kObjectAlignment != 0) {
      Error(absl::StrFormat("%s: misaligned object pointer %p", where, o));
      return false;
    }
    const ObjectHeader& h = o->header();
    if (h.magic != kObjectMagic) {
      Error(absl::StrFormat("%s: object %p has bad magic 0x%04x (%s)", where, o, h.magic,
                            h.magic == kFreeMagic ? "freed cell" : "corrupt or poisoned"));
      return false;
    }
    if (!known_types_.contains(h.type)) {
      if (IsRegisteredType(h.type)) known_types_.insert(h.type);
    }
    if (!known_types_.contains(h.type)) {
      Error(absl::StrFormat("%s: object %p has unknown type pointer %p", where, o, h.type));
      return false;
    }
    if (h.size < kHeaderSize || h.size % kObjectAlignment != 0 ||
        (!h.type->is_array() && h.size != ObjectSizeFor(h.type))) {
      Error(absl::StrFormat("%s: object %p of type %s has inconsistent size %u", where, o,
                            h.type->name, h.size));
      return false;
    }
    return true;
  }

  Heap& heap_;
  const int marked_epoch_;
  std::vector<const StackRegion*> stacks_;
  absl::flat_hash_set<Object*> visited_;
  absl::flat_hash_set<const TypeDescriptor*> known_types_;  // cache of IsRegisteredType
  std::vector<Object*> stack_;
  std::vector<std::string> errors_;
};

}  // namespace

absl::Status VerifyHeap(Heap& heap, int marked_epoch) { return Verifier(heap, marked_epoch).Run(); }

}  // namespace gclab
