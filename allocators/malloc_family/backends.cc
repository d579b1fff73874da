#include "allocators/malloc_family/backends.h"

#include <dlfcn.h>

#include <mutex>
#include <string>

#include "absl/strings/str_cat.h"

#if defined(GCLAB_ASAN)
#include <sanitizer/lsan_interface.h>
#endif

namespace gclab {
namespace {

// dlopen's a library privately (RTLD_LOCAL: its malloc does not replace the
// process's) and resolves two symbols; the result is computed once.
struct Loaded {
  absl::Status status;
  void* allocate = nullptr;
  void* free = nullptr;
};

Loaded LoadLibrary(const char* soname, const char* package, const char* allocate_symbol,
                   const char* free_symbol) {
  Loaded l;
#if defined(GCLAB_ASAN)
  // tcmalloc's static initializers allocate a registry they never free;
  // LeakSanitizer would report it at exit.
  __lsan_disable();
#endif
  void* handle = dlopen(soname, RTLD_NOW | RTLD_LOCAL);
#if defined(GCLAB_ASAN)
  __lsan_enable();
#endif
  if (handle == nullptr) {
    const char* error = dlerror();
    l.status = absl::FailedPreconditionError(
        absl::StrCat("cannot load ", soname, " (", error != nullptr ? error : "unknown error",
                     "); install ", package, " (tools/setup)"));
    return l;
  }
  l.allocate = dlsym(handle, allocate_symbol);
  l.free = dlsym(handle, free_symbol);
  if (l.allocate == nullptr || l.free == nullptr) {
    l.status = absl::FailedPreconditionError(
        absl::StrCat(soname, " lacks ", allocate_symbol, " or ", free_symbol));
  }
  return l;
}

}  // namespace

absl::Status Mimalloc::Load() {
  static const absl::Status* status = [] {
    Loaded l = LoadLibrary("libmimalloc.so.2", "libmimalloc-dev", "mi_malloc", "mi_free_size");
    if (l.status.ok()) {
      malloc_family_internal::mi_malloc_fn = reinterpret_cast<void* (*)(size_t)>(l.allocate);
      malloc_family_internal::mi_free_size_fn = reinterpret_cast<void (*)(void*, size_t)>(l.free);
    }
    return new absl::Status(l.status);
  }();
  return *status;
}

absl::Status Tcmalloc::Load() {
  static const absl::Status* status = [] {
    Loaded l = LoadLibrary("libtcmalloc_minimal.so.4", "libgoogle-perftools-dev", "tc_malloc",
                           "tc_free_sized");
    if (l.status.ok()) {
      malloc_family_internal::tc_malloc_fn = reinterpret_cast<void* (*)(size_t)>(l.allocate);
      malloc_family_internal::tc_free_sized_fn = reinterpret_cast<void (*)(void*, size_t)>(l.free);
    }
    return new absl::Status(l.status);
  }();
  return *status;
}

}  // namespace gclab
