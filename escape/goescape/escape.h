// Internals of the "go" escape analysis (see escape/go_escape.h for the
// algorithm). The split follows go 1.19's cmd/compile/internal/escape:
//
//   analysis.cc     the program-level driver: bottom-up batches (strongly
//                   connected components of the call graph), sites
//   batch.cc        one batch: locations of its functions, the walk, closure
//                   captures, size limits, the solve and the results
//                   (escape.go: Batch, initFunc, walkFunc, flowClosure,
//                   finish, paramTag)
//   graph.cc        locations, holes and edges (graph.go)
//   stmt.cc         statements (stmt.go)
//   assign.cc       assignments and self-assignments (assign.go, utils.go)
//   expr.cc         expressions, unsafe.Pointer arithmetic (expr.go)
//   call.cc         calls, go/defer wrappers, argument tags (call.go)
//   solve.cc        the shortest-path walk and explanations (solve.go)
//   devirtualize.cc static values and devirtualization (ir.StaticValue,
//                   ir.Reassigned, cmd/compile/internal/devirtualize)
//
// All state is per analysis run (an EscapeState per Analyze call), so
// analyses of one or several programs may run concurrently.
#ifndef GCLAB_ESCAPE_GOESCAPE_ESCAPE_H_
#define GCLAB_ESCAPE_GOESCAPE_ESCAPE_H_

#include <deque>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "escape/analysis.h"
#include "escape/diagnostics.h"
#include "escape/goescape/leaks.h"
#include "escape/ir.h"

namespace gclab::escape::goesc {

struct Note {
  const Node* where;
  const char* why;
  const Note* next;
};

struct Loc;

struct Edge {
  Loc* src;
  int derefs;  // >= -1
  const Note* notes;
};

// An abstract memory location: a variable or an allocation.
struct Loc {
  const Node* n = nullptr;  // allocation expression, or
  Obj* var = nullptr;       // variable
  bool wrapper = false;     // go/defer wrapper closure (no diagnostic)
  bool tmp = false;         // compiler temporary (go/defer argument)
  std::string tmp_name;     // its name, ".autotmp_N" (N: its index in go's fn.Dcl)
  Pos tmp_pos;
  Func* curfn = nullptr;
  std::vector<Edge> edges;  // incoming
  int loop_depth = 0;
  int result_index = 0;
  // walkOne state.
  int derefs = 0;
  uint32_t walkgen = 0;
  Loc* dst = nullptr;
  int dst_edge_idx = 0;
  bool queued = false;
  bool escapes = false;
  bool captured = false;
  bool reassigned = false;
  bool addrtaken = false;
  Leaks param_esc;
  int64_t size = 0;  // captured variables: capture by value needs <= 128 bytes
  std::string reason;
  bool IsParam() const { return var != nullptr && var->cls == VarClass::kParam; }
  bool IsResult() const { return var != nullptr && var->cls == VarClass::kParamOut; }
};

// Where an evaluated expression's value flows: dst after `derefs`
// dereferences (-1: its address).
struct Hole {
  Loc* dst = nullptr;
  int derefs = 0;
  const Note* notes = nullptr;
  bool addrtaken = false;
};

struct ClosureRec {
  Hole k;
  Func* fn = nullptr;
  std::vector<Loc*> wrapper_vars;  // go/defer wrapper temporaries
  bool is_wrapper = false;
};

enum class FuncState { kUnknown, kPlanned, kStarted, kTagged };

// A devirtualized interface call: the static call it becomes.
struct Devirt {
  Func* method = nullptr;
  Node* call = nullptr;  // synthetic kCallMeth (or kCallInter when partial)
};

// Static values and devirtualization (devirtualize.cc).
class Devirtualizer {
 public:
  explicit Devirtualizer(const Program& prog) : prog_(prog) {}
  // Rewrites (in a side table) the interface calls of f and its closures
  // whose receiver is statically a concrete type; appends Go's
  // "devirtualizing ..." diagnostics.
  void Run(Func* f, std::vector<Diagnostic>* diags);
  const Devirt* Find(const Node* call) const;
  const PrintSubstitutions& subs() const { return subs_; }
  // ir.StaticValue of x, an expression of function `fn`: follows
  // conversions and single-assignment locals of fn (not variables a
  // closure captures: go sees closure variables there).
  Node* StaticValue(Node* x, const Func* fn);
  // The function a call's callee expression statically denotes, or null.
  Func* StaticCallee(Node* x, const Func* fn);

 private:
  Node* SingleAssignmentValue(Obj* o, const Func* fn);
  bool IsReassigned(Obj* o);
  bool ReassignScan(const Node* n, const Obj* o);
  void Scan(Node* n, std::vector<Func*>* closures, std::vector<Diagnostic>* diags);
  Node* Synth(Op op, Pos pos);

  const Program& prog_;
  const Func* cur_ = nullptr;  // the function Scan is in
  absl::flat_hash_map<const Node*, Devirt> devirt_;
  PrintSubstitutions subs_;
  absl::flat_hash_map<const Obj*, bool> reassigned_cache_;
  std::deque<Node> synth_;
};

// State of one run of the analysis on one program.
struct EscapeState {
  EscapeState(const Program& p, const AnalysisOptions& o) : prog(p), opts(o), devirt(p) {}
  const Program& prog;
  AnalysisOptions opts;
  AnalysisResult result;
  Devirtualizer devirt;
  absl::flat_hash_map<const Func*, FuncState> func_state;
  absl::flat_hash_map<const Obj*, Leaks> tags;
  absl::flat_hash_map<const Node*, std::pair<bool, std::string>> node_decision;
  absl::flat_hash_map<const Obj*, std::pair<bool, std::string>> var_decision;
  void Diag(Pos pos, std::string msg) { result.diags.push_back(Diagnostic{pos, std::move(msg)}); }
  std::string Print(const Node* n) const { return ExprString(n, &devirt.subs()); }
};

// One batch of functions analysed together (go's batch + escape).
class Batch {
 public:
  explicit Batch(EscapeState* s) : s_(s) {}
  void Run(const std::vector<Func*>& fns);

 private:
  // ---- batch.cc
  void InitFunc(Func* f);
  void WalkFunc(Func* f);
  void FlowClosure(const ClosureRec& c);
  void Finish(const std::vector<Func*>& fns);
  void TagParam(Func* f, Obj* p, int narg);
  bool InMutualBatch(const Func* f) const;

  // ---- graph.cc
  Loc* NewLoc(const Node* n);
  Loc* NewVarLoc(Obj* o);
  Loc* OldLoc(Obj* o);
  Hole HeapHole() { return Hole{&heap_}; }
  Hole DiscardHole() { return Hole{&blank_}; }
  static Hole AsHole(Loc* l) { return Hole{l}; }
  const Note* MkNote(const Note* next, const Node* where, const char* why);
  Hole WithNote(Hole k, const Node* where, const char* why);
  static Hole Shift(Hole k, int delta);
  Hole Deref(Hole k, const Node* where, const char* why);
  Hole Addr(Hole k, const Node* where, const char* why);
  Hole DotType(Hole k, const Type* t, const Node* where, const char* why);
  void Flow(Hole k, Loc* src);
  Hole TeeHole(const std::vector<Hole>& ks);
  Hole Later(Hole k);
  Hole Spill(Hole k, const Node* n);

  // ---- stmt.cc
  void LabelPass(const Node* n);
  void Block(const std::vector<Node*>& l);
  void Stmts(const std::vector<Node*>& l);
  void Stmt(Node* n);
  Hole Dcl(Obj* o);

  // ---- assign.cc
  Hole AddrOf(Node* n);
  void AssignHeap(Node* src, const char* why, const Node* where);
  void AssignList(const std::vector<Node*>& dsts, const std::vector<Node*>& srcs, const char* why,
                  Node* where);
  void Reassigned(const std::vector<Hole>& ks, const Node* where);

  // ---- expr.cc
  void Expr(Hole k, Node* n);
  void ExprSkipInit(Hole k, Node* n);
  void Discard(Node* n) { Expr(DiscardHole(), n); }
  void UnsafeValue(Hole k, Node* n);

  // ---- call.cc
  void Call(std::vector<Hole>* ks, Node* call, ClosureRec* wrapper);
  // `fn`: the static callee when `arg` is one of its arguments (its pragmas
  // apply to uintptr(unsafe.Pointer) arguments).
  void Argument(Hole k, Node* arg, Node* call, ClosureRec* wrapper, const Func* fn = nullptr);
  void GoDefer(Node* n);
  Hole TagHole(std::vector<Hole>* ks, Func* fn, Obj* param, int index);
  Loc* WrapArg(Node* arg, Pos pos, ClosureRec* wrapper);

  // ---- solve.cc
  void WalkAll();
  void WalkOne(Loc* root, uint32_t walkgen, std::vector<Loc*>* todo);
  bool Outlives(const Loc* l, const Loc* other) const;
  void LeakTo(Loc* l, const Loc* sink, int derefs);
  std::string ReasonFor(const Loc* root) const;
  Pos PosOf(const Loc* l) const;
  int LineOf(const Loc* l) const { return PosOf(l).line; }
  std::string LocName(const Loc* l) const;
  void Explain(const Loc* root, const Loc* src);

  EscapeState* s_;
  std::vector<std::unique_ptr<Loc>> locs_;
  absl::flat_hash_map<const Obj*, Loc*> loc_of_;
  std::vector<ClosureRec> closures_;
  std::deque<Note> notes_;
  Loc heap_;
  Loc blank_;
  // Per function being walked.
  Func* cur_ = nullptr;
  int loop_depth_ = 1;
  std::map<std::string, int> labels_;               // 1 looping, 2 non-looping
  absl::flat_hash_map<const Func*, int> autotmps_;  // temporaries made per function
};

// Go's HeapAllocReason for a site: "too large for stack", "non-constant
// size" or "".
std::string HeapAllocReason(const Node* n, const Obj* var);

}  // namespace gclab::escape::goesc

#endif  // GCLAB_ESCAPE_GOESCAPE_ESCAPE_H_
