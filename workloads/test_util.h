// Test helpers for workloads: a heap from the registry with the verifier on
// when GCLAB_VERIFY=1 (as under `bazel test`), and a low first-collection
// threshold so that small tests do collect.
#ifndef GCLAB_WORKLOADS_TEST_UTIL_H_
#define GCLAB_WORKLOADS_TEST_UTIL_H_

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "heap/heap.h"

namespace gclab {

// A heap with `allocator` and `collector` (registry names, default
// parameters) or the registry's error.
absl::StatusOr<std::unique_ptr<Heap>> MakeTestHeap(const std::string& allocator,
                                                   const std::string& collector,
                                                   size_t heap_limit_bytes);

// Aborts the test binary (with the registry's message) if the heap cannot be
// made: tests cannot proceed without one.
std::unique_ptr<Heap> NewTestHeap(const std::string& allocator = "size_class",
                                  const std::string& collector = "marksweep",
                                  size_t heap_limit_bytes = size_t{256} << 20);

}  // namespace gclab

#endif  // GCLAB_WORKLOADS_TEST_UTIL_H_
