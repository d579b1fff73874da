#include "allocators/config_checks.h"

#include <string>

#include "absl/strings/str_cat.h"

namespace gclab {
namespace {

// 65536 -> "64 KiB", 16777216 -> "16 MiB", 256 -> "256".
std::string Bytes(size_t n) {
  if (n >= kMiB && n % kMiB == 0) return absl::StrCat(n / kMiB, " MiB");
  if (n >= kKiB && n % kKiB == 0) return absl::StrCat(n / kKiB, " KiB");
  return absl::StrCat(n);
}

absl::Status Invalid(absl::string_view field, absl::string_view rule, size_t value) {
  return absl::InvalidArgumentError(absl::StrCat(field, " must be ", rule, ", got ", value));
}

}  // namespace

absl::Status CheckPowerOfTwoIn(absl::string_view field, size_t value, size_t min, size_t max) {
  if (value >= min && value <= max && (value & (value - 1)) == 0) return absl::OkStatus();
  return Invalid(field, absl::StrCat("a power of two in [", Bytes(min), ", ", Bytes(max), "]"),
                 value);
}

absl::Status CheckMultipleIn(absl::string_view field, size_t value, size_t multiple, size_t min,
                             size_t max, absl::string_view max_name) {
  if (value % multiple == 0 && value >= min && value <= max) return absl::OkStatus();
  const std::string upper =
      max_name.empty() ? absl::StrCat(max) : absl::StrCat(max_name, " = ", max);
  return Invalid(field, absl::StrCat("a multiple of ", multiple, " in [", min, ", ", upper, "]"),
                 value);
}

absl::Status CheckIn(absl::string_view field, size_t value, size_t min, size_t max) {
  if (value >= min && value <= max) return absl::OkStatus();
  return Invalid(field, absl::StrCat("in [", min, ", ", max, "]"), value);
}

absl::Status CheckAtLeast(absl::string_view field, size_t value, size_t min) {
  if (value >= min) return absl::OkStatus();
  return Invalid(field, absl::StrCat("at least ", min), value);
}

}  // namespace gclab
