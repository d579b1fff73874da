package go_tests_more

import "unsafe"

// Found by running go 1.19's test/*.go programs through gcflags_m.

// Builtins given a multi-value call: f(g()) goes through temporaries.
func pair() ([]*int, *int)   { return nil, new(int) }
func bytesPair() ([]byte, string) { return nil, "x" }
func two() (float64, float64) { return 1, 2 }

func spread() ([]*int, int, complex128) {
	s := append(pair())
	n := copy(bytesPair())
	println(two())
	return s, n, complex(two())
}

// "case v, ok = <-c" assigns the received value as is.
type Reader interface{ Read() int }
type file struct{ n int }

func (f *file) Read() int { return f.n }

func selectAssign(c chan *file, d <-chan int) (Reader, bool) {
	var r Reader
	var ok bool
	var n int
	select {
	case r, ok = <-c:
	case (n) = <-d:
		_ = n
	case _, ok = (<-c):
	}
	return r, ok
}

// Parameters and fields spelled "name [n]E" and "name []E"; embedded
// instantiated generic types.
const size = 4

type Pair[K comparable, V any] struct {
	k K
	v V
}

type holder struct {
	a [size]*int
	b []*int
	Pair[string, *int]
}

func fields(a [size]*int, b []*int, h *holder) *int {
	h.a = a
	h.b = b
	return h.v
}

func instParam(p Pair[int, *int], q *Pair[string, *int]) *int { return q.v }

// Labels on empty statements, and the blank label.
func labels(n int) int {
L:
	;
	if n > 0 {
		n--
		goto L
	}
_:
	for i := 0; i < 3; i++ {
	}
_:
	return n
}

// len of an array is constant only if nothing in the operand calls or
// receives; new(T) counts.
var arrLen = len(new([3]int))
var arrLenConst = len([5]int{})

func lens(p *[4]*int) (int, int) {
	return len(*p), len(*new([8]int))
}

// A method expression of an instantiated generic type has the instance's
// signature.
type Box[T any] struct{ v T }

func (b Box[T]) Get() T { return b.v }
func (b *Box[T]) Set(v T) { b.v = v }

func methodExprs(b Box[*int], p *int) *int {
	set := (*Box[*int]).Set
	set(&b, p)
	return Box[*int].Get(b)
}

// A blank assignment through parentheses.
func parenBlank(p *int) {
	(_) = p
	_, (_) = p, p
}

// Directional channels from bidirectional ones.
func chans(c chan *int) (<-chan *int, chan<- *int) {
	var r <-chan *int
	r = c
	return r, c
}

var _ = unsafe.Sizeof(0)
