package main

const N = 4
const big = 1 << 20

var global *int
var gi interface{}

type Point struct {
	X, Y int
}

type Box struct {
	P    *Point
	Name string
}

func newInt() *int {
	x := 42
	return &x
}

func localOnly() int {
	p := new(int)
	*p = 3
	q := &Point{1, 2}
	return *p + q.X
}

func storeGlobal(p *int) {
	global = p
}

func identity(p *int) *int {
	return p
}

func deref(pp **int) *int {
	return *pp
}

func fieldOf(b *Box) *Point {
	return b.P
}

func conversions(a int32, f float64, u uint8) int64 {
	var x int64 = int64(a) + int64(f) + int64(u)
	var b byte = 'a'
	var r rune = 'b'
	var up uintptr = 7
	return x + int64(b) + int64(r) + int64(up)
}

func multi(a, b *int, c int) (x, y *int) {
	x = b
	y = a
	return
}

func unnamed(*int, int) {}

func arrays() int {
	var arr [N]int
	arr[1] = 2
	bg := make([]int, big)
	small := make([]int, 10)
	var huge [big * 16]byte
	huge[0] = 1
	return arr[1] + len(bg) + len(small) + int(huge[0])
}

func addrOfParam(p Point) *Point {
	return &p
}

func opAssign(n int) int {
	s := 0
	s += n
	s -= 1
	s *= 2
	s <<= 1
	s++
	s--
	return s
}

func boxes(n int) *Box {
	b := &Box{Name: "x"}
	pts := make([]Point, n)
	_ = pts
	b.P = &Point{X: n}
	return b
}

func main() {
	p := newInt()
	storeGlobal(identity(p))
	var q *int = newInt()
	r := &q
	_ = deref(r)
	_ = fieldOf(&Box{})
	_ = localOnly()
	_, _ = multi(p, q, 1)
	unnamed(nil, 1)
	_ = arrays()
	_ = addrOfParam(Point{})
	_ = opAssign(3)
	_ = conversions(1, 2, 3)
	_ = boxes(2)
}
