// Flags and the PEER_RESULT line shared by the Go peers (built together with
// gcbench.go or binarytrees.go: `go build -o gcbench gcbench.go peerstats.go`).
// Pauses come from runtime/debug.ReadGCStats: one entry per GC cycle (the
// runtime sums the cycle's stop-the-world phases), the last 256 cycles only.
package main

import (
	"bufio"
	"flag"
	"fmt"
	"os"
	"runtime"
	"runtime/debug"
	"sort"
	"strings"
	"syscall"
	"time"
)

var (
	gcbenchStretchDepth   = flag.Int("gcbench_stretch_depth", 18, "GCBench stretch tree depth")
	gcbenchLongLivedDepth = flag.Int("gcbench_long_lived_depth", 16, "GCBench long-lived tree depth")
	gcbenchArraySize      = flag.Int("gcbench_array_size", 500000, "GCBench long-lived array")
	gcbenchMinDepth       = flag.Int("gcbench_min_depth", 4, "GCBench min temporary tree depth")
	gcbenchMaxDepth       = flag.Int("gcbench_max_depth", 16, "GCBench max temporary tree depth")
	binaryTreesMaxDepth   = flag.Int("binary_trees_max_depth", 21, "binary-trees n")
	corruptForTesting     = flag.Bool("corrupt_for_testing", false, "damage the long-lived tree so validation must fail")
	workloadFlag          = flag.String("workload", "", "ignored (one program per workload); accepted for symmetry")
)

// Node is GCBench's node: two children and two ints; i is the remaining depth.
type Node struct {
	left, right *Node
	i, j        int32
}

func treeSize(depth int) uint64 { return (uint64(1) << uint(depth+1)) - 1 }

// checkTree returns the node count of a complete tree of depth, 0 if broken.
func checkTree(n *Node, depth int) uint64 {
	if n == nil || int(n.i) != depth {
		return 0
	}
	if depth == 0 {
		if n.left == nil && n.right == nil {
			return 1
		}
		return 0
	}
	l := checkTree(n.left, depth-1)
	if l == 0 {
		return 0
	}
	r := checkTree(n.right, depth-1)
	if r == 0 {
		return 0
	}
	return 1 + l + r
}

func expectTree(n *Node, depth int, what string) error {
	if got := checkTree(n, depth); got != treeSize(depth) {
		return fmt.Errorf("%s of depth %d: %d valid nodes, expected %d", what, depth, got, treeSize(depth))
	}
	return nil
}

func corruptTree(root *Node) {
	if root != nil && root.left != nil {
		root.left.left = nil
	}
}

func cpuSeconds() float64 {
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return float64(ru.Utime.Sec+ru.Stime.Sec) + float64(ru.Utime.Usec+ru.Stime.Usec)*1e-6
}

func peakRSS() uint64 {
	f, err := os.Open("/proc/self/status")
	if err != nil {
		return 0
	}
	defer f.Close()
	s := bufio.NewScanner(f)
	for s.Scan() {
		var kb uint64
		if n, _ := fmt.Sscanf(s.Text(), "VmHWM: %d kB", &kb); n == 1 {
			return kb * 1024
		}
	}
	return 0
}

func percentile(sorted []float64, q float64) float64 {
	if len(sorted) == 0 {
		return 0
	}
	rank := int(q*float64(len(sorted)) + 0.999999999)
	if rank < 1 {
		rank = 1
	}
	if rank > len(sorted) {
		rank = len(sorted)
	}
	return sorted[rank-1]
}

// runPeer times run, validates, and prints PEER_RESULT (exit 3 on failure).
func runPeer(workload string, run func() error) {
	flag.Parse()
	start := time.Now()
	cpu0 := cpuSeconds()
	var ms0 runtime.MemStats
	runtime.ReadMemStats(&ms0)
	var gc0 debug.GCStats
	debug.ReadGCStats(&gc0)
	err := run()
	wall := time.Since(start).Seconds()
	cpu := cpuSeconds() - cpu0
	if err != nil {
		fmt.Fprintf(os.Stderr, "VALIDATION FAILED: peer=go workload=%s: %v\n", workload, err)
		os.Exit(3)
	}
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	stats := debug.GCStats{Pause: make([]time.Duration, 0, 512), PauseEnd: make([]time.Time, 0, 512)}
	debug.ReadGCStats(&stats)
	cycles := stats.NumGC - gc0.NumGC
	// Pause and PauseEnd are most recent first; keep this run's cycles.
	n := int(cycles)
	if n > len(stats.Pause) {
		n = len(stats.Pause)
	}
	var list []string
	var durs []float64
	var total, max float64
	for k := n - 1; k >= 0; k-- {
		d := float64(stats.Pause[k].Nanoseconds()) / 1e6
		end := float64(stats.PauseEnd[k].Sub(start).Nanoseconds()) / 1e6
		list = append(list, fmt.Sprintf("%.4f:%.4f", end-d, d))
		durs = append(durs, d)
		total += d
		if d > max {
			max = d
		}
	}
	sort.Float64s(durs)
	fmt.Printf("PEER_RESULT peer=go workload=%s wall_s=%.6f cpu_s=%.6f collections=%d pauses=%d "+
		"pause_total_ms=%.4f pause_max_ms=%.4f pause_p50_ms=%.4f pause_p99_ms=%.4f "+
		"peak_heap_bytes=%d peak_rss_bytes=%d bytes_allocated=%d objects_allocated=%d "+
		"go_pause_total_all_ms=%.4f pauses_dropped=%d gomaxprocs=%d gogc=%s go_version=%s pause_list_ms=%s ok=1\n",
		workload, wall, cpu, cycles, len(durs), total, max, percentile(durs, 0.5), percentile(durs, 0.99),
		ms.HeapSys, peakRSS(), ms.TotalAlloc-ms0.TotalAlloc, ms.Mallocs-ms0.Mallocs,
		float64((stats.PauseTotal-gc0.PauseTotal).Nanoseconds())/1e6, int(cycles)-n,
		runtime.GOMAXPROCS(0), os.Getenv("GOGC"), runtime.Version(), strings.Join(list, ";"))
}
