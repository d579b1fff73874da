// Tiny status-propagation macros (Abseil 20220623 ships none).
//
//   GCLAB_RETURN_IF_ERROR(DoThing());
//   GCLAB_ASSIGN_OR_RETURN(Object* node, m->Allocate(type));
#ifndef GCLAB_UTIL_STATUS_MACROS_H_
#define GCLAB_UTIL_STATUS_MACROS_H_

#include "absl/status/status.h"
#include "absl/status/statusor.h"

#define GCLAB_STATUS_CONCAT_INNER_(a, b) a##b
#define GCLAB_STATUS_CONCAT_(a, b) GCLAB_STATUS_CONCAT_INNER_(a, b)

#define GCLAB_RETURN_IF_ERROR(expr)                \
  do {                                             \
    ::absl::Status gclab_status_ = (expr);         \
    if (!gclab_status_.ok()) return gclab_status_; \
  } while (0)

#define GCLAB_ASSIGN_OR_RETURN(lhs, expr) \
  GCLAB_ASSIGN_OR_RETURN_IMPL_(GCLAB_STATUS_CONCAT_(gclab_statusor_, __LINE__), lhs, expr)

#define GCLAB_ASSIGN_OR_RETURN_IMPL_(statusor, lhs, expr) \
  auto statusor = (expr);                                 \
  if (!statusor.ok()) return statusor.status();           \
  lhs = std::move(statusor).value()

#endif  // GCLAB_UTIL_STATUS_MACROS_H_
