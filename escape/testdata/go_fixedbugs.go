package go_fixedbugs

import "unsafe"

// Found by running go 1.19's test/fixedbugs programs through gcflags_m.

var callback func()

//go:uintptrescapes
func keep(ptr uintptr) { callback() }

//go:uintptrescapes
func keepAll(ptrs ...uintptr) { callback() }

func useKeep(p unsafe.Pointer, q *int) {
	keep(uintptr(p))
	keepAll(uintptr(unsafe.Pointer(q)))
}

// A callee or receiver that calls something goes through a temporary.
type TT int

func (t TT) a(s string) TT     { return t }
func (TT) b(s string) string   { return s }
func getF() func(*int) *int    { return nil }
func chained(t TT, p *int) any { return t.a("1").a(t.b("2")).b("3") + (*Box)(getF()(p)).String() }

func (p *Box) String() string { return "" }

type Box int

// []rune of a constant is a slice literal; named byte elements convert.
type MyByte byte

func runes(mb []MyByte) (int, string) {
	r := []rune("héllo")
	return len(r), string(mb)
}

// Results converted by a typed multi-value declaration.
func two(x []int) ([]int, int) { return x, 1 }

func typedDecl(s []int) any {
	var h, _ interface{} = two(s)
	return h
}

// A blank package-level variable without side effects is discarded.
var _ = map[string]*[2]int{"a": {1, 2}}

// A variable captured by a closure has no static value inside it.
func captured() {
	fn := func(name string) {}
	func(names ...string) {
		for _, name := range names {
			fn(name)
		}
	}("one", "two")
}

// A go statement's big argument is captured by reference.
type Big [20]int

func consume(c chan int, b Big) { c <- b[0] }

func goBig(c chan int, b Big) {
	go consume(c, b)
}

// Blank parameters of a function without a body are named "_".
func external(_ interface{}, e error)
