package main

import (
	"fmt"
	"strings"
)

type Shape interface {
	Area() float64
	Name() string
}

type Rect struct{ W, H float64 }
type Circle struct{ R float64 }

func (r Rect) Area() float64    { return r.W * r.H }
func (r Rect) Name() string      { return "rect" }
func (c *Circle) Area() float64 { return 3.0 * c.R * c.R }
func (c *Circle) Name() string   { return "circle" }

type Point struct {
	X, Y int
}

func (p Point) String() string { return fmt.Sprintf("(%d,%d)", p.X, p.Y) }

type Stack struct {
	items []int
}

func (s *Stack) Push(v int) { s.items = append(s.items, v) }
func (s *Stack) Pop() (int, bool) {
	if len(s.items) == 0 {
		return 0, false
	}
	v := s.items[len(s.items)-1]
	s.items = s.items[:len(s.items)-1]
	return v, true
}

func divmod(a, b int) (q, r int) {
	q = a / b
	r = a % b
	return
}

func counter() func() int {
	c := 0
	return func() int {
		c++
		return c
	}
}

func apply(xs []int, f func(int) int) []int {
	out := make([]int, 0, len(xs))
	for _, x := range xs {
		out = append(out, f(x))
	}
	return out
}

func describe(i interface{}) string {
	switch v := i.(type) {
	case nil:
		return "nil"
	case int:
		return fmt.Sprintf("int %d", v)
	case string:
		return "string " + v
	case []int:
		return fmt.Sprintf("slice of %d", len(v))
	case fmt.Stringer:
		return "stringer " + v.String()
	case error:
		return "error " + v.Error()
	default:
		return fmt.Sprintf("other %T", v)
	}
}

type Tree struct {
	Left, Right *Tree
	Val         int
}

func (t *Tree) Insert(v int) *Tree {
	if t == nil {
		return &Tree{Val: v}
	}
	if v < t.Val {
		t.Left = t.Left.Insert(v)
	} else {
		t.Right = t.Right.Insert(v)
	}
	return t
}

func (t *Tree) Walk(f func(int)) {
	if t == nil {
		return
	}
	t.Left.Walk(f)
	f(t.Val)
	t.Right.Walk(f)
}

const (
	A = iota
	B
	C
)

var global = map[string]int{"one": 1, "two": 2}
var gs []string

func init() {
	gs = append(gs, "init")
}

func main() {
	shapes := []Shape{Rect{2, 3}, &Circle{1}}
	total := 0.0
	for i, s := range shapes {
		fmt.Println(i, s.Name(), s.Area())
		total += s.Area()
	}
	fmt.Printf("total %.2f %v\n", total, total)

	p := Point{1, 2}
	fmt.Println(p, &p, []Point{{3, 4}, {5, 6}})
	fmt.Printf("%v %+v %d %s\n", p, p, p.X, p)

	st := &Stack{}
	for i := 0; i < 5; i++ {
		st.Push(i * i)
	}
	for {
		v, ok := st.Pop()
		if !ok {
			break
		}
		fmt.Print(v, " ")
	}
	fmt.Println()

	q, r := divmod(17, 5)
	fmt.Println("divmod", q, r)

	next := counter()
	next()
	next()
	fmt.Println("counter", next())

	sq := apply([]int{1, 2, 3, 4}, func(x int) int { return x * x })
	fmt.Println(sq, len(sq), cap(sq))

	fmt.Println(describe(nil), describe(42), describe("hi"), describe([]int{1, 2}), describe(p), describe(fmt.Errorf("bad %d", 7)), describe(3.5))

	var t *Tree
	for _, v := range []int{5, 3, 8, 1, 4, 9, 7} {
		t = t.Insert(v)
	}
	var sb strings.Builder
	t.Walk(func(v int) { fmt.Fprintf(&sb, "%d,", v) })
	fmt.Println(sb.String())

	m := map[string][]int{}
	words := strings.Fields("the quick brown fox jumps over the lazy dog the end")
	for i, w := range words {
		m[w] = append(m[w], i)
	}
	fmt.Println(len(m), m["the"], m)
	delete(m, "the")
	_, ok := m["the"]
	fmt.Println(ok, len(m))

	fmt.Println(A, B, C, global["two"], gs)

	arr := [5]int{1, 2, 3}
	sl := arr[1:4]
	sl[0] = 99
	fmt.Println(arr, sl, len(sl), cap(sl))
	b := []byte("hello")
	b[0] = 'H'
	fmt.Println(string(b), strings.ToUpper("abc"), strings.Repeat("-", 5))
	s := "héllo, 世界"
	for i, r := range s {
		fmt.Print(i, ":", string(r), " ")
	}
	fmt.Println(len(s), []rune(s)[1])
	x := 7
	px := &x
	*px += 3
	fmt.Println(x, *px)
	fmt.Printf("%5d|%-5d|%05d|%x|%X|%o|%b|%c|%q|%U\n", 42, 42, 42, 255, 255, 8, 5, 'A', 'B', 0x1F600)
	fmt.Printf("%8.3f|%-8.2f|%e|%g|%g|%g\n", 3.14159, 2.5, 123456.789, 1e21, 0.000012, 100.0)
	fmt.Printf("%s|%10s|%-10s|%q|%x\n", "go", "right", "left", "quo\"te", "hex")
	fmt.Printf("%v %v %v %v\n", []string{"a", "b"}, map[int]bool{2: true, 1: false}, struct{ A int }{5}, [2]bool{true})
	fmt.Printf("%T %T %T %T\n", p, &p, shapes, m)
	fmt.Printf("%d%%\n", 50)
	fmt.Println(1e6, 1e-7, 123456789.0, 0.1+0.2, float32(0.1), -0.0, 2.0/3.0)

	// Methods of calls' results (the front end evaluates each receiver into
	// a temporary first), twice in one argument list.
	fmt.Printf("%d %d\n", t.Insert(2).Insert(6).Val, (&Stack{}).Push2(1, 2).Len())
	fmt.Println(t.Insert(10).Right.Val, t.Insert(11).Insert(12).Val)
}

// Push2 pushes two values and returns the stack (calls chain on it).
func (s *Stack) Push2(a, b int) *Stack {
	s.Push(a)
	s.Push(b)
	return s
}

// Len is the number of values on the stack.
func (s *Stack) Len() int { return len(s.items) }
