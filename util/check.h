// Invariant checks for hot paths and internal state, where an absl::Status
// would be the wrong tool (Debian's Abseil 20220623 has no absl/log, and
// absl/base/internal/raw_logging.h is internal to Abseil).
//
//   GCLAB_CHECK(span->npages > 0);
//   GCLAB_CHECK(claimed, "cell %p handed out twice", cell);
//   GCLAB_DCHECK(IsAligned(p));          // compiled out with NDEBUG
//
// A failed check prints "file:line: CHECK failed: <condition>: <message>" to
// stderr and aborts. The optional message is a printf format string literal
// and its arguments.
#ifndef GCLAB_UTIL_CHECK_H_
#define GCLAB_UTIL_CHECK_H_

#include "absl/base/optimization.h"

namespace gclab::check_internal {

[[noreturn]] void Fail(const char* file, int line, const char* condition, const char* format, ...)
    __attribute__((format(printf, 4, 5)));

}  // namespace gclab::check_internal

#define GCLAB_CHECK(condition, ...)                                                  \
  do {                                                                               \
    if (ABSL_PREDICT_FALSE(!(condition))) {                                          \
      ::gclab::check_internal::Fail(__FILE__, __LINE__, #condition, "" __VA_ARGS__); \
    }                                                                                \
  } while (0)

#ifdef NDEBUG
#define GCLAB_DCHECK(condition, ...)         \
  do {                                       \
    if (false) {                             \
      GCLAB_CHECK(condition, ##__VA_ARGS__); \
    }                                        \
  } while (0)
#else
#define GCLAB_DCHECK(condition, ...) GCLAB_CHECK(condition, ##__VA_ARGS__)
#endif

#endif  // GCLAB_UTIL_CHECK_H_
