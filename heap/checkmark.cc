#include "heap/checkmark.h"

#include <deque>
#include <string>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "heap/heap.h"
#include "heap/mutator.h"

namespace gclab {
namespace {

class Checkmarker {
 public:
  Checkmarker(Heap& heap, uint8_t epoch) : heap_(heap), epoch_(epoch) {}

  absl::Status Run() {
    int global = 0;
    heap_.VisitGlobalRoots(
        [&](Object** slot) { Root(absl::StrCat("global root #", global++), LoadPointer(slot)); });
    heap_.ForEachMutator([&](Mutator* m) {
      int slot_index = 0;
      m->shadow_stack().ForEachSlot([&](Object** slot) {
        Root(absl::StrCat("shadow stack slot #", slot_index++, " of mutator ", m->id()), *slot);
      });
      m->stack_region().ForEachObject([&](Object* o) {
        o->ForEachPointerSlot([&](Object** slot) {
          Root(absl::StrFormat("stack object %p .+%d of mutator %d", o,
                               reinterpret_cast<char*>(slot) - o->payload(), m->id()),
               LoadPointer(slot));
        });
      });
    });
    while (!queue_.empty()) {
      Object* o = queue_.front();
      queue_.pop_front();
      if (!o->IsMarked(epoch_)) return Failure(o);
      o->ForEachPointerSlot([&](Object** slot) {
        Object* t = ObjectStart(LoadPointer(slot));  // interior pointers keep their object
        if (t == nullptr || t->is_stack_allocated()) return;
        if (parent_
                .try_emplace(
                    t, Edge{o, static_cast<uint32_t>(reinterpret_cast<char*>(slot) - o->payload())})
                .second) {
          queue_.push_back(t);
        }
      });
    }
    return absl::OkStatus();
  }

 private:
  struct Edge {
    Object* from;     // nullptr: a root (root_names_ has its name)
    uint32_t offset;  // byte offset of the field in `from`'s payload
  };

  // `word`: what a root slot holds (an object or an interior pointer).
  void Root(std::string name, Object* word) {
    Object* target = ObjectStart(word);
    // Stack objects are roots themselves: their fields are visited above.
    if (target == nullptr || target->is_stack_allocated()) return;
    if (parent_.try_emplace(target, Edge{nullptr, 0}).second) {
      root_names_.emplace(target, std::move(name));
      queue_.push_back(target);
    }
  }

  absl::Status Failure(Object* white) {
    std::vector<Object*> path;  // white first, root referent last
    for (Object* o = white; o != nullptr; o = parent_.at(o).from) path.push_back(o);
    std::string text = root_names_.at(path.back());
    for (size_t i = path.size(); i-- > 0;) {
      Object* o = path[i];
      const Edge& e = parent_.at(o);
      if (e.from != nullptr) absl::StrAppend(&text, " .+", e.offset);
      absl::StrAppend(&text, absl::StrFormat(" -> %p (%s%s)", o, o->type()->name,
                                             o == white ? "" : ", marked"));
    }
    return absl::FailedPreconditionError(absl::StrFormat(
        "checkmark: reachable object %p (%s) is white (mark %d, epoch %d); path: %s", white,
        white->type()->name, white->mark_epoch(), epoch_, text));
  }

  Heap& heap_;
  const uint8_t epoch_;
  std::deque<Object*> queue_;
  absl::flat_hash_map<Object*, Edge> parent_;  // every object reached, and how
  absl::flat_hash_map<Object*, std::string> root_names_;
};

}  // namespace

absl::Status Checkmark(Heap& heap, uint8_t epoch) { return Checkmarker(heap, epoch).Run(); }

}  // namespace gclab
