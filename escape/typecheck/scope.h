// Lexical scopes of the type checker and the RAII guard that enters one.
#ifndef GCLAB_ESCAPE_TYPECHECK_SCOPE_H_
#define GCLAB_ESCAPE_TYPECHECK_SCOPE_H_

#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "escape/ir.h"

namespace gclab::escape {

class Scope {
 public:
  explicit Scope(Scope* parent) : parent_(parent) {}
  Scope(const Scope&) = delete;
  Scope& operator=(const Scope&) = delete;

  Scope* parent() const { return parent_; }
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
  absl::flat_hash_map<std::string, Obj*> names_;
  std::vector<Obj*> order_;
};

// Makes `*current` a fresh child scope for the guard's lifetime:
//   { ScopeGuard g(&scope_); ... declare into scope_ ... }  // restored here
class ScopeGuard {
 public:
  explicit ScopeGuard(Scope** current) : current_(current), saved_(*current), scope_(*current) {
    *current_ = &scope_;
  }
  // Enters `parent`'s child instead of the current scope's (function bodies
  // of package-level functions).
  ScopeGuard(Scope** current, Scope* parent) : current_(current), saved_(*current), scope_(parent) {
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
