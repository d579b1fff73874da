// Unbounded recursion: Go's "goroutine stack exceeds" fatal error.
package main

import "fmt"

type Node struct{ next *Node }

func deep(n int, prev *Node) int {
	cur := &Node{prev}
	return deep(n+1, cur) + 1
}

func main() {
	fmt.Println("recursing")
	fmt.Println(deep(0, nil))
}
