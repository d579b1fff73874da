// Registries select a module by the field set in a config message's `oneof
// kind` (registry/modules.proto, workloads/workloads.proto): the oneof field
// names are the registry names. These helpers are the one implementation of
// "names of a kind", "config selecting a name" and "name a config selects",
// shared by the module registry and the workload registry.
//
//   std::vector<std::string> names = KindNames(AllocatorConfig::descriptor());
//   AllocatorConfig c;
//   absl::Status s = SelectKind(&c, "allocator", "bump");  // NotFound lists names
//   std::string n = SelectedKind(c);                        // "bump"
#ifndef GCLAB_REGISTRY_ONEOF_H_
#define GCLAB_REGISTRY_ONEOF_H_

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "google/protobuf/message.h"

namespace gclab {

// The field names of `descriptor`'s `oneof kind`, in declaration order.
std::vector<std::string> KindNames(const google::protobuf::Descriptor* descriptor);

// Sets the oneof field `name` of `config` to its default message. NotFound
// naming `noun` ("allocator", "workload", ...) and listing the known names.
absl::Status SelectKind(google::protobuf::Message* config, absl::string_view noun,
                        absl::string_view name);

// The oneof field set in `config`, or "" if none.
std::string SelectedKind(const google::protobuf::Message& config);

}  // namespace gclab

#endif  // GCLAB_REGISTRY_ONEOF_H_
