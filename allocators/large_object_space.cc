#include "allocators/large_object_space.h"

#include "util/check.h"

namespace gclab {

LargeObjectSpace::~LargeObjectSpace() {
  std::unique_lock<std::mutex> lock(mu_);
  for (const auto& [start, e] : objects_) {
    pages_->Unmap(reinterpret_cast<void*>(start), e.mapped);
  }
  objects_.clear();
}

void* LargeObjectSpace::Allocate(size_t size) {
  const size_t mapped = AlignUp(size, kOsPageSize);
  void* cell = pages_->Map(mapped, kOsPageSize);
  if (cell == nullptr) return nullptr;
  std::unique_lock<std::mutex> lock(mu_);
  objects_.emplace(reinterpret_cast<uintptr_t>(cell), Entry{size, mapped, gen_});
  in_use_bytes_ += size;
  return cell;
}

bool LargeObjectSpace::Free(void* cell) {
  std::unique_lock<std::mutex> lock(mu_);
  auto it = objects_.find(reinterpret_cast<uintptr_t>(cell));
  if (it == objects_.end()) return false;
  in_use_bytes_ -= it->second.size;
  pages_->Unmap(cell, it->second.mapped);
  objects_.erase(it);
  return true;
}

bool LargeObjectSpace::Owns(const void* cell) const {
  std::unique_lock<std::mutex> lock(mu_);
  return objects_.count(reinterpret_cast<uintptr_t>(cell)) != 0;
}

void LargeObjectSpace::PrepareForSweep(uint8_t live_epoch) {
  std::unique_lock<std::mutex> lock(mu_);
  ++gen_;
  live_epoch_ = live_epoch;
  pending_.clear();
  pending_.reserve(objects_.size());
  for (const auto& [start, e] : objects_) pending_.push_back(start);
}

bool LargeObjectSpace::SweepSome(size_t max_objects, SweepStats* stats) {
  std::unique_lock<std::mutex> lock(mu_);
  for (size_t n = 0; n < max_objects && !pending_.empty(); ++n) {
    const uintptr_t start = pending_.back();
    pending_.pop_back();
    auto it = objects_.find(start);
    if (it == objects_.end() || it->second.swept_gen == gen_) continue;  // freed / new
    const auto* h = reinterpret_cast<const ObjectHeader*>(start);
    GCLAB_CHECK(h->magic == kObjectMagic, "large object %p has a bad header (magic 0x%x)",
                static_cast<const void*>(h), static_cast<unsigned>(h->magic));
    stats->units_swept++;
    if (h->mark.load(std::memory_order_relaxed) == live_epoch_) {
      it->second.swept_gen = gen_;
      stats->live_objects++;
      stats->live_bytes += it->second.size;
    } else {
      stats->freed_objects++;
      stats->freed_bytes += it->second.size;
      stats->units_released++;
      in_use_bytes_ -= it->second.size;
      pages_->Unmap(reinterpret_cast<void*>(start), it->second.mapped);
      objects_.erase(it);
    }
  }
  return !pending_.empty();
}

void LargeObjectSpace::ForEachObject(const std::function<void(Object*)>& f) const {
  std::vector<uintptr_t> starts;
  {
    std::unique_lock<std::mutex> lock(mu_);
    for (const auto& [start, e] : objects_) starts.push_back(start);
  }
  for (uintptr_t s : starts) f(reinterpret_cast<Object*>(s));
}

size_t LargeObjectSpace::in_use_bytes() const {
  std::unique_lock<std::mutex> lock(mu_);
  return in_use_bytes_;
}

size_t LargeObjectSpace::objects() const {
  std::unique_lock<std::mutex> lock(mu_);
  return objects_.size();
}

}  // namespace gclab
