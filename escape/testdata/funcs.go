package main

type Tree struct {
	Left, Right *Tree
	Val         int
}

var table = map[string]int{"a": 1}
var counter int
var names = []string{"x", "y"}

const (
	A = iota
	B
	C
)

func sum(xs ...int) int {
	t := 0
	for _, x := range xs {
		t += x
	}
	return t
}

func first(ps ...*int) *int {
	if len(ps) > 0 {
		return ps[0]
	}
	return nil
}

func keep(ps ...*int) {
	for _, p := range ps {
		counterPtr = p
	}
}

var counterPtr *int

func insert(t *Tree, v int) *Tree {
	if t == nil {
		return &Tree{Val: v}
	}
	if v < t.Val {
		t.Left = insert(t.Left, v)
	} else {
		t.Right = insert(t.Right, v)
	}
	return t
}

func even(n int, p *int) bool {
	if n == 0 {
		return true
	}
	return odd(n-1, p)
}

func odd(n int, p *int) bool {
	if n == 0 {
		counterPtr = p
		return false
	}
	return even(n-1, p)
}

func pair() (int, *Tree) {
	return 1, &Tree{}
}

func usePair() int {
	n, t := pair()
	return n + t.Val
}

func bigAllocs(n int) int {
	a := new([100000]int)
	b := &[10]int{}
	c := make([]byte, 70000)
	d := make([]byte, 100)
	e := make([]int, n, 10)
	return len(a) + len(b) + len(c) + len(d) + len(e)
}

func swap(a, b *int) (*int, *int) {
	return b, a
}

func deepLeak(t *Tree) **Tree {
	return &t.Left
}

func main() {
	x, y := 1, 2
	_ = sum(1, 2, 3)
	_ = sum([]int{4, 5}...)
	_ = first(&x, &y)
	keep(&x)
	var root *Tree
	root = insert(root, 3)
	_ = even(4, &y)
	_ = usePair()
	_ = bigAllocs(3)
	_, _ = swap(&x, &y)
	_ = deepLeak(root)
	_ = table
	_ = names
	counter = A + B + C
}
