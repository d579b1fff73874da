package main

import (
	"fmt"
	"os"
	"runtime"
	"sort"
	"strconv"
	"strings"
)

type Animal interface {
	Sound() string
}

type Base struct{ Name string }

func (b Base) Hello() string   { return "hello " + b.Name }
func (b *Base) Rename(n string) { b.Name = n }

type Dog struct {
	Base
	Age int
}

func (d Dog) Sound() string { return d.Name + " says woof" }

type Cat struct {
	*Base
	Lives int
}

func (c Cat) Sound() string { return c.Name + " says meow" }

type Key struct {
	A string
	B int
}

type Matrix [3][3]int

func (m *Matrix) Mul(o *Matrix) Matrix {
	var r Matrix
	for i := 0; i < 3; i++ {
		for j := 0; j < 3; j++ {
			for k := 0; k < 3; k++ {
				r[i][j] += m[i][k] * o[k][j]
			}
		}
	}
	return r
}

type ByLen []string

func (s ByLen) Len() int           { return len(s) }
func (s ByLen) Less(i, j int) bool { return len(s[i]) < len(s[j]) }
func (s ByLen) Swap(i, j int)      { s[i], s[j] = s[j], s[i] }

type Celsius float64

func (c Celsius) String() string { return strconv.FormatFloat(float64(c), 'f', 1, 64) + "C" }

type Weekday int

const (
	Sunday Weekday = iota
	Monday
	Tuesday
)

func (d Weekday) String() string { return [...]string{"Sun", "Mon", "Tue"}[d] }

func variadic(prefix string, nums ...int) string {
	parts := make([]string, len(nums))
	for i, n := range nums {
		parts[i] = strconv.Itoa(n)
	}
	return prefix + strings.Join(parts, "+")
}

func fib() func() int {
	a, b := 0, 1
	return func() int {
		r := a
		a, b = b, a+b
		return r
	}
}

func main() {
	d := Dog{Base{"rex"}, 3}
	c := Cat{&Base{"tom"}, 9}
	animals := []Animal{d, c, &d}
	for _, a := range animals {
		fmt.Println(a.Sound())
	}
	fmt.Println(d.Hello(), c.Hello())
	d.Rename("max")
	c.Rename("felix")
	fmt.Println(d.Name, c.Name, d.Base.Name)
	hello := d.Hello
	d.Rename("changed")
	fmt.Println(hello(), d.Hello())
	sound := Animal.Sound
	fmt.Println(sound(c))

	m := map[Key]int{}
	m[Key{"a", 1}]++
	m[Key{"a", 1}]++
	m[Key{"b", 2}] = 7
	fmt.Println(m[Key{"a", 1}], m[Key{"b", 2}], len(m))
	mi := map[interface{}]string{1: "int", "1": "string", 1.5: "float"}
	fmt.Println(mi[1], mi["1"], mi[1.5], len(mi))

	var a, b Matrix
	for i := 0; i < 3; i++ {
		for j := 0; j < 3; j++ {
			a[i][j] = i + j
			b[i][j] = i * j
		}
	}
	fmt.Println(a.Mul(&b))

	words := []string{"banana", "kiwi", "apple", "fig", "cherry"}
	sort.Sort(ByLen(words))
	fmt.Println(words)
	sort.Strings(words)
	fmt.Println(words, sort.SearchInts([]int{1, 3, 5, 7}, 5))
	nums := []int{5, 2, 8, 1, 9, 3}
	sort.Ints(nums)
	fmt.Println(nums)

	fmt.Println(Celsius(21.5), Tuesday, []Weekday{Sunday, Monday})
	fmt.Printf("%v %d %s\n", Monday, Monday, Celsius(-3))
	fmt.Println(variadic("sum:", 1, 2, 3), variadic("none:"), variadic("s:", nums[:2]...))

	f := fib()
	var fs []int
	for i := 0; i < 10; i++ {
		fs = append(fs, f())
	}
	fmt.Println(fs)

	var funcs []func() int
	for i := 0; i < 3; i++ {
		j := i
		funcs = append(funcs, func() int { return j * 10 })
	}
	for _, fn := range funcs {
		fmt.Print(fn(), " ")
	}
	fmt.Println()

outer:
	for i := 0; i < 4; i++ {
		for j := 0; j < 4; j++ {
			if j == 2 {
				continue outer
			}
			if i == 3 {
				break outer
			}
			fmt.Print(i, j, ";")
		}
	}
	fmt.Println()

	switch x := 5; {
	case x > 3:
		fmt.Println("big")
		fallthrough
	case x > 1:
		fmt.Println("medium")
	case x > 0:
		fmt.Println("small")
	default:
		fmt.Println("none")
	}
	i := 0
loop:
	if i < 3 {
		fmt.Print("goto", i, " ")
		i++
		goto loop
	}
	fmt.Println()

	var u8 uint8 = 250
	u8 += 10
	var i8 int8 = 127
	i8++
	var u uint = 7
	fmt.Println(u8, i8, u/2, -7/2, -7%2, 1<<10, 0xff&^0x0f, ^5, uint32(1)<<31)
	x := 1.0
	for i := 0; i < 3; i++ {
		x /= 3
	}
	y := 2.9
	fmt.Println(x, int(y), int(-y), float32(1)/3)

	grid := make([][]rune, 3)
	for i := range grid {
		grid[i] = []rune(strings.Repeat(".", 4))
	}
	grid[1][2] = '#'
	for _, row := range grid {
		fmt.Println(string(row))
	}

	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	fmt.Println(ms.NumGC > 0, ms.TotalAlloc > 0, ms.Mallocs > 0)

	s := "a,b,,c"
	fmt.Printf("%q %q %q\n", strings.Split(s, ","), strings.Fields(" x  y "), strings.TrimSpace("  t  "))
	fmt.Println(strings.Contains(s, ",,"), strings.Index(s, "c"), strings.Replace(s, ",", ";", 2),
		strings.HasPrefix(s, "a,"), strings.Title("hello world"), strings.Count("cheese", "e"))
	n, err := strconv.ParseInt("ff", 16, 64)
	fmt.Println(n, err, strconv.Quote("a\tb"), strconv.FormatInt(-255, 2))
	if len(os.Args) > 1 {
		os.Exit(3)
	}
	defer fmt.Println("not printed by os.Exit")
	os.Exit(0)
}
