package generics_dict

type Stringer interface{ String() string }

func Str[T Stringer](x T) string { return x.String() }

func Box[T any](x T) any { return x }

func Cmp[T comparable](a, b T) bool { return a == b }

type S struct{ a *int }

func (s S) String() string { return "" }

type P struct{ a, b, c int }

func (p *P) String() string { return "" }

type List[T any] struct {
	next *List[T]
	val  T
}

func (l *List[T]) Push(v T) *List[T] {
	return &List[T]{next: l, val: v}
}

func (l *List[T]) Each(f func(T)) {
	for n := l; n != nil; n = n.next {
		f(n.val)
	}
}

func Filter[T any](xs []T, keep func(T) bool) []T {
	var out []T
	for _, x := range xs {
		if keep(x) {
			out = append(out, x)
		}
	}
	return out
}

func Apply[T any](xs []T) []T {
	return Filter(xs, func(T) bool { return true })
}

func use() {
	_ = Str(S{})
	_ = Str(&P{})
	_ = Box(S{})
	_ = Box(3)
	_ = Box(&P{})
	_ = Cmp(1, 2)
	_ = Cmp("a", "b")
	var l *List[int]
	l = l.Push(1)
	l.Each(func(int) {})
	_ = Apply([]string{"a"})
}
