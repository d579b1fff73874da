// Escaping allocations, each of which the soundness test plants on the stack
// (gocompile --plant_stack_site, test only): run with one scenario's name,
// the escape checks must report that scenario's site. Unplanted, every
// analysis sends these sites to the heap and the program prints its results.
package main

import (
	"fmt"
	"os"
)

type T struct {
	v    int
	next *T
}

type Holder struct{ p *T }

var global *T

// global: the address is stored into a package variable.
func toGlobal() {
	global = &T{v: 1}
}

// heap: the address is stored into a heap object.
func toHeap() *Holder {
	h := &Holder{}
	h.p = &T{v: 2}
	return h
}

// return: the object outlives its frame through a result.
func mk(v int) *T {
	return &T{v: v}
}

// closure: a closure capturing a variable outlives its frame.
func counter() func() int {
	n := 0
	return func() int {
		n++
		return n
	}
}

// channel: the address is sent to another goroutine.
func send(ch chan *T) {
	ch <- &T{v: 5}
}

// slice: a slice's backing array is returned.
func squares(n int) []int {
	s := make([]int, n)
	for i := range s {
		s[i] = i * i
	}
	return s
}

// loop: an object made in one iteration is kept by a variable declared
// outside the loop, past the iteration's end.
func lastOf(n int) *T {
	var keep *T
	for i := 0; i < n; i++ {
		t := &T{v: i}
		keep = t
	}
	return keep
}

func main() {
	scenarios := []string{"global", "heap", "return", "closure", "channel", "slice", "loop"}
	if len(os.Args) > 1 {
		scenarios = os.Args[1:]
	}
	for _, s := range scenarios {
		switch s {
		case "global":
			toGlobal()
			fmt.Println("global", global.v)
		case "heap":
			h := toHeap()
			fmt.Println("heap", h.p.v)
		case "return":
			a, b := mk(3), mk(4)
			fmt.Println("return", a.v+b.v)
		case "closure":
			c := counter()
			c()
			fmt.Println("closure", c())
		case "channel":
			ch := make(chan *T)
			go send(ch)
			fmt.Println("channel", (<-ch).v)
		case "slice":
			fmt.Println("slice", squares(5))
		case "loop":
			fmt.Println("loop", lastOf(4).v)
		}
	}
}
