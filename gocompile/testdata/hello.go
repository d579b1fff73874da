package main

import "fmt"

type Node struct {
	left, right *Node
}

func bottomUp(depth int) *Node {
	if depth <= 0 {
		return &Node{}
	}
	return &Node{bottomUp(depth - 1), bottomUp(depth - 1)}
}

func (n *Node) check() int {
	if n.left == nil {
		return 1
	}
	return 1 + n.left.check() + n.right.check()
}

func main() {
	t := bottomUp(4)
	fmt.Println("check:", t.check())
	s := 0
	for i := 0; i < 10; i++ {
		s += i
	}
	fmt.Printf("sum %d\n", s)
}
