// The four library allocators the malloc-family adapter wraps
// (malloc_family_allocator.h), each reached without overriding the process's
// malloc so that all of them coexist in one process (third_party/BUILD says
// how each library is linked):
//
//   registry name  library (Debian bookworm)        allocate / free
//   malloc         glibc 2.36                        __libc_malloc / __libc_free
//   jemalloc       jemalloc 5.3 (private copy)       mallocx / sdallocx (sized)
//   mimalloc       mimalloc 2.0.9 (dlopen)           mi_malloc / mi_free_size (sized)
//   tcmalloc       gperftools 2.10 tcmalloc_minimal  tc_malloc / tc_free_sized (sized)
//                  (dlopen)
//
// A back end is a struct of static functions, so the adapter template calls
// them directly (the dlopen'd ones through one function pointer each):
//   static constexpr const char* kName;      the registry name
//   static constexpr const char* kLibrary;   what it is, for docs and tables
//   static absl::Status Load();              once per process; idempotent and
//                                            thread-safe; FailedPrecondition
//                                            naming the missing library
//   static void* Malloc(size_t size);        after a successful Load
//   static void Free(void* p, size_t size);  `size` as given to Malloc
//
// The microbenchmarks call the same functions for their raw-library rows.
//
// The libraries are not instrumented for ThreadSanitizer: callers that hand
// a library's memory to more than one thread call AnnotateLibraryMalloc
// after each Malloc and AnnotateLibraryFree before each Free.
#ifndef GCLAB_ALLOCATORS_MALLOC_FAMILY_BACKENDS_H_
#define GCLAB_ALLOCATORS_MALLOC_FAMILY_BACKENDS_H_

#include <cstddef>

#include "absl/status/status.h"
#include "third_party/jemalloc_private.h"

extern "C" {
void* __libc_malloc(size_t size);
void __libc_free(void* p);
#if defined(GCLAB_TSAN)
void __tsan_acquire(void* addr);
void __tsan_release(void* addr);
#endif
}

namespace gclab {
namespace malloc_family_internal {

// Function pointers filled by the dlopen'd back ends' Load.
inline void* (*mi_malloc_fn)(size_t) = nullptr;
inline void (*mi_free_size_fn)(void*, size_t) = nullptr;
inline void* (*tc_malloc_fn)(size_t) = nullptr;
inline void (*tc_free_sized_fn)(void*, size_t) = nullptr;

#if defined(GCLAB_TSAN)
inline char library_sync;
#endif

}  // namespace malloc_family_internal

// Tell ThreadSanitizer that every free happens before every later malloc.
// Not per address: a library may hand out memory it freed at another offset
// (a span recarved into another size class), and a block that overlaps a
// freed one without starting at the same address would look like a race.
// Nothing without ThreadSanitizer.
inline void AnnotateLibraryFree(void* cell) {
#if defined(GCLAB_TSAN)
  __tsan_release(&malloc_family_internal::library_sync);
#endif
}
inline void AnnotateLibraryMalloc(void* cell) {
#if defined(GCLAB_TSAN)
  __tsan_acquire(&malloc_family_internal::library_sync);
#endif
}

struct GlibcMalloc {
  static constexpr const char* kName = "malloc";
  static constexpr const char* kLibrary = "glibc malloc (__libc_malloc/__libc_free)";
  static absl::Status Load() { return absl::OkStatus(); }
  static void* Malloc(size_t size) { return __libc_malloc(size); }
  static void Free(void* p, size_t size) { __libc_free(p); }
};

struct Jemalloc {
  static constexpr const char* kName = "jemalloc";
  static constexpr const char* kLibrary = "jemalloc 5.3 (mallocx/sdallocx, private copy)";
  static absl::Status Load() { return absl::OkStatus(); }
  static void* Malloc(size_t size) { return gclab_je_mallocx(size, 0); }
  static void Free(void* p, size_t size) { gclab_je_sdallocx(p, size, 0); }
};

struct Mimalloc {
  static constexpr const char* kName = "mimalloc";
  static constexpr const char* kLibrary = "mimalloc 2.0 (mi_malloc/mi_free_size, dlopen)";
  static absl::Status Load();
  static void* Malloc(size_t size) { return malloc_family_internal::mi_malloc_fn(size); }
  static void Free(void* p, size_t size) { malloc_family_internal::mi_free_size_fn(p, size); }
};

struct Tcmalloc {
  static constexpr const char* kName = "tcmalloc";
  static constexpr const char* kLibrary =
      "gperftools 2.10 tcmalloc_minimal (tc_malloc/tc_free_sized, dlopen)";
  static absl::Status Load();
  static void* Malloc(size_t size) { return malloc_family_internal::tc_malloc_fn(size); }
  static void Free(void* p, size_t size) { malloc_family_internal::tc_free_sized_fn(p, size); }
};

}  // namespace gclab

#endif  // GCLAB_ALLOCATORS_MALLOC_FAMILY_BACKENDS_H_
