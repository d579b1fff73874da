// Runs each peer x workload x repetition in a fresh process and writes
// DIR/peers.csv in gclab's results.csv schema plus a markdown summary
// (stdout and DIR/peers.md). The Go peers are built at run time with
// /usr/bin/go (GO111MODULE=off, CGO_ENABLED=0, GOCACHE in /tmp) into
// DIR/go-bin. Exits 1 if any run's status is not ok.
#include <signal.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>
#include <string>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "peers/common/peer_stats.h"
#include "util/files.h"
#include "util/subprocess.h"

// Defaults: experiments/configs/quickstart.textproto's sizes.
ABSL_FLAG(std::string, workloads, "gcbench,binary_trees", "comma list");
ABSL_FLAG(std::string, peers, "malloc,boehm,go", "comma list");
ABSL_FLAG(int, gcbench_stretch_depth, 16, "");
ABSL_FLAG(int, gcbench_long_lived_depth, 14, "");
ABSL_FLAG(int64_t, gcbench_array_size, 250000, "");
ABSL_FLAG(int, gcbench_min_depth, 4, "");
ABSL_FLAG(int, gcbench_max_depth, 14, "");
ABSL_FLAG(int, binary_trees_max_depth, 16, "");
ABSL_FLAG(int, repetitions, 3, "runs per peer and workload");
ABSL_FLAG(std::string, out, "", "output directory (required)");
ABSL_FLAG(std::string, go, "/usr/bin/go", "Go toolchain");
ABSL_FLAG(std::string, gogc, "", "GOGC for the Go peers (empty: Go's 100)");
ABSL_FLAG(bool, corrupt_for_testing, false, "pass to every peer");

namespace gclab::peers {
namespace {

namespace fs = std::filesystem;

constexpr char kHeader[] =
    "experiment,config,allocator,collector,escape_mode,workload,repetition,"
    "status,wall_s,cpu_s,collections,pauses,pause_total_ms,pause_p50_ms,"
    "pause_p99_ms,pause_max_ms,mmu_1ms,mmu_10ms,mmu_100ms,peak_heap_bytes,"
    "peak_rss_bytes,bytes_allocated,objects_allocated,stack_allocated_objects,"
    "barrier_slow_hits";

struct PeerInfo {
  std::string name, config, allocator, collector, escape_mode;
};

const std::vector<PeerInfo>& AllPeers() {
  static const auto* peers = new std::vector<PeerInfo>{
      {"malloc", "malloc", "glibc", "none", "none"},
      {"boehm", "boehm", "boehm", "boehm", "none"},
      {"go", "go1.19", "go", "go", "go"},
  };
  return *peers;
}

// A file in the runfiles tree (cwd under `bazel run`/`bazel test`), else
// next to argv[0]'s runfiles.
std::string Runfile(const std::string& argv0, const std::string& rel) {
  if (fs::exists(rel)) return fs::absolute(rel).string();
  std::string alt = argv0 + ".runfiles/gclab/" + rel;
  if (fs::exists(alt)) return fs::absolute(alt).string();
  return "";
}

// Runs a peer binary with its stdout in `log_path` (and stderr in
// `log_path`.err), through the one subprocess implementation (util/).
ProcessResult RunChild(const std::vector<std::string>& args,
                       const std::vector<std::string>& extra_env, const std::string& log_path) {
  ProcessOptions o;
  o.argv = args;
  o.env = extra_env;
  o.stdout_path = log_path;
  o.stderr_path = log_path + ".err";
  o.capture_stdout = false;
  o.capture_stderr = false;
  absl::StatusOr<ProcessResult> r = RunProcess(o);
  if (!r.ok()) {
    std::fprintf(stderr, "peers: %s\n", std::string(r.status().message()).c_str());
    return ProcessResult{};  // exit_code -1, no signal: an error row
  }
  absl::StatusOr<std::string> out = ReadFile(log_path);
  if (out.ok()) r->stdout_text = *out;
  return *r;
}

// key=value fields of the PEER_RESULT line; empty if there is none.
std::map<std::string, std::string> ParseResultLine(const std::string& text) {
  std::map<std::string, std::string> kv;
  for (absl::string_view line : absl::StrSplit(text, '\n')) {
    if (!absl::StartsWith(line, "PEER_RESULT ")) continue;
    for (absl::string_view tok : absl::StrSplit(line, ' ', absl::SkipEmpty())) {
      size_t eq = tok.find('=');
      if (eq == absl::string_view::npos) continue;
      kv[std::string(tok.substr(0, eq))] = std::string(tok.substr(eq + 1));
    }
  }
  return kv;
}

// Builds the Go peers; returns "" or an error.
std::string BuildGo(const std::string& go, const std::string& argv0, const std::string& bin_dir) {
  if (access(go.c_str(), X_OK) != 0) {
    return absl::StrCat(go, " not found: install golang-go (tools/setup)");
  }
  std::string common = Runfile(argv0, "peers/go/peerstats.go");
  if (common.empty()) return "peers/go sources not in runfiles";
  fs::create_directories(bin_dir + "/home");
  for (const char* prog : {"gcbench", "binarytrees"}) {
    std::string src = Runfile(argv0, absl::StrCat("peers/go/", prog, ".go"));
    ProcessOptions o;
    o.argv = {go, "build", "-o", absl::StrCat(bin_dir, "/", prog), src, common};
    o.env = {absl::StrCat("HOME=", bin_dir, "/home"), absl::StrCat("GOPATH=", bin_dir, "/home/go"),
             absl::StrCat("GOCACHE=/tmp/gclab-peers-gocache-", getuid()), "GO111MODULE=off",
             "CGO_ENABLED=0"};
    o.capture_stdout = false;
    o.stdout_path = bin_dir + "/build.log";
    o.capture_stderr = false;
    o.stderr_path = bin_dir + "/build.err.log";
    absl::StatusOr<ProcessResult> built = RunProcess(o);
    if (!built.ok() || !built->Succeeded()) {
      return absl::StrCat("go build failed, see ", bin_dir, "/build.err.log");
    }
  }
  return "";
}

std::string Num(const std::map<std::string, std::string>& kv, const std::string& key) {
  auto it = kv.find(key);
  return it == kv.end() ? "" : it->second;
}

struct Row {
  std::string peer, workload, status;
  std::map<std::string, std::string> cols;  // CSV column -> value
};

std::string MedianRange(const std::vector<Row>& rows, const std::string& col, int precision) {
  std::vector<double> v;
  for (const Row& r : rows) {
    double x;
    auto it = r.cols.find(col);
    if (r.status == "ok" && it != r.cols.end() && absl::SimpleAtod(it->second, &x)) {
      v.push_back(x);
    }
  }
  if (v.empty()) return "–";
  std::sort(v.begin(), v.end());
  double med = v.size() % 2 ? v[v.size() / 2] : (v[v.size() / 2 - 1] + v[v.size() / 2]) / 2;
  std::string s = absl::StrFormat("%.*f", precision, med);
  if (v.size() > 1) {
    absl::StrAppendFormat(&s, " (%.*f–%.*f)", precision, v.front(), precision, v.back());
  }
  return s;
}

int Main(int argc, char** argv) {
  absl::ParseCommandLine(argc, argv);
  std::string out = absl::GetFlag(FLAGS_out);
  if (out.empty()) {
    std::fprintf(stderr, "--out=DIR is required\n");
    return 2;
  }
  out = ResolveUserPath(out);
  fs::create_directories(out + "/logs");
  const std::string argv0 = fs::absolute(argv[0]).string();

  std::vector<std::string> sizes = {
      absl::StrCat("--gcbench_stretch_depth=", absl::GetFlag(FLAGS_gcbench_stretch_depth)),
      absl::StrCat("--gcbench_long_lived_depth=", absl::GetFlag(FLAGS_gcbench_long_lived_depth)),
      absl::StrCat("--gcbench_array_size=", absl::GetFlag(FLAGS_gcbench_array_size)),
      absl::StrCat("--gcbench_min_depth=", absl::GetFlag(FLAGS_gcbench_min_depth)),
      absl::StrCat("--gcbench_max_depth=", absl::GetFlag(FLAGS_gcbench_max_depth)),
      absl::StrCat("--binary_trees_max_depth=", absl::GetFlag(FLAGS_binary_trees_max_depth)),
  };
  if (absl::GetFlag(FLAGS_corrupt_for_testing)) sizes.push_back("--corrupt_for_testing");

  std::vector<std::string> workloads =
      absl::StrSplit(absl::GetFlag(FLAGS_workloads), ',', absl::SkipEmpty());
  std::vector<std::string> peer_names =
      absl::StrSplit(absl::GetFlag(FLAGS_peers), ',', absl::SkipEmpty());
  for (const std::string& w : workloads) {
    if (w != "gcbench" && w != "binary_trees") {
      std::fprintf(stderr, "unknown workload %s\n", w.c_str());
      return 2;
    }
  }
  std::vector<PeerInfo> peers;
  for (const std::string& n : peer_names) {
    auto it = std::find_if(AllPeers().begin(), AllPeers().end(),
                           [&](const PeerInfo& p) { return p.name == n; });
    if (it == AllPeers().end()) {
      std::fprintf(stderr, "unknown peer %s (malloc, boehm, go)\n", n.c_str());
      return 2;
    }
    peers.push_back(*it);
  }

  std::string go_error = "not built";
  const std::string go_bin = out + "/go-bin";
  bool want_go =
      std::any_of(peers.begin(), peers.end(), [](const PeerInfo& p) { return p.name == "go"; });
  if (want_go) {
    go_error = BuildGo(absl::GetFlag(FLAGS_go), argv0, go_bin);
    if (!go_error.empty()) std::fprintf(stderr, "go peer: %s\n", go_error.c_str());
  }

  std::vector<Row> rows;
  for (const PeerInfo& peer : peers) {
    for (const std::string& w : workloads) {
      for (int rep = 0; rep < absl::GetFlag(FLAGS_repetitions); ++rep) {
        Row row{peer.name, w, "", {}};
        std::string bin;
        std::vector<std::string> env;
        if (peer.name == "go") {
          if (go_error.empty()) bin = go_bin + (w == "gcbench" ? "/gcbench" : "/binarytrees");
          if (!absl::GetFlag(FLAGS_gogc).empty())
            env.push_back("GOGC=" + absl::GetFlag(FLAGS_gogc));
        } else {
          bin = Runfile(argv0, absl::StrCat("peers/", peer.name, "/", peer.name, "_peer"));
        }
        if (bin.empty()) {
          row.status = peer.name == "go" ? "go_unavailable" : "binary_missing";
        } else {
          std::vector<std::string> args = {bin, "--workload=" + w};
          args.insert(args.end(), sizes.begin(), sizes.end());
          std::string log = absl::StrFormat("%s/logs/%s_%s_%d.log", out, peer.name, w, rep);
          ProcessResult c = RunChild(args, env, log);
          auto kv = ParseResultLine(c.stdout_text);
          if (c.term_signal != 0) {
            row.status = c.term_signal == SIGKILL ? "killed" : "crashed";
          } else if (c.exit_code == 3) {
            row.status = "validation_failed";
          } else if (c.exit_code != 0 || Num(kv, "ok") != "1") {
            row.status = "error";
          } else {
            row.status = "ok";
            for (const char* k : {"wall_s", "cpu_s", "collections", "pauses", "pause_total_ms",
                                  "pause_p50_ms", "pause_p99_ms", "pause_max_ms", "peak_heap_bytes",
                                  "bytes_allocated", "objects_allocated"}) {
              row.cols[k] = Num(kv, k);
            }
            row.cols["peak_rss_bytes"] = absl::StrCat(c.max_rss_bytes);
            std::vector<Pause> pauses;
            double wall_s = 0;
            if (ParsePauses(Num(kv, "pause_list_ms"), &pauses) &&
                absl::SimpleAtod(Num(kv, "wall_s"), &wall_s)) {
              for (auto [col, win] :
                   {std::pair{"mmu_1ms", 1.0}, {"mmu_10ms", 10.0}, {"mmu_100ms", 100.0}}) {
                // Go keeps only the last 256 pauses: no MMU if some were lost.
                if (Num(kv, "pauses_dropped").empty() || Num(kv, "pauses_dropped") == "0") {
                  row.cols[col] =
                      absl::StrFormat("%.4f", MinimumMutatorUtilization(pauses, wall_s * 1e3, win));
                }
              }
            }
          }
        }
        std::fprintf(stderr, "%s %s rep %d: %s\n", peer.name.c_str(), w.c_str(), rep,
                     row.status.c_str());
        rows.push_back(std::move(row));
      }
    }
  }

  std::ofstream csv(out + "/peers.csv");
  csv << kHeader << "\n";
  std::vector<std::string> columns = absl::StrSplit(kHeader, ',');
  for (const Row& r : rows) {
    const PeerInfo& p = *std::find_if(AllPeers().begin(), AllPeers().end(),
                                      [&](const PeerInfo& x) { return x.name == r.peer; });
    int rep = 0;
    for (const Row& q : rows) {
      if (&q == &r) break;
      if (q.peer == r.peer && q.workload == r.workload) ++rep;
    }
    std::vector<std::string> cells = {"peers",       p.config,   p.allocator,       p.collector,
                                      p.escape_mode, r.workload, absl::StrCat(rep), r.status};
    for (size_t i = cells.size(); i < columns.size(); ++i) {
      auto it = r.cols.find(columns[i]);
      cells.push_back(it == r.cols.end() ? "" : it->second);
    }
    csv << absl::StrJoin(cells, ",") << "\n";
  }
  csv.close();

  std::string md = absl::StrFormat(
      "Sizes: gcbench stretch %d, long-lived %d, array %d, depths %d..%d; "
      "binary_trees max_depth %d. Median (min–max) over %d repetition(s).\n\n",
      absl::GetFlag(FLAGS_gcbench_stretch_depth), absl::GetFlag(FLAGS_gcbench_long_lived_depth),
      absl::GetFlag(FLAGS_gcbench_array_size), absl::GetFlag(FLAGS_gcbench_min_depth),
      absl::GetFlag(FLAGS_gcbench_max_depth), absl::GetFlag(FLAGS_binary_trees_max_depth),
      absl::GetFlag(FLAGS_repetitions));
  absl::StrAppend(&md,
                  "| workload | config | ok | wall_s | cpu_s | collections | "
                  "pause_total_ms "
                  "| pause_p99_ms | pause_max_ms | mmu_10ms | peak_rss_MiB |\n"
                  "|---|---|---|---|---|---|---|---|---|---|---|\n");
  bool all_ok = true;
  for (const std::string& w : workloads) {
    for (const PeerInfo& p : peers) {
      std::vector<Row> group;
      int ok = 0;
      for (const Row& r : rows) {
        if (r.peer != p.name || r.workload != w) continue;
        group.push_back(r);
        if (r.status == "ok")
          ++ok;
        else
          all_ok = false;
      }
      std::vector<Row> mib = group;
      for (Row& r : mib) {
        double b = 0;
        if (absl::SimpleAtod(r.cols["peak_rss_bytes"], &b)) {
          r.cols["peak_rss_bytes"] = absl::StrCat(b / (1 << 20));
        }
      }
      absl::StrAppendFormat(
          &md, "| %s | %s | %d/%d | %s | %s | %s | %s | %s | %s | %s | %s |\n", w, p.config, ok,
          group.size(), MedianRange(group, "wall_s", 3), MedianRange(group, "cpu_s", 3),
          MedianRange(group, "collections", 0), MedianRange(group, "pause_total_ms", 2),
          MedianRange(group, "pause_p99_ms", 3), MedianRange(group, "pause_max_ms", 3),
          MedianRange(group, "mmu_10ms", 3), MedianRange(mib, "peak_rss_bytes", 1));
    }
  }
  std::fputs(md.c_str(), stdout);
  std::ofstream(out + "/peers.md") << md;
  std::fprintf(stderr, "wrote %s/peers.csv\n", out.c_str());
  return all_ok ? 0 : 1;
}

}  // namespace
}  // namespace gclab::peers

int main(int argc, char** argv) { return gclab::peers::Main(argc, argv); }
