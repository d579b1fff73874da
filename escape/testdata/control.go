package main

var sink *int

func loops(n int) int {
	total := 0
	var keep *int
	for i := 0; i < n; i++ {
		v := i
		keep = &v
	}
	for total < 100 {
		total += 10
	}
	for {
		total++
		if total > 200 {
			break
		}
	}
	_ = keep
	return total
}

func labels(n int) int {
	x := 0
outer:
	for i := 0; i < n; i++ {
		for j := 0; j < n; j++ {
			if j == 3 {
				continue outer
			}
			if i == 5 {
				break outer
			}
			x++
		}
	}
	return x
}

func gotoLoop(n int) *int {
	i := 0
	var last *int
loop:
	p := new(int)
	*p = i
	last = p
	i++
	if i < n {
		goto loop
	}
	return last
}

func gotoForward(n int) int {
	if n > 0 {
		goto done
	}
	n = -n
done:
	return n
}

func switches(x int, s string) int {
	switch {
	case x > 10:
		return 1
	case x < 0:
		fallthrough
	case x == 0:
		return 2
	}
	switch s {
	case "a", "b":
		return 3
	default:
	}
	switch y := x * 2; y {
	case 4:
		return y
	}
	return 0
}

func ifElse(a, b *int, c bool) *int {
	if c {
		return a
	} else if b != nil {
		return b
	} else {
		sink = a
	}
	if v := *a; v > 0 {
		return nil
	}
	return nil
}

func outerLoopVar() {
	var p *int
	for i := 0; i < 3; i++ {
		x := i
		p = &x
	}
	sink = nil
	_ = p
}

func main() {
	_ = loops(3)
	_ = labels(4)
	_ = gotoLoop(2)
	_ = gotoForward(1)
	_ = switches(1, "a")
	_ = ifElse(nil, nil, false)
	outerLoopVar()
}
