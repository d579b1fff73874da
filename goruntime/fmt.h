// fmt's formatting engine (Go 1.19's rules), shared by fmt, strconv,
// errors and the runtime's panic reports.
#ifndef GCLAB_GORUNTIME_FMT_H_
#define GCLAB_GORUNTIME_FMT_H_

#include <string>

#include "absl/strings/string_view.h"
#include "goruntime/gort.h"

namespace gort {

// strconv.FormatFloat(v, fmt, prec, bits) for fmt in e E f F g G.
std::string FormatFloat(double v, char fmt, int prec, int bits);
// strconv.Quote (quote '"'), QuoteRune ('\''), QuoteToASCII (ascii).
std::string QuoteWith(absl::string_view s, char quote, bool ascii);

std::string Sprintf(G* g, absl::string_view format, Slice args);
std::string Sprint(G* g, Slice args);
std::string Sprintln(G* g, Slice args);
// Errorf's formatting: the operand of %w, if any.
std::string SprintfWrap(G* g, absl::string_view format, Slice args, EFace* wrapped, bool* found);

}  // namespace gort

#endif  // GCLAB_GORUNTIME_FMT_H_
