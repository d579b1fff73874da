// binary-trees (Benchmarks Game) on Go's collector; same output lines and
// validation as peers/common/workloads.h.
package main

import "fmt"

func bottomUp(depth int) *Node {
	if depth <= 0 {
		return &Node{}
	}
	return &Node{left: bottomUp(depth - 1), right: bottomUp(depth - 1), i: int32(depth)}
}

func binaryTrees() error {
	const minDepth = 4
	n := *binaryTreesMaxDepth
	if n < minDepth+2 {
		n = minDepth + 2
	}
	check := checkTree(bottomUp(n+1), n+1)
	fmt.Printf("stretch tree of depth %d\t check: %d\n", n+1, check)
	if check != treeSize(n+1) {
		return fmt.Errorf("stretch tree check %d, expected %d", check, treeSize(n+1))
	}
	long := bottomUp(n)
	if *corruptForTesting {
		corruptTree(long)
	}
	for d := minDepth; d <= n; d += 2 {
		iterations := uint64(1) << uint(n-d+minDepth)
		check = 0
		for k := uint64(0); k < iterations; k++ {
			check += checkTree(bottomUp(d), d)
		}
		fmt.Printf("%d\t trees of depth %d\t check: %d\n", iterations, d, check)
		if check != iterations*treeSize(d) {
			return fmt.Errorf("depth %d check %d, expected %d", d, check, iterations*treeSize(d))
		}
	}
	check = checkTree(long, n)
	fmt.Printf("long lived tree of depth %d\t check: %d\n", n, check)
	if check != treeSize(n) {
		return fmt.Errorf("long lived tree check %d, expected %d", check, treeSize(n))
	}
	return nil
}

func main() { runPeer("binary_trees", binaryTrees) }
