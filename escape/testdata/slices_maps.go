package main

type Item struct {
	Key string
	Val *int
}

var gslice []*int
var gmap map[string]*Item

func appendLocal() int {
	s := make([]int, 0, 8)
	for i := 0; i < 8; i++ {
		s = append(s, i)
	}
	return len(s)
}

func appendPtr(p *int) []*int {
	s := []*int{}
	s = append(s, p)
	return s
}

func appendGlobal(x int) {
	gslice = append(gslice, &x)
}

func appendSpread(a, b []*int) []*int {
	return append(a, b...)
}

func copySlices(dst, src []*int) int {
	return copy(dst, src)
}

func copyBytes(dst []byte, s string) int {
	return copy(dst, s)
}

func sliceOps(arr [8]int) int {
	s := arr[2:5]
	t := s[1:2:3]
	return len(t) + cap(s)
}

func sliceEscape() []int {
	var arr [4]int
	return arr[:]
}

func maps(k string, v *Item) int {
	m := make(map[string]*Item)
	m[k] = v
	if it, ok := m["x"]; ok {
		_ = it
	}
	delete(m, k)
	m2 := map[int]string{1: "a", 2: "b"}
	return len(m) + len(m2)
}

func mapGlobal(k string, v int) {
	gmap[k] = &Item{Key: k, Val: &v}
}

func rangeSlice(s []*Item) *int {
	for _, it := range s {
		if it.Val != nil {
			return it.Val
		}
	}
	return nil
}

func rangeMap(m map[string]int) int {
	t := 0
	for k, v := range m {
		t += len(k) + v
	}
	return t
}

func rangeArrayPtr(a *[4]*int) *int {
	for i := range a {
		if i == 2 {
			return a[i]
		}
	}
	return nil
}

func rangeString(s string) int {
	n := 0
	for i, r := range s {
		n += i + int(r)
	}
	return n
}

func byteConv(s string) string {
	b := []byte(s)
	b[0] = 'x'
	r := []rune(s)
	_ = r
	return string(b)
}

func concat(a, b string) string {
	c := a + b
	d := a + "-" + b + c
	return d
}

func literals() int {
	arr := [...]int{1, 2, 3}
	s := []Item{{Key: "a"}, {Key: "b"}}
	ps := []*Item{{Key: "c"}}
	m := map[string][]int{"a": {1, 2}}
	return len(arr) + len(s) + len(ps) + len(m)
}

func nested2D(n int) [][]int {
	g := make([][]int, n)
	for i := range g {
		g[i] = make([]int, n)
	}
	return g
}

func main() {
	_ = appendLocal()
	_ = appendPtr(nil)
	appendGlobal(1)
	_ = appendSpread(nil, nil)
	_ = copySlices(nil, nil)
	_ = copyBytes(nil, "x")
	_ = sliceOps([8]int{})
	_ = sliceEscape()
	_ = maps("a", nil)
	mapGlobal("k", 1)
	_ = rangeSlice(nil)
	_ = rangeMap(nil)
	_ = rangeArrayPtr(nil)
	_ = rangeString("abc")
	_ = byteConv("abc")
	_ = concat("a", "b")
	_ = literals()
	_ = nested2D(3)
}
