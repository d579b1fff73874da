#include "util/check.h"

#include <cstdarg>
#include <cstdio>
#include <cstdlib>

namespace gclab::check_internal {

void Fail(const char* file, int line, const char* condition, const char* format, ...) {
  std::fprintf(stderr, "%s:%d: CHECK failed: %s", file, line, condition);
  if (format[0] != '\0') {
    std::fputs(": ", stderr);
    va_list args;
    va_start(args, format);
    std::vfprintf(stderr, format, args);
    va_end(args);
  }
  std::fputc('\n', stderr);
  std::fflush(stderr);
  std::abort();
}

}  // namespace gclab::check_internal
