// libFuzzer target: a Go source file through the whole gcflags_m pipeline.
// Build and run with escape/tools/fuzz.sh SECONDS (clang, outside Bazel).
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "absl/strings/string_view.h"
#include "escape/fuzz_entry.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string violation =
      gclab::escape::FuzzOneInput(absl::string_view(reinterpret_cast<const char*>(data), size));
  if (!violation.empty()) {
    fprintf(stderr, "invariant violated: %s\n", violation.c_str());
    abort();
  }
  return 0;
}
