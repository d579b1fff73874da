// A Go file given to the runner by path (go_program.file): compiled at run
// time by gocompile, like `bazel run //gocompile:gorun`.
package main

import "fmt"

type point struct{ x, y int }

func sum(n int) int {
	total := 0
	for i := 0; i < n; i++ {
		p := &point{i, i + 1} // does not escape: on the stack under --escape=go
		total += p.x + p.y
	}
	return total
}

func main() {
	var kept []*point
	for i := 0; i < 1000; i++ {
		kept = append(kept, &point{i, i})
	}
	fmt.Println(sum(100000), len(kept))
}
