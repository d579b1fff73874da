// gclab object model: every managed object starts with an ObjectHeader and is
// described by a TypeDescriptor, so collectors can trace precisely.
//
// Layout of a managed object (all sizes in bytes, 8-byte aligned):
//
//   +--------------------------------------------------------------+
//   | ObjectHeader (16)                                            |
//   |   0..7   const TypeDescriptor* type                          |
//   |   8..11  uint32 size     total size of the cell incl. header |
//   |   12     atomic uint8 mark  epoch of the last mark (see below)|
//   |   13     uint8 flags    kStackAllocated | kLarge             |
//   |   14..15 uint16 magic   kObjectMagic, checked by the verifier |
//   +--------------------------------------------------------------+
//   | payload (size - 16): pointer fields at the offsets the type   |
//   | descriptor lists, or, for arrays, `length` elements           |
//   +--------------------------------------------------------------+
//
// Mark epochs. The heap keeps a current epoch E (1..255, never 0). An object is
// marked (black or grey) in the current cycle iff header.mark == E. Starting a
// mark phase advances E, which turns every object white at once without a
// clearing pass. New objects are always created with mark == E: during marking
// that is "allocate black"; after marking it keeps the sweeper of that cycle
// away from them; and the next cycle's advance makes them white. Because a
// cycle's sweep finishes before the next mark starts, only "== E" matters.
//
// Pointer fields are read and written with atomics (LoadPointer /
// StorePointerRaw, acquire/release) because concurrent markers read them
// while mutators write.
//
// Interior pointers. A pointer slot holds a 64-bit word that is either an
// object's address (what C++ workloads store) or a *tagged interior pointer*
// (what compiled Go code stores for &s.f, &a[i], slices and strings):
//
//   63            48 47                                         0
//   +---------------+--------------------------------------------+
//   |      tag      |  address the pointer refers to (mutators   |
//   |               |  dereference word & kInteriorAddressMask)  |
//   +---------------+--------------------------------------------+
//   tag = (address - object start) / 8, the distance back to the header in
//         8-byte units (the header is 8-aligned, so the address's low bits
//         complete it); 0 for an object's own address;
//   tag = kLargeOffsetTag when that distance is >= kMaxTaggedDistance: the
//         object was registered with RegisterLargeObject and is found by
//         FindLargeObject (an interval lookup, the rare case).
// x86-64 user addresses fit in 47 bits. Collectors, write barriers and the
// verifier turn every word they read from a slot into the object it keeps
// alive with ObjectStart(), the only code that decodes the tag.
// Mutators must store through Mutator::Store (heap/mutator.h), which runs the
// collector's write barrier when barriers are enabled.
#ifndef GCLAB_OBJECT_OBJECT_H_
#define GCLAB_OBJECT_OBJECT_H_

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <cstring>

#include "object/type_descriptor.h"

namespace gclab {

inline constexpr uint16_t kObjectMagic = 0x6C63;  // "gc"
inline constexpr uint16_t kFreeMagic = 0x6672;    // "fr": filler over a free run
inline constexpr uint8_t kPoisonByte = 0xDB;      // written over freed payloads
inline constexpr size_t kObjectAlignment = 8;

struct ObjectHeader {
  enum Flags : uint8_t {
    kStackAllocated = 1 << 0,  // lives in a thread's stack region, never freed by GC
    kLarge = 1 << 1,           // allocated on an allocator's large-object path
  };

  const TypeDescriptor* type;
  uint32_t size;
  std::atomic<uint8_t> mark;
  uint8_t flags;
  uint16_t magic;
};
static_assert(sizeof(ObjectHeader) == 16, "header layout is part of the ABI");

inline constexpr size_t kHeaderSize = sizeof(ObjectHeader);

inline constexpr size_t AlignUp(size_t n, size_t a) { return (n + a - 1) & ~(a - 1); }

// A managed object. Only ever used through pointers into the heap.
class Object {
 public:
  Object() = delete;

  ObjectHeader& header() { return header_; }
  const ObjectHeader& header() const { return header_; }
  const TypeDescriptor* type() const { return header_.type; }
  uint32_t size() const { return header_.size; }
  size_t payload_size() const { return header_.size - kHeaderSize; }
  bool is_stack_allocated() const { return (header_.flags & ObjectHeader::kStackAllocated) != 0; }

  char* payload() { return reinterpret_cast<char*>(this) + kHeaderSize; }
  const char* payload() const { return reinterpret_cast<const char*>(this) + kHeaderSize; }

  // Number of elements of an array object (0 for records, and for arrays of
  // zero-size elements, whose length the cell size cannot tell).
  size_t array_length() const {
    const TypeDescriptor* t = header_.type;
    return t->is_array() && t->element_size != 0 ? payload_size() / t->element_size : 0;
  }

  // Address of the pointer slot at `offset` bytes into the payload.
  Object** slot_at(uint32_t offset) { return reinterpret_cast<Object**>(payload() + offset); }

  // Raw data access for non-pointer fields (no barrier needed).
  template <typename T>
  T& data_at(uint32_t offset) {
    return *reinterpret_cast<T*>(payload() + offset);
  }
  template <typename T>
  const T& data_at(uint32_t offset) const {
    return *reinterpret_cast<const T*>(payload() + offset);
  }

  // Mark state.
  uint8_t mark_epoch() const { return header_.mark.load(std::memory_order_relaxed); }
  bool IsMarked(uint8_t epoch) const { return mark_epoch() == epoch; }
  // Returns true if this call changed the object from white to marked.
  bool TryMark(uint8_t epoch) {
    uint8_t old = header_.mark.load(std::memory_order_relaxed);
    while (old != epoch) {
      if (header_.mark.compare_exchange_weak(old, epoch, std::memory_order_acq_rel,
                                             std::memory_order_relaxed)) {
        return true;
      }
    }
    return false;
  }

  // Calls f(Object** slot) for each pointer slot of the object.
  template <typename F>
  void ForEachPointerSlot(F&& f) {
    const TypeDescriptor* t = header_.type;
    if (t->kind == TypeDescriptor::Kind::kPointerArray) {
      const size_t n = payload_size() / sizeof(Object*);
      Object** base = reinterpret_cast<Object**>(payload());
      for (size_t i = 0; i < n; ++i) f(base + i);
    } else if (t->kind == TypeDescriptor::Kind::kRecord) {
      for (uint32_t off : t->pointer_offsets) f(slot_at(off));
    } else if (t->kind == TypeDescriptor::Kind::kRecordArray && !t->pointer_offsets.empty()) {
      const size_t n = array_length();
      for (size_t i = 0; i < n; ++i) {
        const uint32_t base = static_cast<uint32_t>(i * t->element_size);
        for (uint32_t off : t->pointer_offsets) f(slot_at(base + off));
      }
    }
  }

 private:
  ObjectHeader header_;
};

// Atomic access to a pointer slot; safe against concurrent markers.
// Stores release and loads acquire (Go's publicationBarrier): a thread that
// loads a pointer to an object another thread just initialized (header and
// zeroed payload, plain writes) also sees that initialization. Concurrent
// markers rely on it; on x86-64 both compile to plain moves.
inline Object* LoadPointer(Object* const* slot) { return __atomic_load_n(slot, __ATOMIC_ACQUIRE); }
inline void StorePointerRaw(Object** slot, Object* value) {
  __atomic_store_n(slot, value, __ATOMIC_RELEASE);
}

// ---- Interior pointers (see the file comment) ----

inline constexpr int kInteriorTagShift = 48;
inline constexpr uintptr_t kInteriorAddressMask = (uintptr_t{1} << kInteriorTagShift) - 1;
inline constexpr uintptr_t kLargeOffsetTag = 0xFFFF;
// Distances from the object start (bytes) that a tag can encode.
inline constexpr uintptr_t kMaxTaggedDistance = kLargeOffsetTag * 8;

// The object that the slot word `word` keeps alive: `word` itself for an
// object address, the start of the object for an interior pointer, nullptr
// for nullptr.
Object* FindLargeObject(uintptr_t address);
inline Object* ObjectStart(const Object* word) {
  const uintptr_t w = reinterpret_cast<uintptr_t>(word);
  const uintptr_t tag = w >> kInteriorTagShift;
  const uintptr_t address = w & kInteriorAddressMask;
  if (__builtin_expect(tag == kLargeOffsetTag, 0)) return FindLargeObject(address);
  return reinterpret_cast<Object*>((address & ~uintptr_t{7}) - (tag << 3));
}

// The slot word for `address`, which lies inside `obj` (header included) or
// one past its end. Objects reachable at distances >= kMaxTaggedDistance
// must have been registered with RegisterLargeObject.
inline uintptr_t InteriorPointer(const Object* obj, uintptr_t address) {
  const uintptr_t distance = address - reinterpret_cast<uintptr_t>(obj);
  const uintptr_t tag = distance < kMaxTaggedDistance ? distance >> 3 : kLargeOffsetTag;
  return address | (tag << kInteriorTagShift);
}

// The address a slot word refers to (what a mutator dereferences).
inline uintptr_t InteriorAddress(uintptr_t word) { return word & kInteriorAddressMask; }

// Records `obj`, whose payload reaches kMaxTaggedDistance, so that
// FindLargeObject finds it from any address in [obj, obj + size]. Forgets
// every earlier registration that overlaps it (those objects are dead: their
// memory was reused). Thread-safe; a live object's registration is never
// forgotten, so FindLargeObject is exact for the words of live slots.
void RegisterLargeObject(const Object* obj);

// What ObjectSizeFor returns when the size does not fit in a size_t (an array
// length so large that element_size * length overflows). No allocator can
// satisfy it, and it is larger than kMaxObjectSize.
inline constexpr size_t kObjectSizeOverflow = ~size_t{0};
// The largest cell an object can have: ObjectHeader::size is 32 bits.
inline constexpr size_t kMaxObjectSize = 0xFFFFFFFFu & ~(kObjectAlignment - 1);

// Total cell size for an object of `type` (arrays: with `length` elements),
// or kObjectSizeOverflow.
inline size_t ObjectSizeFor(const TypeDescriptor* type, size_t length = 0) {
  size_t payload = type->instance_size;
  if (type->is_array() &&
      __builtin_mul_overflow(static_cast<size_t>(type->element_size), length, &payload)) {
    return kObjectSizeOverflow;
  }
  if (payload > kObjectSizeOverflow - kHeaderSize - kObjectAlignment) return kObjectSizeOverflow;
  return AlignUp(kHeaderSize + payload, kObjectAlignment);
}

// Writes a fresh header and zeroes the payload of a cell of `size` bytes.
inline Object* InitializeObject(void* cell, const TypeDescriptor* type, size_t size, uint8_t epoch,
                                uint8_t flags) {
  auto* h = static_cast<ObjectHeader*>(cell);
  std::memset(static_cast<char*>(cell) + kHeaderSize, 0, size - kHeaderSize);
  h->type = type;
  h->size = static_cast<uint32_t>(size);
  h->mark.store(epoch, std::memory_order_relaxed);
  h->flags = flags;
  h->magic = kObjectMagic;
  return reinterpret_cast<Object*>(cell);
}

}  // namespace gclab

#endif  // GCLAB_OBJECT_OBJECT_H_
