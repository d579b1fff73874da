package main

import "fmt"

type Res struct {
	name string
}

func (r *Res) Close() {}

func worker(p *int, ch int) {}

func spawn(n int) {
	x := n
	go worker(&x, 1)
	y := 2
	go func() {
		y++
	}()
	z := 3
	go func(v int) {
		_ = v
	}(z)
}

func deferSimple() int {
	r := &Res{name: "a"}
	defer r.Close()
	v := 1
	defer fmt.Println(v)
	defer func() {
		v++
	}()
	return v
}

func deferLoop(n int) {
	for i := 0; i < n; i++ {
		r := &Res{}
		defer r.Close()
		defer func() {}()
	}
}

func recovering() (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("recovered: %v", r)
		}
	}()
	panic("boom")
}

func panics(p *Res) {
	if p == nil {
		panic(fmt.Sprint("nil res"))
	}
	panic(p)
}

func main() {
	spawn(1)
	_ = deferSimple()
	deferLoop(2)
	_ = recovering()
	panics(&Res{})
}
