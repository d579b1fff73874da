// GCBench (Hans Boehm's GC benchmark, as John Ellis and Pete Kovac wrote it
// in Java): builds complete binary trees top-down and bottom-up while a
// long-lived tree and a long-lived array stay reachable.
// Usage: gcbench [stretch-depth long-lived-depth array-size min-depth max-depth]
// (defaults 14 12 100000 4 12; the published sizes are 18 16 500000 4 16)
package main

import (
	"fmt"
	"os"
	"strconv"
)

type Node struct {
	left, right *Node
	i, j        int
}

func treeSize(i int) int { return (1 << uint(i+1)) - 1 }

func numIters(i, stretch int) int { return 2 * treeSize(stretch) / treeSize(i) }

// populate builds a tree top-down.
func populate(depth int, node *Node) {
	if depth <= 0 {
		return
	}
	depth--
	node.left = &Node{}
	node.right = &Node{}
	populate(depth, node.left)
	populate(depth, node.right)
}

// makeTree builds a tree bottom-up.
func makeTree(depth int) *Node {
	if depth <= 0 {
		return &Node{}
	}
	return &Node{left: makeTree(depth - 1), right: makeTree(depth - 1)}
}

func count(n *Node) int {
	if n == nil {
		return 0
	}
	return 1 + count(n.left) + count(n.right)
}

func timeConstruction(depth, stretch int) int {
	iters := numIters(depth, stretch)
	fmt.Printf("Creating %d trees of depth %d\n", iters, depth)
	nodes := 0
	for i := 0; i < iters; i++ {
		temp := &Node{}
		populate(depth, temp)
		nodes += count(temp)
	}
	for i := 0; i < iters; i++ {
		nodes += count(makeTree(depth))
	}
	return nodes
}

func arg(i, def int) int {
	if len(os.Args) > i {
		v, err := strconv.Atoi(os.Args[i])
		if err == nil {
			return v
		}
	}
	return def
}

func main() {
	stretch := arg(1, 14)
	longLived := arg(2, 12)
	arraySize := arg(3, 100000)
	minDepth := arg(4, 4)
	maxDepth := arg(5, 12)
	fmt.Println("Garbage Collector Test")
	fmt.Printf(" Stretching memory with a binary tree of depth %d\n", stretch)
	fmt.Printf(" Stretch tree nodes: %d\n", count(makeTree(stretch)))

	fmt.Printf(" Creating a long-lived binary tree of depth %d\n", longLived)
	longLivedTree := &Node{}
	populate(longLived, longLivedTree)

	fmt.Printf(" Creating a long-lived array of %d doubles\n", arraySize)
	array := make([]float64, arraySize)
	for i := 0; i < arraySize/2; i++ {
		array[i] = 1.0 / float64(i)
	}

	total := 0
	for d := minDepth; d <= maxDepth; d += 2 {
		total += timeConstruction(d, stretch)
	}
	if longLivedTree == nil || array[1000%arraySize] != 1.0/float64(1000%arraySize) {
		fmt.Println("Failed")
		os.Exit(1)
	}
	fmt.Printf(" Nodes built: %d, long-lived tree nodes: %d\n", total, count(longLivedTree))
}
