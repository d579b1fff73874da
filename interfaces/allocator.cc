#include "interfaces/allocator.h"

namespace gclab {

const char* ReclamationName(Reclamation reclamation) {
  switch (reclamation) {
    case Reclamation::kSweepByHeaderMark:
      return "sweep-by-header-mark";
    case Reclamation::kExternalCollector:
      return "external-collector";
  }
  return "unknown";
}

}  // namespace gclab
