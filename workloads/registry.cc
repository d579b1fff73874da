#include "workloads/registry.h"

#include <algorithm>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "registry/oneof.h"
#include "util/status_macros.h"
#include "workloads/binary_trees.h"
#include "workloads/gcbench.h"
#include "workloads/graph_mutator.h"
#include "workloads/lru_cache.h"
#include "workloads/producer_consumer.h"
#include "workloads/splay.h"

namespace gclab {
namespace {

// Accumulates the first out-of-range field.
class RangeChecker {
 public:
  explicit RangeChecker(std::string prefix) : prefix_(std::move(prefix)) {}
  void Check(absl::string_view field, int64_t value, int64_t lo, int64_t hi) {
    if (!status_.ok() || (value >= lo && value <= hi)) return;
    status_ = absl::InvalidArgumentError(
        absl::StrCat(prefix_, ".", field, " must be in [", lo, ", ", hi, "], got ", value));
  }
  void Require(bool ok, absl::string_view message) {
    if (status_.ok() && !ok) {
      status_ = absl::InvalidArgumentError(absl::StrCat(prefix_, ".", message));
    }
  }
  absl::Status status() const { return status_; }

 private:
  std::string prefix_;
  absl::Status status_;
};

constexpr int64_t kMaxThreads = 256;

}  // namespace

std::vector<std::string> KnownWorkloadNames() { return KindNames(WorkloadConfig::descriptor()); }

absl::StatusOr<WorkloadConfig> WorkloadConfigForName(absl::string_view name) {
  WorkloadConfig config;
  absl::Status s = SelectKind(&config, "workload", name);
  if (!s.ok()) return s;
  return config;
}

std::string WorkloadName(const WorkloadConfig& config) { return SelectedKind(config); }

bool IsExternalWorkload(const WorkloadConfig& config) { return config.has_go_program(); }

std::vector<std::string> InProcessWorkloadNames() {
  std::vector<std::string> names;
  for (const std::string& name : KnownWorkloadNames()) {
    if (!IsExternalWorkload(*WorkloadConfigForName(name))) names.push_back(name);
  }
  return names;
}

std::optional<GoProgramParams> GoEquivalent(const WorkloadConfig& config) {
  GoProgramParams go;
  switch (config.kind_case()) {
    case WorkloadConfig::kGoProgram:
      return config.go_program();
    case WorkloadConfig::kGcbench: {
      const GcBenchParams& p = config.gcbench();
      if (p.threads() != 1 || p.stack_roots() != 0) return std::nullopt;
      go.set_program("gcbench");
      for (int64_t v :
           {int64_t{p.stretch_tree_depth()}, int64_t{p.long_lived_tree_depth()},
            int64_t{p.array_size()}, int64_t{p.min_tree_depth()}, int64_t{p.max_tree_depth()}}) {
        go.add_args(absl::StrCat(v));
      }
      return go;
    }
    case WorkloadConfig::kBinaryTrees: {
      const BinaryTreesParams& p = config.binary_trees();
      if (p.threads() != 1 || p.min_depth() != 4) return std::nullopt;
      go.set_program("binarytrees");
      go.add_args(absl::StrCat(p.max_depth()));
      return go;
    }
    default:
      return std::nullopt;
  }
}

std::string WorkloadLabel(const WorkloadConfig& config) {
  return config.has_label() && !config.label().empty() ? config.label() : WorkloadName(config);
}

absl::Status ValidateWorkloadConfig(const WorkloadConfig& config) {
  switch (config.kind_case()) {
    case WorkloadConfig::kGcbench: {
      const GcBenchParams& p = config.gcbench();
      RangeChecker c("gcbench");
      c.Check("stretch_tree_depth", p.stretch_tree_depth(), 1, 26);
      c.Check("long_lived_tree_depth", p.long_lived_tree_depth(), 0, 26);
      c.Check("array_size", p.array_size(), 0, 1 << 27);
      c.Check("min_tree_depth", p.min_tree_depth(), 0, 26);
      c.Check("max_tree_depth", p.max_tree_depth(), p.min_tree_depth(), p.stretch_tree_depth());
      c.Check("threads", p.threads(), 1, kMaxThreads);
      return c.status();
    }
    case WorkloadConfig::kBinaryTrees: {
      const BinaryTreesParams& p = config.binary_trees();
      RangeChecker c("binary_trees");
      c.Check("min_depth", p.min_depth(), 0, 24);
      c.Check("max_depth", p.max_depth(), 0, 24);
      c.Check("threads", p.threads(), 1, kMaxThreads);
      return c.status();
    }
    case WorkloadConfig::kSplay: {
      const SplayParams& p = config.splay();
      RangeChecker c("splay");
      c.Check("tree_size", p.tree_size(), 1, 10000000);
      c.Check("modifications", p.modifications(), 0, 10000000);
      c.Check("steps", p.steps(), 0, 100000000);
      c.Check("payload_depth", p.payload_depth(), 0, 16);
      return c.status();
    }
    case WorkloadConfig::kGraphMutator: {
      const GraphMutatorParams& p = config.graph_mutator();
      RangeChecker c("graph_mutator");
      c.Check("nodes", p.nodes(), 1, 100000000);
      c.Check("edges_per_node", p.edges_per_node(), 1, 64);
      c.Check("threads", p.threads(), 1, kMaxThreads);
      c.Check("operations_per_thread", p.operations_per_thread(), 0, int64_t{1} << 40);
      c.Check("allocate_percent", p.allocate_percent(), 0, 100);
      c.Check("payload_bytes", p.payload_bytes(), 8, 1 << 20);
      c.Require(p.payload_bytes() % 8 == 0, "payload_bytes must be a multiple of 8");
      return c.status();
    }
    case WorkloadConfig::kLruCache: {
      const LruCacheParams& p = config.lru_cache();
      RangeChecker c("lru_cache");
      c.Check("capacity", p.capacity(), 1, 100000000);
      c.Check("key_space", p.key_space(), 1, 1000000000);
      c.Check("requests", p.requests(), 0, int64_t{1} << 40);
      c.Check("min_value_bytes", p.min_value_bytes(), 8, 1 << 24);
      c.Check("max_value_bytes", p.max_value_bytes(), p.min_value_bytes(), 1 << 24);
      c.Check("hot_percent", p.hot_percent(), 0, 100);
      return c.status();
    }
    case WorkloadConfig::kProducerConsumer: {
      const ProducerConsumerParams& p = config.producer_consumer();
      RangeChecker c("producer_consumer");
      c.Check("producers", p.producers(), 1, kMaxThreads);
      c.Check("consumers", p.consumers(), 1, kMaxThreads);
      c.Check("messages_per_producer", p.messages_per_producer(), 0, int64_t{1} << 40);
      c.Check("queue_capacity", p.queue_capacity(), 1, 1 << 24);
      c.Check("payload_bytes", p.payload_bytes(), 8, 1 << 20);
      c.Check("retain_every", p.retain_every(), 0, 1 << 30);
      c.Check("retained_ring", p.retained_ring(), 1, 1 << 24);
      c.Require(p.payload_bytes() % 8 == 0, "payload_bytes must be a multiple of 8");
      return c.status();
    }
    case WorkloadConfig::kGoProgram: {
      const GoProgramParams& p = config.go_program();
      RangeChecker c("go_program");
      c.Require(p.source_case() != GoProgramParams::SOURCE_NOT_SET,
                "program or file must be set (a workloads/go program name or a .go file)");
      c.Require(!p.has_program() || (!p.program().empty() &&
                                     std::all_of(p.program().begin(), p.program().end(),
                                                 [](char ch) {
                                                   return absl::ascii_islower(ch) ||
                                                          absl::ascii_isdigit(ch) || ch == '_';
                                                 })),
                absl::StrCat("program must be a workloads/go program name ([a-z0-9_]+), got \"",
                             p.program(), "\""));
      c.Require(!p.has_file() || absl::EndsWith(p.file(), ".go"),
                absl::StrCat("file must name a .go file, got \"", p.file(), "\""));
      c.Check("args_size", p.args_size(), 0, 1000);
      c.Check("smoke_args_size", p.smoke_args_size(), 0, 1000);
      return c.status();
    }
    case WorkloadConfig::KIND_NOT_SET:
      break;
  }
  return absl::InvalidArgumentError(absl::StrCat("workload has no kind set; set one of: ",
                                                 absl::StrJoin(KnownWorkloadNames(), ", ")));
}

void ShrinkForSmoke(WorkloadConfig* config) {
  auto at_most = [](auto value, auto limit) { return std::min<decltype(value)>(value, limit); };
  switch (config->kind_case()) {
    case WorkloadConfig::kGcbench: {
      GcBenchParams* p = config->mutable_gcbench();
      p->set_stretch_tree_depth(at_most(p->stretch_tree_depth(), 12));
      p->set_long_lived_tree_depth(at_most(p->long_lived_tree_depth(), 10));
      p->set_array_size(at_most(p->array_size(), 10000));
      p->set_max_tree_depth(at_most(p->max_tree_depth(), 8));
      p->set_min_tree_depth(at_most(p->min_tree_depth(), p->max_tree_depth()));
      p->set_threads(at_most(p->threads(), 2));
      break;
    }
    case WorkloadConfig::kBinaryTrees: {
      BinaryTreesParams* p = config->mutable_binary_trees();
      p->set_max_depth(at_most(p->max_depth(), 10));
      p->set_min_depth(at_most(p->min_depth(), 4));
      p->set_threads(at_most(p->threads(), 2));
      break;
    }
    case WorkloadConfig::kSplay: {
      SplayParams* p = config->mutable_splay();
      p->set_tree_size(at_most(p->tree_size(), 500));
      p->set_modifications(at_most(p->modifications(), 20));
      p->set_steps(at_most(p->steps(), 20));
      p->set_payload_depth(at_most(p->payload_depth(), 3));
      break;
    }
    case WorkloadConfig::kGraphMutator: {
      GraphMutatorParams* p = config->mutable_graph_mutator();
      p->set_nodes(at_most(p->nodes(), 2000));
      p->set_threads(at_most(p->threads(), 2));
      p->set_operations_per_thread(at_most(p->operations_per_thread(), int64_t{20000}));
      break;
    }
    case WorkloadConfig::kLruCache: {
      LruCacheParams* p = config->mutable_lru_cache();
      p->set_capacity(at_most(p->capacity(), 500));
      p->set_key_space(at_most(p->key_space(), 2000));
      p->set_requests(at_most(p->requests(), int64_t{20000}));
      p->set_max_value_bytes(at_most(p->max_value_bytes(), 256));
      p->set_min_value_bytes(at_most(p->min_value_bytes(), p->max_value_bytes()));
      break;
    }
    case WorkloadConfig::kProducerConsumer: {
      ProducerConsumerParams* p = config->mutable_producer_consumer();
      p->set_producers(at_most(p->producers(), 2));
      p->set_consumers(at_most(p->consumers(), 2));
      p->set_messages_per_producer(at_most(p->messages_per_producer(), int64_t{5000}));
      p->set_retained_ring(at_most(p->retained_ring(), 128));
      break;
    }
    case WorkloadConfig::kGoProgram: {
      GoProgramParams* p = config->mutable_go_program();
      if (p->smoke_args_size() > 0) *p->mutable_args() = p->smoke_args();
      break;
    }
    case WorkloadConfig::KIND_NOT_SET:
      break;
  }
}

absl::StatusOr<std::unique_ptr<Workload>> MakeWorkload(const WorkloadConfig& config) {
  GCLAB_RETURN_IF_ERROR(ValidateWorkloadConfig(config));
  switch (config.kind_case()) {
    case WorkloadConfig::kGcbench:
      return std::unique_ptr<Workload>(new GcBench(config.gcbench()));
    case WorkloadConfig::kBinaryTrees:
      return std::unique_ptr<Workload>(new BinaryTrees(config.binary_trees()));
    case WorkloadConfig::kSplay:
      return std::unique_ptr<Workload>(new Splay(config.splay()));
    case WorkloadConfig::kGraphMutator:
      return std::unique_ptr<Workload>(new GraphMutator(config.graph_mutator()));
    case WorkloadConfig::kLruCache:
      return std::unique_ptr<Workload>(new LruCache(config.lru_cache()));
    case WorkloadConfig::kProducerConsumer:
      return std::unique_ptr<Workload>(new ProducerConsumer(config.producer_consumer()));
    case WorkloadConfig::kGoProgram:
      return absl::FailedPreconditionError(
          "a go_program workload runs as its own process (experiments/external_run.h), not on a "
          "heap in this process");
    case WorkloadConfig::KIND_NOT_SET:
      break;
  }
  return absl::InvalidArgumentError("workload has no kind set");  // unreachable: validated
}

}  // namespace gclab
