#include "registry/oneof.h"

#include <cstdio>
#include <cstdlib>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "google/protobuf/descriptor.h"

namespace gclab {
namespace {

const google::protobuf::OneofDescriptor* KindOneof(const google::protobuf::Descriptor* d) {
  const google::protobuf::OneofDescriptor* oneof = d->FindOneofByName("kind");
  if (oneof == nullptr) {
    // A programming error in a .proto file, not bad user input.
    std::fprintf(stderr, "registry: message %s has no `oneof kind`\n", d->full_name().c_str());
    std::abort();
  }
  return oneof;
}

}  // namespace

std::vector<std::string> KindNames(const google::protobuf::Descriptor* descriptor) {
  const google::protobuf::OneofDescriptor* oneof = KindOneof(descriptor);
  std::vector<std::string> names;
  for (int i = 0; i < oneof->field_count(); ++i) names.push_back(oneof->field(i)->name());
  return names;
}

absl::Status SelectKind(google::protobuf::Message* config, absl::string_view noun,
                        absl::string_view name) {
  const google::protobuf::Descriptor* d = config->GetDescriptor();
  const google::protobuf::FieldDescriptor* f = d->FindFieldByName(std::string(name));
  if (f == nullptr || f->containing_oneof() != KindOneof(d)) {
    return absl::NotFoundError(absl::StrCat("unknown ", noun, " '", name, "'; known ", noun,
                                            "s: ", absl::StrJoin(KindNames(d), ", ")));
  }
  config->GetReflection()->MutableMessage(config, f);
  return absl::OkStatus();
}

std::string SelectedKind(const google::protobuf::Message& config) {
  const google::protobuf::FieldDescriptor* f =
      config.GetReflection()->GetOneofFieldDescriptor(config, KindOneof(config.GetDescriptor()));
  return f == nullptr ? "" : f->name();
}

}  // namespace gclab
