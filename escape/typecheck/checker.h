// The type checker's internal interface (see escape/typecheck.h for the
// public one). One Checker checks one file. Its member functions are split
// by concern the way go's cmd/compile/internal/typecheck and noder are:
//
//   checker.cc   driver, errors, IR node helpers, function bodies
//   universe.cc  predeclared identifiers and package unsafe
//   packages.cc  imports, the standard-library summaries
//   decl.cc      package-level declarations, signatures, constants, globals
//   typexpr.cc   type expressions
//   stmt.cc      statements
//   assign.cc    assignments and local declarations
//   expr.cc      operands, unary/binary operators, index, slice, literals
//   selector.cc  field and method selection, method values and expressions
//   call.cc      calls, arguments, explicit conversions
//   builtin.cc   built-in functions
//   conv.cc      implicit conversions (assignability) and constants
//   generic.cc   type parameters, inference and shape instantiation
//
// Positions. cmd/compile gives the implicit conversions it inserts the
// position of a global "current position" (base.Pos). irgen sets it on
// entry to every non-constant expression it translates and never restores
// it; some transforms set it to a node with its own position (ir.SetPos)
// and restore it. The checker keeps the same variable (base_pos_) and
// translates subexpressions in irgen's order, so conversions land where
// go 1.19 puts them.
#ifndef GCLAB_ESCAPE_TYPECHECK_CHECKER_H_
#define GCLAB_ESCAPE_TYPECHECK_CHECKER_H_

#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "escape/ir.h"
#include "escape/parser.h"
#include "escape/stack_guard.h"
#include "escape/typecheck.h"
#include "escape/typecheck/scope.h"

namespace gclab::escape {

// How an expression is used.
struct ExprMode {
  bool stmt = false;      // expression statement: the value may be unused
  bool comma_ok = false;  // v, ok := m[k] / x.(T) / <-c
  bool lhs = false;       // assignment target: not a "use" of the variable
  bool callee = false;    // the function of a call (selects method calls)
};

// Per-function statement context (labels, loops).
struct FuncState {
  int loops = 0;
  int switches = 0;
  std::set<std::string> loop_labels;
  std::set<std::string> switch_labels;
  std::map<std::string, Pos> labels_defined;
  std::multimap<std::string, Pos> labels_used;
};

class Checker {
 public:
  Checker(Program* prog, const ParsedFile& file, const CheckOptions& opts);
  absl::Status Run();

 private:
  friend class FuncContext;

  // ------------------------------------------------ checker.cc
  absl::Status Err(Pos pos, absl::string_view msg) const;
  absl::Status Unsupported(Pos pos, absl::string_view what) const;
  absl::Status TooDeep(Pos pos) const;
  bool StackExhausted() const { return budget_.Exhausted(); }
  void RecordError(const absl::Status& st);

  Node* NewNode(Op op, Pos pos) { return prog_->NewNode(op, pos); }
  Node* NameNode(Obj* o, Pos pos);
  Node* BlankNode(Pos pos);
  Node* TypeNode(const Type* t, Pos pos);
  Node* ConstNode(const Constant& v, const Type* t, const Node* syntax);
  Node* CopyNode(const Node* n);
  Obj* NewLocal(const std::string& name, Pos pos, const Type* t);
  Obj* NewTemp(const Type* t, Pos pos);
  void Capture(Obj* o);

  // Checks a function's body; on failure marks it unsupported (conservative)
  // and records the message.
  void CheckFuncBody(Func* f, const Node* body);
  void MarkFailed(Func* f, const absl::Status& st);
  // deadcode.cc: go's deadcode pass on a checked body (and its closures').
  void Deadcode(Func* f);
  // ir.NameClosure: numbers a function literal within fn_.
  void NameClosure(Func* f);

  // ------------------------------------------------ universe.cc
  void InitUniverse();
  Package* UnsafePackage();

  // ------------------------------------------------ packages.cc
  void Imports();
  // The package with this import path (cached; opaque if not modelled).
  Package* LoadPackage(const std::string& path);
  absl::Status LoadStdPackage(Package* pkg, const char* source);
  // The member `sel` (a kSelector on a package name) in a value context.
  absl::StatusOr<Obj*> PackageMember(Obj* pkg_obj, const Node* sel);
  // The type `pkg.Name` (opaque for packages gclab does not model).
  absl::StatusOr<const Type*> PackageType(Obj* pkg_obj, const Node* sel);

  // ------------------------------------------------ decl.cc
  absl::Status CollectPackage(const std::vector<Node*>& decls, Scope* scope, Package* pkg);
  Obj* DeclareTypeName(Node* d, Scope* scope);
  absl::Status ResolveTypeName(Obj* o);
  absl::Status CheckValidRecursion(const Type* named, Pos pos);
  absl::StatusOr<Func*> DeclareFunc(Node* d, Scope* scope);
  absl::Status FuncSignature(Func* f, const Node* d, Scope* scope);
  absl::StatusOr<const Type*> Signature(const Node* ft, Func* f, const Node* recv);
  absl::Status DeclareConsts(Node* d, Scope* scope);
  absl::Status EvalConst(Obj* o);
  absl::Status DeclareGlobals(Node* d, Scope* scope);
  absl::Status CheckGlobal(Obj* o);
  absl::Status GlobalInit(Node* d);
  bool StaticAssign(Node* r);
  static bool AnySideEffects(const Node* n);

  // ------------------------------------------------ typexpr.cc
  absl::StatusOr<const Type*> ResolveType(const Node* n);
  absl::StatusOr<const Type*> StructType(const Node* n);
  absl::StatusOr<const Type*> InterfaceType(const Node* n);
  absl::StatusOr<const Type*> ChanType(const Node* n);
  absl::StatusOr<int64_t> ArrayLength(const Node* n);
  // The type named by an expression that may also be a value (conversions,
  // composite literals): nullptr (no error) if it is not a type.
  absl::StatusOr<const Type*> MaybeType(const Node* n);

  // ------------------------------------------------ stmt.cc
  absl::Status Block(const Node* b, std::vector<Node*>* out);
  absl::Status Stmts(const std::vector<Node*>& l, std::vector<Node*>* out);
  absl::Status Stmt(const Node* s, std::vector<Node*>* out);
  absl::Status ExprStmt(const Node* s, std::vector<Node*>* out);
  absl::Status IncDec(const Node* s, std::vector<Node*>* out);
  absl::Status SendStmt(const Node* s, std::vector<Node*>* out);
  absl::Status If(const Node* s, std::vector<Node*>* out);
  absl::Status For(const Node* s, std::vector<Node*>* out);
  absl::Status Range(const Node* s, std::vector<Node*>* out);
  absl::Status Switch(const Node* s, std::vector<Node*>* out);
  absl::Status TypeSwitch(const Node* s, std::vector<Node*>* out);
  absl::Status Select(const Node* s, std::vector<Node*>* out);
  absl::Status Return(const Node* s, std::vector<Node*>* out);
  absl::Status GoDefer(const Node* s, std::vector<Node*>* out);
  absl::Status Labeled(const Node* s, std::vector<Node*>* out);
  absl::Status LoopBody(const Node* body, Node* n, std::vector<Node*>* out);
  absl::Status Branch(const Node* s, std::vector<Node*>* out);
  absl::Status CheckUnused(const Scope* s);
  absl::Status CheckLabels(const Node* body);
  bool Terminates(const Node* s);
  bool HasBreak(const Node* s, const std::string& label, bool plain);

  // ------------------------------------------------ assign.cc
  absl::Status AssignStmt(const Node* s, std::vector<Node*>* out);
  absl::Status Define(const Node* s, std::vector<Node*>* out);
  absl::Status OpAssign(const Node* s, std::vector<Node*>* out);
  absl::Status LocalVarDecl(const Node* d, std::vector<Node*>* out);
  // The values of an assignment to nlhs targets (comma-ok forms allowed
  // for two targets and one value).
  absl::StatusOr<std::vector<Node*>> Values(const std::vector<Node*>& exprs, size_t nlhs);
  // The type (or null) and values of a var spec, from base position on.
  absl::Status VarSpec(const Node* d, const Type** t, std::vector<Node*>* values);
  absl::Status LocalTypeDecl(Node* d);
  absl::Status CheckAssignable(const Node* x, const Node* src);
  // Types of `values` assigned to n variables (a single multi-value call or
  // comma-ok expression, or one value each).
  absl::Status ValueTypes(const std::vector<Node*>& values, size_t n, const Node* at,
                          std::vector<const Type*>* out);
  // The op of the statement assigning a multi-value expression.
  static Op MultiAssignOp(const Node* v);

  // ------------------------------------------------ expr.cc
  absl::StatusOr<Node*> Expr(const Node* n, ExprMode mode = {});
  absl::StatusOr<Node*> ExprImpl(const Node* n, ExprMode mode);
  absl::StatusOr<Node*> BasicLit(const Node* n);
  absl::StatusOr<Node*> Ident(const Node* n, ExprMode mode);
  absl::StatusOr<Node*> Unary(const Node* n, ExprMode mode);
  absl::StatusOr<Node*> BinaryExpr(const Node* n);
  absl::StatusOr<Node*> Shift(const Node* n, Node* x, Node* y);
  absl::StatusOr<Node*> Comparison(const Node* n, Node* x, Node* y);
  absl::StatusOr<Node*> Index(const Node* n, ExprMode mode);
  absl::StatusOr<Node*> SliceExpr(const Node* n);
  absl::StatusOr<Node*> TypeAssert(const Node* n, ExprMode mode);
  absl::StatusOr<Node*> CompositeLit(const Node* n, const Type* elided);
  absl::StatusOr<Node*> FuncLit(const Node* n);
  absl::StatusOr<Node*> IndexValue(const Node* e, int64_t bound);
  absl::Status SingleValue(const Node* v, const Node* at = nullptr);
  bool Addressable(const Node* x) const;

  // ------------------------------------------------ selector.cc
  absl::StatusOr<Node*> Selector(const Node* n, ExprMode mode);
  absl::StatusOr<Node*> MethodExpr(const Node* n, const Type* t);
  // x.sel with the embedded path of `sel` made explicit.
  Node* EmbeddedPath(Node* x, const Selection& sel, Pos pos, bool* ptr);

  // ------------------------------------------------ call.cc
  absl::StatusOr<Node*> Call(const Node* n, ExprMode mode);
  absl::Status Args(const Node* n, Node* call, const Type* sig, std::vector<Node*> args);
  absl::StatusOr<Node*> Conversion(const Node* n, const Type* t);
  absl::StatusOr<std::vector<Node*>> ArgList(const Node* n);
  Node* MultiValueTemps(Node* call, std::vector<Node*>* names);
  // `as` (x, y = f()) with f's results converted to `targets` through
  // temporaries.
  absl::StatusOr<Node*> ConvertResults(Node* as, const std::vector<const Type*>& targets,
                                       absl::string_view context);
  // "var a, b T = f()" (t null if no type): the assignment, with f's
  // results converted to T when they differ.
  absl::StatusOr<Node*> MultiVarAssign(const std::vector<Obj*>& objs, Node* value, const Type* t,
                                       const std::vector<const Type*>& value_types, Pos pos);
  void RewriteNonNameCall(Node* call);

  // ------------------------------------------------ builtin.cc
  absl::StatusOr<Node*> BuiltinCall(const Node* n, Builtin b, ExprMode mode);

  // ------------------------------------------------ conv.cc
  // assignconvfn: converts v for assignment to t; an implicit conversion
  // node gets the current base position.
  absl::StatusOr<Node*> Assign(Node* v, const Type* t, absl::string_view context);
  absl::StatusOr<Node*> ConvertConst(Node* v, const Type* t, absl::string_view context);
  absl::StatusOr<Node*> DefaultConst(Node* v, absl::string_view context);
  // Gives a non-constant untyped expression (a shift of an untyped constant
  // by a variable, and arithmetic on such shifts) the type its context
  // wants, down to the shifted constant.
  absl::StatusOr<Node*> RetypeUntyped(Node* v, const Type* t, absl::string_view context);
  Node* ConvIface(Node* v, const Type* t, Pos pos, bool implicit);
  void SetPos(const Node* n);
  static bool HasUniquePos(const Node* n);
  std::string Describe(const Node* v) const;
  static std::string ExprText(const Node* syntax);
  bool Representable(const Constant& c, const Type* t, Constant* rounded) const;

  // ------------------------------------------------ generic.cc
  absl::StatusOr<std::vector<const Type*>> TypeParams(const std::vector<Node*>& fields,
                                                      std::vector<Obj*>* objs);
  absl::StatusOr<const Type*> InstantiateType(const Node* n, const Type* generic,
                                              const std::vector<const Type*>& args);
  // A generic function's type parameters and (if sig) signature.
  absl::Status GenericSignature(Obj* fobj, std::vector<const Type*>* tps, const Type** sig);
  absl::StatusOr<Node*> GenericCall(const Node* n, Obj* fobj, std::vector<const Type*> targs,
                                    ExprMode mode);
  Func* FindInstance(const Obj* generic, const std::vector<const Type*>& shapes) const;
  absl::StatusOr<Func*> Instance(Obj* fobj, const std::vector<const Type*>& targs, Pos pos);
  absl::StatusOr<Func*> MethodInstance(const Type* recv_named, const Method& m, Pos pos);
  const Type* Shape(const Type* t, int index, const Type* tparam);
  const Type* Subst(const Type* t, const std::vector<const Type*>& from,
                    const std::vector<const Type*>& to);
  void CheckInstances();
  void CompleteInstances(const Type* generic);

  // ------------------------------------------------ state
  Program* prog_;
  const ParsedFile& file_;
  std::string filename_;
  StackBudget budget_;
  Scope universe_{nullptr};
  Scope pkg_scope_{&universe_};
  Scope* scope_ = &pkg_scope_;
  Bindings bindings_;  // names of the active local scopes
  Package* unsafe_ = nullptr;
  Func* fn_ = nullptr;       // function being checked
  Func* init_ = nullptr;     // synthesized init (dynamic global initializers)
  FuncState* fs_ = nullptr;  // statement context of fn_
  Pos base_pos_;
  // Checking a generic instantiation: base.Pos follows stencil.go's subster
  // (ir.SetPos on each copied node with a position of its own, statements
  // included, names not) instead of irgen's rules.
  bool stencil_ = false;
  int iota_ = -1;
  std::vector<Obj*> imports_;
  absl::flat_hash_map<std::string, Package*> packages_;
  std::vector<std::unique_ptr<Scope>> package_scopes_;
  absl::flat_hash_map<std::string, const Type*> opaque_types_;
  // Lazily resolved package-level objects: their declaration and state.
  enum class DeclState { kPending, kResolving, kDone, kFailed };
  absl::flat_hash_map<Obj*, Node*> decl_of_;
  absl::flat_hash_map<Obj*, DeclState> state_;
  absl::flat_hash_map<Obj*, int> const_index_;  // position in its const spec
  absl::flat_hash_map<Obj*, Scope*> decl_scope_;
  absl::flat_hash_map<Obj*, Package*> decl_pkg_;
  // Run `f` in the context of a package-level declaration of `pkg`.
  template <typename F>
  absl::Status AtPackageLevel(Scope* scope, F f);
  // Generic instantiation.
  struct InstanceKey {
    Obj* fobj;
    std::vector<const Type*> shapes;
  };
  std::vector<std::pair<InstanceKey, Func*>> instances_;
  std::vector<Func*> pending_instances_;
  std::vector<const Type*> shapes_;           // created shape types
  std::vector<const Type*> tparams_;          // type parameters being substituted...
  std::vector<const Type*> targs_;            // ... by these types (instantiations)
  std::vector<const Type*> named_instances_;  // instantiated generic types
};

}  // namespace gclab::escape

namespace gclab::escape {

template <typename F>
absl::Status Checker::AtPackageLevel(Scope* scope, F f) {
  Scope* saved_scope = scope_;
  Func* saved_fn = fn_;
  FuncState* saved_fs = fs_;
  int saved_iota = iota_;
  scope_ = scope;
  fn_ = init_;
  fs_ = nullptr;
  // At package level the enclosing function's local names are not visible.
  Bindings saved_bindings;
  if (!scope->local()) std::swap(saved_bindings, bindings_);
  absl::Status st = f();
  if (!scope->local()) std::swap(saved_bindings, bindings_);
  scope_ = saved_scope;
  fn_ = saved_fn;
  fs_ = saved_fs;
  iota_ = saved_iota;
  return st;
}

}  // namespace gclab::escape

#endif  // GCLAB_ESCAPE_TYPECHECK_CHECKER_H_
