// Recursion bounded by the stack the calling thread really has left.
//
// The front end and the analyses are recursive over the program's syntax
// tree, whose depth is chosen by the input. Instead of a fixed nesting limit,
// a StackBudget measures the stack: a recursive step asks Exhausted() and, if
// so, gives up with a positioned "nesting too deep" error. Deep but
// reasonable inputs (a 2,000-long selector chain, thousands of nested
// parentheses) therefore work, and hostile ones (100,000 levels) end with an
// error instead of a stack overflow.
//
// RunWithLargeStack runs a function on a fresh thread whose stack is large
// (reserved address space, committed only when touched), so that the budget
// is generous wherever the entry points (gcflags_m, the fuzzer, tests) run.
//
//   StackBudget budget(0.25);  // use at most 1/4 of what is left here
//   ... if (budget.Exhausted()) return Error(pos, "nesting too deep");
#ifndef GCLAB_ESCAPE_STACK_GUARD_H_
#define GCLAB_ESCAPE_STACK_GUARD_H_

#include <cstddef>
#include <cstdint>

#include "absl/functional/function_ref.h"

namespace gclab::escape {

class StackBudget {
 public:
  // Allows recursion to use `fraction` (0 < fraction <= 1) of the stack that
  // remains below the caller's frame.
  explicit StackBudget(double fraction);
  // True once the current frame is deeper than the budget allows.
  bool Exhausted() const;
  // Bytes of the budget still available at the current frame (0 if none).
  size_t Remaining() const;

 private:
  uintptr_t limit_ = 0;  // lowest allowed frame address (stacks grow down)
};

// Default stack for RunWithLargeStack: 1 GiB of address space.
inline constexpr size_t kLargeStackBytes = size_t{1} << 30;

// Runs `fn` to completion on a new thread with a `stack_bytes` stack. Falls
// back to running it on the calling thread if no such thread can be made.
void RunWithLargeStack(absl::FunctionRef<void()> fn, size_t stack_bytes = kLargeStackBytes);

}  // namespace gclab::escape

#endif  // GCLAB_ESCAPE_STACK_GUARD_H_
