// Go's syntax.String: the short-form source text of a syntax expression
// (binary operators spaced, composite literal and function bodies shown as
// "{…}"). cmd/compile prints constant expressions this way in -m output
// ("make([]byte, 1 << 20)"), from the source rather than the folded value.
#ifndef GCLAB_ESCAPE_SYNTAX_PRINTER_H_
#define GCLAB_ESCAPE_SYNTAX_PRINTER_H_

#include <string>

#include "escape/ir.h"

namespace gclab::escape {

std::string SyntaxString(const Node* n);

}  // namespace gclab::escape

#endif  // GCLAB_ESCAPE_SYNTAX_PRINTER_H_
