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
  Verifier(Heap& heap, int marked_epoch, bool check_free_memory)
      : heap_(heap), marked_epoch_(marked_epoch), check_free_memory_(check_free_memory) {
    heap_.ForEachMutator([&](Mutator* m) { mutators_.push_back(m); });
  }

  absl::Status Run() {
    heap_.VisitGlobalRoots(
        [&](Object** slot) { CheckEdge("global root", nullptr, *slot, nullptr); });
    for (Mutator* m : mutators_) {
      // A thread's roots may point into its own stack region, never another's.
      std::string where = absl::StrCat("shadow stack of mutator ", m->id());
      m->shadow_stack().ForEachSlot([&](Object** slot) { CheckEdge(where, nullptr, *slot, m); });
      m->stack_region().ForEachObject([&](Object* o) {
        if (CheckObjectHeader(o, "stack region object")) {
          o->ForEachPointerSlot([&](Object** slot) {
            CheckEdge(absl::StrCat("field of a stack object of mutator ", m->id()), o,
                      LoadPointer(slot), m);
          });
        }
      });
    }
    while (!stack_.empty() && errors_.size() < kMaxErrors) {
      Object* o = stack_.back();
      stack_.pop_back();
      o->ForEachPointerSlot(
          [&](Object** slot) { CheckEdge("field", o, LoadPointer(slot), nullptr); });
    }
    if (errors_.empty() && check_free_memory_) {
      absl::Status s = heap_.allocator()->VerifyFreeMemory();
      if (!s.ok()) errors_.push_back(absl::StrCat("free memory: ", s.message()));
    }
    if (errors_.empty()) return absl::OkStatus();
    return absl::InternalError(absl::StrCat(errors_.size(), " problem(s), reachable objects ",
                                            visited_.size(), ": ", absl::StrJoin(errors_, "; ")));
  }

 private:
  static constexpr size_t kMaxErrors = 8;

  // The mutator whose stack region holds p, or nullptr.
  Mutator* StackOwner(const void* p) const {
    for (Mutator* m : mutators_) {
      if (m->stack_region().Contains(p)) return m;
    }
    return nullptr;
  }

  void Error(std::string msg) {
    if (errors_.size() < kMaxErrors) errors_.push_back(std::move(msg));
  }

  // Checks a pointer `target` found in `where` (holder `from`, may be null).
  // `thread`: the mutator whose roots these are (their targets may lie in
  // its stack region), nullptr for heap fields and global roots.
  void CheckEdge(const std::string& where, Object* from, Object* word, Mutator* thread) {
    Object* target = ObjectStart(word);  // the object an interior pointer keeps alive
    if (target == nullptr) return;
    Mutator* stack_owner = StackOwner(target);
    if (stack_owner == nullptr && !heap_.allocator()->Contains(target)) {
      Error(from == nullptr
                ? absl::StrFormat("%s points to %p, outside the heap", where, target)
                : absl::StrFormat("%s of %p points to %p, outside the heap", where, from, target));
      return;
    }
    if (stack_owner != nullptr) {
      if (thread == nullptr) {
        Error(from == nullptr
                  ? absl::StrFormat("%s points into a stack region (%p)", where, target)
                  : absl::StrFormat("%s of heap object %p points into a stack region (%p)", where,
                                    from, target));
      } else if (stack_owner != thread) {
        Error(absl::StrFormat("%s points into the stack region of mutator %d (%p)", where,
                              stack_owner->id(), target));
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
  const bool check_free_memory_;
  std::vector<Mutator*> mutators_;
  absl::flat_hash_set<Object*> visited_;
  absl::flat_hash_set<const TypeDescriptor*> known_types_;  // cache of IsRegisteredType
  std::vector<Object*> stack_;
  std::vector<std::string> errors_;
};

}  // namespace

absl::Status VerifyHeap(Heap& heap, int marked_epoch, bool check_free_memory) {
  return Verifier(heap, marked_epoch, check_free_memory).Run();
}

}  // namespace gclab
