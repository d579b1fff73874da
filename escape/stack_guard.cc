#include "escape/stack_guard.h"

#include <pthread.h>

#include <algorithm>

namespace gclab::escape {
namespace {

// Lowest usable address of the calling thread's stack, or 0 if unknown.
uintptr_t StackLow() {
  pthread_attr_t attr;
  if (pthread_getattr_np(pthread_self(), &attr) != 0) return 0;
  void* addr = nullptr;
  size_t size = 0;
  int rc = pthread_attr_getstack(&attr, &addr, &size);
  size_t guard = 0;
  pthread_attr_getguardsize(&attr, &guard);
  pthread_attr_destroy(&attr);
  if (rc != 0 || addr == nullptr) return 0;
  // Keep clear of the guard page(s) and of what signal handlers and libc
  // calls made from the deepest frame may need.
  return reinterpret_cast<uintptr_t>(addr) + guard + 64 * 1024;
}

uintptr_t FrameAddress() { return reinterpret_cast<uintptr_t>(__builtin_frame_address(0)); }

}  // namespace

StackBudget::StackBudget(double fraction) {
  const uintptr_t here = FrameAddress();
  uintptr_t low = StackLow();
  if (low == 0 || low >= here) {
    // Unknown stack: assume the common 8 MiB minus what is already used.
    low = here > (uintptr_t{6} << 20) ? here - (uintptr_t{6} << 20) : 0;
  }
  fraction = std::clamp(fraction, 0.0, 1.0);
  limit_ = here - static_cast<uintptr_t>(static_cast<double>(here - low) * fraction);
}

bool StackBudget::Exhausted() const { return FrameAddress() < limit_; }

size_t StackBudget::Remaining() const {
  const uintptr_t here = FrameAddress();
  return here > limit_ ? here - limit_ : 0;
}

namespace {

struct ThreadArg {
  absl::FunctionRef<void()>* fn;
};

void* ThreadMain(void* p) {
  (*static_cast<ThreadArg*>(p)->fn)();
  return nullptr;
}

}  // namespace

void RunWithLargeStack(absl::FunctionRef<void()> fn, size_t stack_bytes) {
  pthread_attr_t attr;
  if (pthread_attr_init(&attr) != 0) {
    fn();
    return;
  }
  ThreadArg arg{&fn};
  pthread_t thread;
  bool started = pthread_attr_setstacksize(&attr, stack_bytes) == 0 &&
                 pthread_create(&thread, &attr, &ThreadMain, &arg) == 0;
  pthread_attr_destroy(&attr);
  if (!started) {
    fn();
    return;
  }
  pthread_join(thread, nullptr);
}

}  // namespace gclab::escape
