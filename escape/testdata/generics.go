package generics

type Number interface {
	~int | ~int64 | ~float64
}

func Sum[T Number](xs []T) T {
	var s T
	for _, x := range xs {
		s += x
	}
	return s
}

func Ptr[T any](x T) *T {
	return &x
}

func Keep[T any](x T) T {
	return x
}

type Box[T any] struct {
	v T
}

func (b *Box[T]) Get() T   { return b.v }
func (b *Box[T]) Set(v T)  { b.v = v }
func (b Box[T]) Copy() *T  { return &b.v }

func NewBox[T any](v T) *Box[T] {
	return &Box[T]{v: v}
}

type Pair[K comparable, V any] struct {
	k K
	v V
}

func MakePairs[K comparable, V any](m map[K]V) []Pair[K, V] {
	out := make([]Pair[K, V], 0, len(m))
	for k, v := range m {
		out = append(out, Pair[K, V]{k, v})
	}
	return out
}

func Map[T, U any](xs []T, f func(T) U) []U {
	out := make([]U, len(xs))
	for i, x := range xs {
		out[i] = f(x)
	}
	return out
}

type Stringer interface{ String() string }

func Str[T Stringer](x T) string { return x.String() }

type S struct{ a *int }

func (s S) String() string { return "" }

func use() {
	_ = Sum([]int{1, 2, 3})
	_ = Sum([]float64{1, 2})
	p := Ptr(3)
	_ = p
	q := Ptr("x")
	_ = q
	y := 5
	_ = Keep(&y)
	b := NewBox(4)
	b.Set(5)
	_ = b.Get()
	var bb Box[string]
	bb.Set("a")
	_ = bb.Copy()
	_ = MakePairs(map[string]int{"a": 1})
	_ = Map([]int{1}, func(i int) string { return "" })
	_ = Str(S{})
	_ = Str[S](S{})
	_ = Sum[int64](nil)
}
