package main

import (
	"errors"
	"fmt"
	"math"
)

type P struct {
	X, Y int
	Name string
	in   int
}

type S struct {
	A []int
	M map[string]float64
	P *P
	E error
	I interface{}
}

type Color int

func (c Color) String() string { return [...]string{"red", "green"}[c] }

type Wrapper struct{ C Color }

func main() {
	ints := []int64{0, 1, -1, 42, -42, 255, 1 << 40, math.MaxInt64, math.MinInt64}
	for _, v := range ints {
		fmt.Printf("[%d|%5d|%-5d|%05d|%+d|% d|%x|%X|%#x|%o|%#o|%b|%08.3d|%.0d]\n", v, v, v, v, v, v, v, v, v, v, v, v, v, v)
	}
	us := []uint64{0, 7, math.MaxUint64}
	for _, v := range us {
		fmt.Printf("[%d|%x|%#v|%v]\n", v, v, v, v)
	}
	floats := []float64{0, 1, -1, 0.1, 1.0 / 3, 2.5, 1e6, 1e21, 1e-5, 123456.789, -0.000123, math.Inf(1), math.Inf(-1), math.NaN(), 100, 1e20, 12345678, 5e-324, math.MaxFloat64}
	for _, f := range floats {
		fmt.Printf("[%v|%g|%e|%E|%f|%.2f|%8.3f|%-8.1f|%+.1e|%G|%.3g|%#g|%08.2f|% f]\n", f, f, f, f, f, f, f, f, f, f, f, f, f, f)
	}
	fmt.Println(float32(0.1), float32(1e10), float32(3.4e38), float32(1)/3, 1.0/3)
	fmt.Printf("%v %v\n", float32(2.5), float32(1e-7))
	strs := []string{"", "hello", "tab\there", "quote\"d", "üñí©ødé", "\x00\x7f", "`raw`"}
	for _, s := range strs {
		fmt.Printf("[%s|%q|%v|%x|% x|%X|%10s|%-10s|%.3s|%#q|%+q]\n", s, s, s, s, s, s, s, s, s, s, s)
	}
	runes := []rune{'a', 'Z', '0', '\n', 'é', '世', 0x1F600, -1}
	for _, r := range runes {
		fmt.Printf("[%c|%q|%U|%#U|%d|%x]\n", r, r, r, r, r, r)
	}
	n := 5
	p := P{1, 2, "pt", n}
	fmt.Printf("%v\n%+v\n", p, p)
	fmt.Printf("%v %+v\n", &p == nil, []P{{3, 4, "q", 0}})
	s := S{A: []int{1, 2}, M: map[string]float64{"b": 2, "a": 1.5}, P: &P{X: 9}, E: errors.New("boom"), I: 42}
	fmt.Printf("%v\n", s.A)
	fmt.Printf("%v %v %v %v\n", s.M, s.E, s.I, s.P.X)
	fmt.Printf("%+v\n", S{})
	fmt.Println(Color(1), Wrapper{0}, []Color{0, 1}, map[Color]int{1: 2})
	fmt.Printf("%d %s %v %q\n", Color(1), Color(0), Color(1), Color(0))
	fmt.Printf("%t %v %5t|%-6t|\n", true, false, true, false)
	fmt.Printf("%v %v %v\n", []byte("hi"), [3]byte{1, 2, 3}, []string(nil))
	fmt.Printf("%s %x %X %q\n", []byte("bytes"), []byte("bytes"), []byte{0xab, 0xcd}, []byte("q"))
	fmt.Printf("%v|%d|%s\n", nil, nil, nil)
	var e error
	var ip *int
	fmt.Printf("%v %v %T %T\n", e, ip, e, ip)
	fmt.Printf("%T %T %T %T %T %T\n", 1, "s", 1.5, []interface{}{}, map[string][]int{}, struct{ A, B int }{})
	fmt.Printf("%d %d\n", 1)
	fmt.Printf("%d\n", 1, 2)
	fmt.Printf("%z %!\n", 3)
	fmt.Printf("%s %d\n", 5, "x")
	fmt.Printf("%*d|%-*d|%.*f\n", 5, 1, 4, 2, 2, 3.14159)
	fmt.Printf("100%%\n")
	fmt.Print("a", "b", 1, 2, "c", 3.5, nil, "\n")
	fmt.Print(1, 2, "\n")
	fmt.Println("a", 1, true, nil, 'x', []int(nil), map[int]int(nil))
	str := fmt.Sprint("x", 1, 2, "y") + fmt.Sprintln("end", 3)
	fmt.Print(str)
	fmt.Println(fmt.Sprintf("%6.2f%%", 12.3456), fmt.Sprintf("%x", "hi"), fmt.Sprintf("%v", [][]int{{1}, {2, 3}}))
	err := fmt.Errorf("wrap: %w", errors.New("inner"))
	fmt.Println(err, errors.Unwrap(err))
	fmt.Printf("%v %s\n", err, err)
	fmt.Printf("%08.3f|%-08.3f|%+08d|%x|%X\n", -3.14159, 3.14159, 42, -255, "Zz")
	fmt.Printf("%6.2v|%.0f|%.1f|%.1f|%.1f\n", 3.14159, 2.5, 0.25, 0.35, 1.05)
	fmt.Printf("%e %g %g %g\n", 0.0, 1e-4, 1e-5, 1234567.0)
}
