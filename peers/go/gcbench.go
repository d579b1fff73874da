// GCBench (Boehm, Ellis, Kovac) on Go's collector; same phases, sizes and
// validation as peers/common/workloads.h.
package main

import "fmt"

func makeTree(depth int) *Node {
	if depth <= 0 {
		return &Node{}
	}
	return &Node{left: makeTree(depth - 1), right: makeTree(depth - 1), i: int32(depth)}
}

func populate(depth int, node *Node) {
	node.i = int32(depth)
	if depth <= 0 {
		return
	}
	node.left = &Node{}
	node.right = &Node{}
	populate(depth-1, node.left)
	populate(depth-1, node.right)
}

func gcbench() error {
	stretch, longLived, arraySize := *gcbenchStretchDepth, *gcbenchLongLivedDepth, *gcbenchArraySize
	if err := expectTree(makeTree(stretch), stretch, "stretch tree"); err != nil {
		return err
	}
	long := &Node{}
	populate(longLived, long)
	array := make([]float64, arraySize)
	for i := 0; i < arraySize/2; i++ {
		array[i] = 1.0 / float64(i)
	}
	if *corruptForTesting {
		corruptTree(long)
	}
	for d := *gcbenchMinDepth; d <= *gcbenchMaxDepth; d += 2 {
		iters := 2 * treeSize(stretch) / treeSize(d)
		for k := uint64(0); k < iters; k++ {
			t := &Node{}
			populate(d, t)
			if err := expectTree(t, d, "top-down tree"); err != nil {
				return err
			}
		}
		for k := uint64(0); k < iters; k++ {
			if err := expectTree(makeTree(d), d, "bottom-up tree"); err != nil {
				return err
			}
		}
	}
	if err := expectTree(long, longLived, "long-lived tree"); err != nil {
		return err
	}
	for i := 1; i < arraySize/2; i++ {
		if array[i] != 1.0/float64(i) {
			return fmt.Errorf("array[%d] = %g, expected %g", i, array[i], 1.0/float64(i))
		}
	}
	return nil
}

func main() { runPeer("gcbench", gcbench) }
