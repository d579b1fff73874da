// The function the fuzzer (gcflags_m_fuzzer.cc) and the replay test
// (fuzz_replay_test.cc) feed inputs to: one Go source file through the whole
// gcflags_m pipeline (lexer, parser, type checker, every analysis, printing
// and sites), checking the invariants any input must keep:
//   * it ends with a result or with errors that carry a position
//     ("fuzz.go:LINE:COL: ...");
//   * the exit code is one of gcflags_m's;
//   * no crash, no hang, no stack overflow (sanitizers and the fuzzer
//     detect those).
// Returns "" when the invariants hold, else what was violated.
#ifndef GCLAB_ESCAPE_FUZZ_ENTRY_H_
#define GCLAB_ESCAPE_FUZZ_ENTRY_H_

#include <string>

#include "absl/strings/string_view.h"

namespace gclab::escape {

std::string FuzzOneInput(absl::string_view source);

}  // namespace gclab::escape

#endif  // GCLAB_ESCAPE_FUZZ_ENTRY_H_
