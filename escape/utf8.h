// UTF-8 encoding and decoding with Go's rules (package unicode/utf8): the
// lexer's validation of source text, rune and string constants.
#ifndef GCLAB_ESCAPE_UTF8_H_
#define GCLAB_ESCAPE_UTF8_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"

namespace gclab::escape {

inline constexpr uint32_t kRuneError = 0xFFFD;

// Decodes the UTF-8 sequence at s[i] into *r. Returns its length (1..4), or
// 0 if it is not valid UTF-8 (overlong forms, surrogates and truncation
// included).
int DecodeUtf8(absl::string_view s, size_t i, uint32_t* r);
// Appends the encoding of code point r (which must be valid).
void AppendUtf8(uint32_t r, std::string* out);
// The code points of s as `for _, r := range s` sees them: each invalid
// byte is kRuneError.
std::vector<uint32_t> Runes(absl::string_view s);

}  // namespace gclab::escape

#endif  // GCLAB_ESCAPE_UTF8_H_
