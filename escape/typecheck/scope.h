// Lexical scopes of the type checker and the RAII guard that enters one.
//
// Package and universe scopes are plain maps searched along the parent
// chain. Scopes inside functions ("local" scopes) also record their names in
// a shared Bindings table (name -> innermost declarations), so a lookup
// costs one hash probe however deeply blocks nest; leaving a local scope
// pops its names.
#ifndef GCLAB_ESCAPE_TYPECHECK_SCOPE_H_
#define GCLAB_ESCAPE_TYPECHECK_SCOPE_H_

#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "escape/ir.h"

namespace gclab::escape {

// The declarations of the active local scopes, innermost last per name.
struct Bindings {
  absl::flat_hash_map<std::string, std::vector<Obj*>> names;
};

class Scope {
 public:
  // A package or universe scope (bindings == null), or a local scope.
  Scope(Scope* parent, Bindings* bindings) : parent_(parent), bindings_(bindings) {}
  explicit Scope(Scope* parent) : Scope(parent, nullptr) {}
  ~Scope();
  Scope(const Scope&) = delete;
  Scope& operator=(const Scope&) = delete;

  Scope* parent() const { return parent_; }
  bool local() const { return bindings_ != nullptr; }
  // The object declared here under `name`, or null.
  Obj* LookupLocal(const std::string& name) const;
  // The innermost object named `name` in this scope or its parents.
  Obj* Lookup(const std::string& name) const;
  // Declares `o` (blank "_" objects are not entered). Returns the object it
  // clashes with, or null.
  Obj* Insert(Obj* o);
  // Objects in declaration order.
  const std::vector<Obj*>& objects() const { return order_; }

 private:
  Scope* parent_;
  Bindings* bindings_;
  absl::flat_hash_map<std::string, Obj*> names_;
  std::vector<Obj*> order_;
};

// Makes `*current` a fresh local child scope for the guard's lifetime:
//   { ScopeGuard g(&scope_, &bindings_); ... declare into scope_ ... }
class ScopeGuard {
 public:
  ScopeGuard(Scope** current, Bindings* bindings)
      : current_(current), saved_(*current), scope_(*current, bindings) {
    *current_ = &scope_;
  }
  ~ScopeGuard() { *current_ = saved_; }
  ScopeGuard(const ScopeGuard&) = delete;
  ScopeGuard& operator=(const ScopeGuard&) = delete;
  Scope* scope() { return &scope_; }

 private:
  Scope** current_;
  Scope* saved_;
  Scope scope_;
};

}  // namespace gclab::escape

#endif  // GCLAB_ESCAPE_TYPECHECK_SCOPE_H_
