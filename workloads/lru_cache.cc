#include "workloads/lru_cache.h"

#include <list>
#include <random>
#include <unordered_map>

#include "absl/strings/str_cat.h"
#include "heap/handles.h"
#include "heap/mutator.h"
#include "util/status_macros.h"
#include "workloads/mutator_threads.h"

namespace gclab {
namespace {

// Entry: pointers prev(0), next(8), chain(16), value(24); int64 key at 32.
constexpr uint32_t kPrev = 0, kNext = 8, kChain = 16, kValue = 24, kKey = 32;
// Value: byte array; the first 8 bytes hold the stamp, the rest a pattern.

const TypeDescriptor* EntryType() {
  static const TypeDescriptor* type = MakeRecordType("lru.entry", 4, 8);
  return type;
}
const TypeDescriptor* TableType() {
  static const TypeDescriptor* type = MakePointerArrayType("lru.table");
  return type;
}
const TypeDescriptor* ValueType() {
  static const TypeDescriptor* type = MakeDataArrayType("lru.value", 1);
  return type;
}

uint8_t ValueByte(uint64_t stamp, size_t i) { return static_cast<uint8_t>(stamp * 31 + i); }

struct ModelEntry {
  int64_t key;
  uint64_t stamp;
  int size;
};

// The cache. Table and sentinel are Locals in the caller's scope.
class Cache {
 public:
  Cache(Mutator* m, size_t buckets) : m_(m), table_(m), sentinel_(m), buckets_(buckets) {}

  absl::Status Init() {
    GCLAB_ASSIGN_OR_RETURN(Object * table, m_->Allocate(TableType(), buckets_));
    table_.set(table);
    GCLAB_ASSIGN_OR_RETURN(Object * sentinel, m_->Allocate(EntryType()));
    sentinel_.set(sentinel);
    m_->Store(sentinel, kPrev, sentinel);
    m_->Store(sentinel, kNext, sentinel);
    return absl::OkStatus();
  }

  Object* sentinel() const { return sentinel_.get(); }
  size_t Bucket(int64_t key) const {
    return static_cast<size_t>((static_cast<uint64_t>(key) * 0x9E3779B97F4A7C15ull) >> 20) %
           buckets_;
  }

  // Raw result: valid until the next safepoint.
  Object* Find(int64_t key) {
    for (Object* e = m_->LoadElement(table_.get(), Bucket(key)); e != nullptr;
         e = m_->Load(e, kChain)) {
      if (e->data_at<int64_t>(kKey) == key) return e;
    }
    return nullptr;
  }

  void Unlink(Object* e) {
    Object* prev = m_->Load(e, kPrev);
    Object* next = m_->Load(e, kNext);
    m_->Store(prev, kNext, next);
    m_->Store(next, kPrev, prev);
  }
  void PushFront(Object* e) {
    Object* s = sentinel_.get();
    Object* first = m_->Load(s, kNext);
    m_->Store(e, kPrev, s);
    m_->Store(e, kNext, first);
    m_->Store(first, kPrev, e);
    m_->Store(s, kNext, e);
  }

  // Inserts a new entry (key must be absent) at the front.
  absl::Status Insert(int64_t key, uint64_t stamp, int size) {
    HandleScope scope(m_);
    GCLAB_ASSIGN_OR_RETURN(Object * raw_value, m_->Allocate(ValueType(), size));
    Local value(m_, raw_value);
    raw_value->data_at<uint64_t>(0) = stamp;
    for (int i = 8; i < size; ++i) raw_value->data_at<uint8_t>(i) = ValueByte(stamp, i);
    GCLAB_ASSIGN_OR_RETURN(Object * e, m_->Allocate(EntryType()));
    // No safepoint below.
    e->data_at<int64_t>(kKey) = key;
    m_->Store(e, kValue, value.get());
    const size_t b = Bucket(key);
    m_->Store(e, kChain, m_->LoadElement(table_.get(), b));
    m_->StoreElement(table_.get(), b, e);
    PushFront(e);
    return absl::OkStatus();
  }

  // Removes the least recently used entry; returns its key (-1 if empty).
  int64_t EvictLast() {
    Object* s = sentinel_.get();
    Object* last = m_->Load(s, kPrev);
    if (last == s) return -1;
    Unlink(last);
    const int64_t key = last->data_at<int64_t>(kKey);
    const size_t b = Bucket(key);
    Object* prev = nullptr;
    for (Object* e = m_->LoadElement(table_.get(), b); e != nullptr; e = m_->Load(e, kChain)) {
      if (e == last) {
        Object* next = m_->Load(e, kChain);
        if (prev == nullptr) {
          m_->StoreElement(table_.get(), b, next);
        } else {
          m_->Store(prev, kChain, next);
        }
        break;
      }
      prev = e;
    }
    return key;
  }

  static absl::Status CheckValue(Object* e, const ModelEntry& want) {
    Object* v = e->header().magic == kObjectMagic ? LoadPointer(e->slot_at(kValue)) : nullptr;
    if (v == nullptr || v->type() != ValueType() ||
        v->array_length() != static_cast<size_t>(want.size) ||
        v->data_at<uint64_t>(0) != want.stamp) {
      return ValidationError(absl::StrCat("lru: value of key ", want.key, " is corrupt"));
    }
    for (int i = 8; i < want.size; ++i) {
      if (v->data_at<uint8_t>(i) != ValueByte(want.stamp, i)) {
        return ValidationError(
            absl::StrCat("lru: value of key ", want.key, " byte ", i, " changed"));
      }
    }
    return absl::OkStatus();
  }

 private:
  Mutator* m_;
  Local table_;
  Local sentinel_;
  const size_t buckets_;
};

}  // namespace

absl::Status LruCache::Run(Heap* heap, uint64_t seed) {
  const LruCacheParams& p = params_;
  hits_ = misses_ = 0;
  return RunAttached(heap, [&](Mutator* m) -> absl::Status {
    HandleScope scope(m);
    Cache cache(m, static_cast<size_t>(p.capacity()) * 2 + 1);
    GCLAB_RETURN_IF_ERROR(cache.Init());
    std::list<ModelEntry> model;  // front = most recently used
    std::unordered_map<int64_t, std::list<ModelEntry>::iterator> index;
    std::mt19937_64 rng(seed);
    const int64_t hot_keys = std::max<int64_t>(1, p.key_space() / 10);
    std::uniform_int_distribution<int> size_dist(p.min_value_bytes(), p.max_value_bytes());
    for (int64_t r = 0; r < p.requests(); ++r) {
      const bool hot = static_cast<int>(rng() % 100) < p.hot_percent();
      const int64_t key = static_cast<int64_t>(rng() % (hot ? hot_keys : p.key_space()));
      auto it = index.find(key);
      Object* e = cache.Find(key);
      if ((e != nullptr) != (it != index.end())) {
        return ValidationError(absl::StrCat("lru: request ", r, " for key ", key, " was a ",
                                            e != nullptr ? "hit" : "miss",
                                            ", the model says otherwise"));
      }
      if (e != nullptr) {
        ++hits_;
        GCLAB_RETURN_IF_ERROR(Cache::CheckValue(e, *it->second));
        cache.Unlink(e);
        cache.PushFront(e);
        model.splice(model.begin(), model, it->second);
      } else {
        ++misses_;
        const uint64_t stamp = static_cast<uint64_t>(r) + 1;
        const int size = static_cast<int>(AlignUp(size_dist(rng), 8));  // whole elements
        GCLAB_RETURN_IF_ERROR(cache.Insert(key, stamp, size));
        model.push_front({key, stamp, size});
        index[key] = model.begin();
        if (static_cast<int64_t>(model.size()) > p.capacity()) {
          const int64_t evicted = cache.EvictLast();
          if (evicted != model.back().key) {
            return ValidationError(absl::StrCat("lru: evicted key ", evicted, ", the model evicts ",
                                                model.back().key));
          }
          index.erase(model.back().key);
          model.pop_back();
        }
      }
    }
    if (before_validation_hook_) before_validation_hook_(m, cache.sentinel());
    // Final: recency order and contents.
    Object* s = cache.sentinel();
    Object* e = m->Load(s, kNext);
    size_t position = 0;
    for (const ModelEntry& want : model) {
      if (e == s || e->data_at<int64_t>(kKey) != want.key) {
        return ValidationError(absl::StrCat("lru: recency list position ", position,
                                            " differs from the model (key ", want.key, ")"));
      }
      if (cache.Find(want.key) != e) {
        return ValidationError(absl::StrCat("lru: key ", want.key, " not found in its bucket"));
      }
      GCLAB_RETURN_IF_ERROR(Cache::CheckValue(e, want));
      e = m->Load(e, kNext);
      ++position;
    }
    if (e != s) return ValidationError("lru: recency list longer than the model");
    return absl::OkStatus();
  });
}

}  // namespace gclab
