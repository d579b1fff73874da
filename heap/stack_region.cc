#include "heap/stack_region.h"

#include <sys/mman.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>

namespace gclab {

StackRegion::StackRegion(size_t capacity_bytes) : capacity_(capacity_bytes) {
  if (capacity_ == 0) return;
  void* p = mmap(nullptr, capacity_, PROT_READ | PROT_WRITE,
                 MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
  if (p == MAP_FAILED) {
    std::perror("gclab: mmap of a stack region failed");
    std::abort();
  }
  base_ = static_cast<char*>(p);
}

StackRegion::~StackRegion() {
  if (base_ != nullptr) munmap(base_, capacity_);
}

void StackRegion::ResetPoisoned(size_t top) {
  if (top > top_) return;
  if (poison_) std::memset(base_ + top, kPoisonByte, top_ - top);
  top_ = top;
}

}  // namespace gclab
