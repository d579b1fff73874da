package main

var sink func() int
var gp *int

func counter() func() int {
	n := 0
	return func() int {
		n++
		return n
	}
}

func byValue() int {
	x := 10
	f := func() int { return x }
	return f()
}

func calledDirectly() int {
	var u int
	*(func() *int { return &u }()) = 42
	return u
}

func storeClosure(k int) {
	big := [200]int{}
	sink = func() int { return k + big[0] }
}

func captureAddr() {
	v := 1
	p := &v
	func() {
		gp = p
	}()
}

func nested() int {
	a := 1
	f := func() func() int {
		b := 2
		return func() int { return a + b }
	}
	return f()()
}

func closureParam(f func(*int) *int) {
	x := 5
	_ = f(&x)
}

func loopClosures() []func() int {
	var fs []func() int
	for i := 0; i < 3; i++ {
		j := i
		fs = append(fs, func() int { return j })
	}
	return fs
}

func main() {
	_ = counter()
	_ = byValue()
	_ = calledDirectly()
	storeClosure(1)
	captureAddr()
	_ = nested()
	closureParam(func(p *int) *int { return p })
	_ = loopClosures()
}
