#include "allocators/page_source.h"

#include <sys/mman.h>

#include <cstdint>

#include "util/check.h"

namespace gclab {

PageSource::PageSource(size_t limit_bytes, size_t retain_chunk_bytes, size_t max_retained_chunks)
    : limit_bytes_(limit_bytes),
      retain_chunk_bytes_(retain_chunk_bytes),
      max_retained_chunks_(retain_chunk_bytes == 0 ? 0 : max_retained_chunks) {}

PageSource::~PageSource() {
  std::unique_lock<std::mutex> lock(mu_);
  for (const auto& [start, bytes] : chunks_) {
    munmap(reinterpret_cast<void*>(start), bytes);
  }
  chunks_.clear();
  EvictRetainedLocked();
}

void* PageSource::MapFromOs(size_t bytes, size_t alignment) {
  // Over-map by `alignment` and trim both ends so the result is aligned.
  const size_t span = bytes + (alignment > kOsPageSize ? alignment : 0);
  void* raw = mmap(nullptr, span, PROT_READ | PROT_WRITE,
                   MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
  if (raw == MAP_FAILED) return nullptr;
  const uintptr_t start = reinterpret_cast<uintptr_t>(raw);
  const uintptr_t aligned = (start + alignment - 1) & ~(uintptr_t{alignment} - 1);
  if (aligned > start) munmap(raw, aligned - start);
  const uintptr_t end = start + span;
  if (end > aligned + bytes) {
    munmap(reinterpret_cast<void*>(aligned + bytes), end - (aligned + bytes));
  }
  return reinterpret_cast<void*>(aligned);
}

void PageSource::EvictRetainedLocked() {
  for (void* chunk : retained_) {
    munmap(chunk, retain_chunk_bytes_);
    mapped_locked_ -= retain_chunk_bytes_;
  }
  retained_.clear();
  mapped_bytes_.store(mapped_locked_, std::memory_order_relaxed);
}

void* PageSource::Map(size_t bytes, size_t alignment) {
  GCLAB_CHECK(bytes > 0 && bytes % kOsPageSize == 0, "Map: %zu bytes is not a page multiple",
              bytes);
  GCLAB_CHECK(alignment >= kOsPageSize && (alignment & (alignment - 1)) == 0,
              "Map: bad alignment %zu", alignment);
  std::unique_lock<std::mutex> lock(mu_);
  void* chunk = nullptr;
  if (bytes == retain_chunk_bytes_ && !retained_.empty() &&
      reinterpret_cast<uintptr_t>(retained_.back()) % alignment == 0) {
    chunk = retained_.back();
    retained_.pop_back();
  } else {
    if (mapped_locked_ + bytes > limit_bytes_) EvictRetainedLocked();
    if (mapped_locked_ + bytes > limit_bytes_ || mapped_locked_ + bytes < bytes) {
      return nullptr;
    }
    chunk = MapFromOs(bytes, alignment);
    if (chunk == nullptr) return nullptr;
    mapped_locked_ += bytes;
    mapped_bytes_.store(mapped_locked_, std::memory_order_relaxed);
  }
  chunks_.emplace(reinterpret_cast<uintptr_t>(chunk), bytes);
  return chunk;
}

void PageSource::Unmap(void* chunk, size_t bytes) {
  std::unique_lock<std::mutex> lock(mu_);
  auto it = chunks_.find(reinterpret_cast<uintptr_t>(chunk));
  GCLAB_CHECK(it != chunks_.end() && it->second == bytes, "Unmap of unknown chunk %p (%zu bytes)",
              chunk, bytes);
  chunks_.erase(it);
  if (bytes == retain_chunk_bytes_ && retained_.size() < max_retained_chunks_) {
    retained_.push_back(chunk);
    return;
  }
  munmap(chunk, bytes);
  mapped_locked_ -= bytes;
  mapped_bytes_.store(mapped_locked_, std::memory_order_relaxed);
}

bool PageSource::Contains(const void* p) const {
  const uintptr_t a = reinterpret_cast<uintptr_t>(p);
  std::unique_lock<std::mutex> lock(mu_);
  auto it = chunks_.upper_bound(a);
  if (it == chunks_.begin()) return false;
  --it;
  return a - it->first < it->second;
}

size_t PageSource::retained_bytes() const {
  std::unique_lock<std::mutex> lock(mu_);
  return retained_.size() * retain_chunk_bytes_;
}

size_t PageSource::chunk_count() const {
  std::unique_lock<std::mutex> lock(mu_);
  return chunks_.size();
}

}  // namespace gclab
