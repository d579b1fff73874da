package main

import "fmt"

type Animal interface {
	Sound() string
}

type Dog struct{ name string }

func (d *Dog) Sound() string { return d.name }

type Cat struct{ lives int }

func (c Cat) Sound() string { return "meow" }

type Pair struct {
	a, b *int
	next *Pair
}

var sink any
var ps *Pair

func devirt() string {
	var a Animal = &Dog{name: "rex"}
	var c Animal = Cat{lives: 9}
	return a.Sound() + c.Sound()
}

func selfAssign(p *Pair, s []int) {
	p.a = p.a
	p.next = p.next
	s = s[1:]
	_ = s
}

func explicitConv(x int, r rune, f float64) {
	sink = any(x)
	sink = interface{}(f)
	sink = Animal(&Dog{})
	s := string(r)
	sink = s
	n := float32(f) + 1
	sink = n
}

func ifaceMethodValue(a Animal) func() string {
	return a.Sound
}

func switchLabels(xs []int) int {
	total := 0
loop:
	for _, x := range xs {
		switch {
		case x < 0:
			break loop
		case x == 0:
			continue
		}
		total += x
	}
	return total
}

func multiType(v any) int {
	switch t := v.(type) {
	case int, int64:
		sink = t
		return 1
	case *Pair:
		ps = t
		return 2
	}
	return 0
}

func structCopy(p Pair) *int {
	q := p
	return q.a
}

func arrayOfPtrs(x, y int) [2]*int {
	return [2]*int{&x, &y}
}

func closureReassigned() func() int {
	n := 1
	f := func() int { return n }
	n = 2
	return f
}

func printLocal() {
	v := Pair{}
	fmt.Println(v.a, len("abc"))
	fmt.Printf("%d %s\n", 1, "x")
}

func main() {
	_ = devirt()
	selfAssign(&Pair{}, nil)
	explicitConv(1, 'a', 2.5)
	_ = ifaceMethodValue(Cat{})
	_ = switchLabels([]int{1, -1})
	_ = multiType(3)
	_ = structCopy(Pair{})
	_ = arrayOfPtrs(1, 2)
	_ = closureReassigned()
	printLocal()
}
