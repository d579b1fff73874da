package main

type Shape interface {
	Area() int
	Scale(k int)
}

type Rect struct {
	W, H int
}

func (r *Rect) Area() int    { return r.W * r.H }
func (r *Rect) Scale(k int)  { r.W *= k; r.H *= k }

type Circle struct{ R int }

func (c Circle) Area() int    { return 3 * c.R * c.R }
func (c Circle) Scale(k int)  {}

type Stringer interface {
	String() string
}

type Name string

func (n Name) String() string { return string(n) }

var gs Shape
var ga any

func total(shapes []Shape) int {
	t := 0
	for _, s := range shapes {
		t += s.Area()
	}
	return t
}

func makeShapes(n int) []Shape {
	r := &Rect{W: n, H: n}
	c := Circle{R: n}
	return []Shape{r, c}
}

func assert(x any) int {
	if r, ok := x.(*Rect); ok {
		return r.W
	}
	c := x.(Circle)
	return c.R
}

func kind(x interface{}) string {
	switch v := x.(type) {
	case nil:
		return "nil"
	case int:
		return "int"
	case *Rect:
		gs = v
		return "rect"
	case Circle, Name:
		return "other"
	default:
		_ = v
		return "unknown"
	}
}

func boxing(i int, s string, p *int) {
	var a any = i
	var b interface{} = s
	var c any = p
	ga = a
	_ = b
	_ = c
}

func compare(a any, n int) bool {
	return a == n
}

func callIface(s Shape) int {
	s.Scale(2)
	return s.Area()
}

func main() {
	_ = total(makeShapes(2))
	_ = assert(Circle{})
	_ = kind(3)
	boxing(1, "a", nil)
	_ = compare(1, 1)
	_ = callIface(&Rect{})
	var st Stringer = Name("x")
	_ = st.String()
}
