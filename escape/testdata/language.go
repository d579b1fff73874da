package language

import "fmt"

type T struct{ p *int }

func (t *T) Ptr() *int { return t.p }
func (t T) Val() *int  { return t.p }

type Getter interface{ Ptr() *int }

func methodExprs(t *T, v T) (*int, *int) {
	f := (*T).Ptr
	g := T.Val
	return f(t), g(v)
}

func ifaceMethodExpr(x Getter) *int {
	h := Getter.Ptr
	return h(x)
}

func localTypes(n int) any {
	type pair struct{ a, b *int }
	type list []*pair
	x, y := n, n+1
	p := &pair{&x, &y}
	l := list{p}
	return l
}

func complexes(a, b float64) (float64, any) {
	c := complex(a, b)
	var d complex64 = 1 + 2i
	e := c * c
	return real(e) + imag(c), d
}

func two() (*int, *T) { return nil, nil }
func takeTwo(a *int, b *T) *T { return b }
func takeVariadic(xs ...any) int { return len(xs) }

func multiValue() *T {
	takeVariadic(two())
	fmt.Println(two())
	return takeTwo(two())
}

func anonStructs() any {
	s := struct {
		name string
		p    *int
	}{"a", nil}
	ps := &struct{ n int }{1}
	arr := []struct{ x, y int }{{1, 2}, {3, 4}}
	_ = arr
	_ = ps
	return s
}

func labels(xs []*int) (found *int) {
	i := 0
loop:
	if i < len(xs) {
		v := 0
		if xs[i] != nil {
			found = &v
			goto done
		}
		i++
		goto loop
	}
done:
	return
}

func labeledBreak(m [][]*int) *int {
outer:
	for _, row := range m {
		for _, p := range row {
			if p == nil {
				continue outer
			}
			if *p > 0 {
				break outer
			}
		}
	}
	return nil
}
