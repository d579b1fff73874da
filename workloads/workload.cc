#include "workloads/workload.h"

#include "absl/strings/str_cat.h"

namespace gclab {

absl::Status ValidationError(absl::string_view message) {
  return absl::DataLossError(absl::StrCat("validation failed: ", message));
}

bool IsValidationError(const absl::Status& status) {
  return status.code() == absl::StatusCode::kDataLoss;
}

std::string StatusKind(const absl::Status& status) {
  switch (status.code()) {
    case absl::StatusCode::kOk:
      return "ok";
    case absl::StatusCode::kResourceExhausted:
      return "oom";
    case absl::StatusCode::kDataLoss:
      return "validation_failed";
    default:
      return "error";
  }
}

}  // namespace gclab
