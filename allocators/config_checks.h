// Checks for allocator factories (NewBumpAllocator, ...), which validate their
// config in one place and name the field by its registry path
// ("bump.region_bytes"): each returns OK or InvalidArgument
// "<field> must be <rule>, got <value>".
//
//   GCLAB_RETURN_IF_ERROR(CheckPowerOfTwoIn("bump.region_bytes", c.region_bytes,
//                                           64 * kKiB, 16 * kMiB));
#ifndef GCLAB_ALLOCATORS_CONFIG_CHECKS_H_
#define GCLAB_ALLOCATORS_CONFIG_CHECKS_H_

#include <cstddef>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"

namespace gclab {

inline constexpr size_t kKiB = size_t{1} << 10;
inline constexpr size_t kMiB = size_t{1} << 20;

// `value` is a power of two in [min, max].
absl::Status CheckPowerOfTwoIn(absl::string_view field, size_t value, size_t min, size_t max);

// `value` is a multiple of `multiple` in [min, max]; `max_name`, if not
// empty, says where max comes from ("region_bytes/4").
absl::Status CheckMultipleIn(absl::string_view field, size_t value, size_t multiple, size_t min,
                             size_t max, absl::string_view max_name = "");

// `value` is in [min, max].
absl::Status CheckIn(absl::string_view field, size_t value, size_t min, size_t max);

// `value` >= min.
absl::Status CheckAtLeast(absl::string_view field, size_t value, size_t min);

}  // namespace gclab

#endif  // GCLAB_ALLOCATORS_CONFIG_CHECKS_H_
