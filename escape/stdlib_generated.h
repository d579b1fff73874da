// Standard-package summaries generated from go 1.19 by
// escape/tools/stdsummaries (see stdlib.h for the format).
#ifndef GCLAB_ESCAPE_STDLIB_GENERATED_H_
#define GCLAB_ESCAPE_STDLIB_GENERATED_H_

#include <vector>

#include "escape/stdlib.h"

namespace gclab::escape {

const std::vector<StdPackage>& GeneratedStdPackages();
const StdPackage* FindGeneratedStdPackage(absl::string_view path);

}  // namespace gclab::escape

#endif  // GCLAB_ESCAPE_STDLIB_GENERATED_H_
