// The private jemalloc copy (third_party/BUILD, :jemalloc_private): Debian's
// jemalloc 5.3 with its public API renamed to gclab_je_* and everything else
// local, so it coexists with the process's malloc. Same semantics as
// jemalloc's non-standard API (man 3 jemalloc).
#ifndef GCLAB_THIRD_PARTY_JEMALLOC_PRIVATE_H_
#define GCLAB_THIRD_PARTY_JEMALLOC_PRIVATE_H_

#include <cstddef>

extern "C" {
void* gclab_je_mallocx(size_t size, int flags);
void gclab_je_sdallocx(void* ptr, size_t size, int flags);
size_t gclab_je_sallocx(const void* ptr, int flags);
size_t gclab_je_nallocx(size_t size, int flags);
int gclab_je_mallctl(const char* name, void* oldp, size_t* oldlenp, void* newp, size_t newlen);
}

#endif  // GCLAB_THIRD_PARTY_JEMALLOC_PRIVATE_H_
