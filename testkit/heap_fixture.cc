#include "testkit/heap_fixture.h"

#include <cstdio>
#include <cstdlib>
#include <vector>

#include "absl/container/flat_hash_set.h"
#include "google/protobuf/descriptor.h"
#include "registry/registry.h"

namespace gclab::testkit {
namespace {

[[noreturn]] void Die(const std::string& what, const absl::Status& status) {
  std::fprintf(stderr, "testkit: %s: %s\n", what.c_str(), status.ToString().c_str());
  std::abort();
}

void SetMinHeapBytes(CollectorConfig* config, uint64_t bytes) {
  const google::protobuf::Reflection* r = config->GetReflection();
  const google::protobuf::FieldDescriptor* set =
      r->GetOneofFieldDescriptor(*config, CollectorConfig::descriptor()->FindOneofByName("kind"));
  if (set == nullptr) return;
  google::protobuf::Message* params = r->MutableMessage(config, set);
  const google::protobuf::FieldDescriptor* min =
      params->GetDescriptor()->FindFieldByName("min_heap_bytes");
  if (min != nullptr && min->cpp_type() == google::protobuf::FieldDescriptor::CPPTYPE_UINT64) {
    params->GetReflection()->SetUInt64(params, min, bytes);
  }
}

}  // namespace

HeapConfig MakeTestHeapConfig(const TestHeapOptions& options) {
  HeapConfig config;
  ApplyHeapEnvironment(&config);
  config.verify = options.verify;
  config.checkmark = options.checkmark;
  config.gctrace = config.gctrace || options.gctrace;
  config.heap_limit_bytes = options.heap_limit_bytes;
  return config;
}

absl::StatusOr<std::unique_ptr<Heap>> TryMakeTestHeap(const std::string& allocator,
                                                      const std::string& collector,
                                                      const TestHeapOptions& options) {
  absl::StatusOr<AllocatorConfig> a = AllocatorConfigForName(allocator);
  if (!a.ok()) return a.status();
  absl::StatusOr<CollectorConfig> c = CollectorConfigForName(collector);
  if (!c.ok()) return c.status();
  if (options.min_heap_bytes != 0) SetMinHeapBytes(&*c, options.min_heap_bytes);
  return MakeHeap(MakeTestHeapConfig(options), *a, *c);
}

std::unique_ptr<Heap> MakeTestHeap(const std::string& allocator, const std::string& collector,
                                   const TestHeapOptions& options) {
  absl::StatusOr<std::unique_ptr<Heap>> heap = TryMakeTestHeap(allocator, collector, options);
  if (!heap.ok()) Die("MakeTestHeap(" + allocator + ", " + collector + ")", heap.status());
  return *std::move(heap);
}

std::unique_ptr<Heap> MakeTestHeapWithCollector(std::unique_ptr<Collector> collector,
                                                const std::string& allocator,
                                                const TestHeapOptions& options) {
  absl::StatusOr<AllocatorConfig> config = AllocatorConfigForName(allocator);
  if (!config.ok()) Die("MakeTestHeapWith", config.status());
  absl::StatusOr<std::unique_ptr<Allocator>> a = MakeAllocator(*config);
  if (!a.ok()) Die("MakeTestHeapWith", a.status());
  absl::StatusOr<std::unique_ptr<Heap>> heap =
      Heap::Create(MakeTestHeapConfig(options), *std::move(a), std::move(collector));
  if (!heap.ok()) Die("MakeTestHeapWith", heap.status());
  return *std::move(heap);
}

const TypeDescriptor* NodeType() {
  static const TypeDescriptor* type = MakeRecordType("TestNode", 2, 16);
  return type;
}

Object* NewNode(Mutator* m, int64_t id, int64_t value) {
  absl::StatusOr<Object*> node = m->Allocate(NodeType());
  if (!node.ok()) Die("NewNode", node.status());
  (*node)->data_at<int64_t>(kId) = id;
  (*node)->data_at<int64_t>(kValue) = value;
  return *node;
}

Object* NewNode(Mutator* m, int64_t id) { return NewNode(m, id, id); }

Object* BuildTree(Mutator* m, int depth, int64_t first_id) {
  // Bottom-up, level by level from the leaves, each level held in Locals so
  // that an allocation never sees an unrooted node.
  HandleScope scope(m);
  std::vector<Local> level;
  const int64_t leaves = depth > 0 ? (int64_t{1} << (depth - 1)) : 0;
  for (int64_t i = 0; i < leaves; ++i) level.emplace_back(m, NewNode(m, first_id + leaves - 1 + i));
  for (int d = depth - 1; d >= 1; --d) {
    std::vector<Local> up;
    const int64_t count = int64_t{1} << (d - 1);
    for (int64_t i = 0; i < count; ++i) {
      up.emplace_back(m, NewNode(m, first_id + count - 1 + i));
      m->Store(up.back().get(), kLeft, level[2 * i].get());
      m->Store(up.back().get(), kRight, level[2 * i + 1].get());
    }
    level = std::move(up);
  }
  return level.empty() ? nullptr : level[0].get();
}

Object* MakeList(Mutator* m, int n) {
  HandleScope scope(m);
  Local head(m, nullptr);
  for (int i = n; i >= 1; --i) {
    Local node(m, NewNode(m, i));
    m->Store(node.get(), kLeft, head.get());
    head.set(node.get());
  }
  return head.get();
}

int64_t SumList(Mutator* m, Object* head) {
  int64_t sum = 0;
  for (Object* n = head; n != nullptr; n = m->Load(n, kLeft)) sum += ValueOf(n);
  return sum;
}

void MakeGarbage(Mutator* m, size_t bytes) {
  const size_t per = ObjectSizeFor(NodeType());
  for (size_t done = 0; done < bytes; done += per) NewNode(m, 0);
}

GraphSummary Summarize(Mutator* m, Object* root) {
  GraphSummary s;
  absl::flat_hash_set<Object*> seen;
  std::vector<Object*> stack;
  if (root != nullptr) stack.push_back(root);
  while (!stack.empty()) {
    Object* o = stack.back();
    stack.pop_back();
    if (!seen.insert(o).second) continue;
    ++s.nodes;
    s.id_sum += NodeId(o);
    for (uint32_t off : {kLeft, kRight}) {
      if (Object* c = m->Load(o, off)) stack.push_back(c);
    }
  }
  return s;
}

}  // namespace gclab::testkit
