package go_tests_fixes

import (
	"fmt"
	"unsafe"
)

// Found by running go 1.19's test/*.go "run" programs through gcflags_m.

// Package-level function literals are analysed where they are declared.
var early = func() chan *[4]int {
	c := make(chan *[4]int, 1)
	c <- new([4]int)
	return c
}()

// A shifted untyped constant takes its type from the context.
func shifts(val uint64, pos uint, s uint) (uint64, int32, uint64) {
	var j int32 = 1 << s
	k := uint64(1 << s)
	return val | 1<<uint(pos), j, k
}

// string(integer constant) is a constant.
const letter = string(rune('a' + 1))

func constStrings() string {
	s := string(rune(65))
	return s + string(rune(0x10FFFF+1)) + letter
}

// Offsetof through embedded fields is relative to the outer struct.
type In struct{ A, B int32 }
type Out struct {
	X int64
	In
}

func offsets() {
	var o Out
	if unsafe.Offsetof(o.B) != 12 {
		panic("unsafe.Offsetof(o.B) != 12")
	}
}

// (*T).M of a value method: a scalar receiver's empty tag leaks &t.
type Num int

func (n Num) Val() int { return int(n) }

type Str string

func (s Str) Val() int { return len(s) }

func methodExprs() int {
	var n Num
	var s Str
	return (*Num).Val(&n) + (*Str).Val(&s)
}

// Comparisons: interfaces either way, channel directions, untyped
// constants against interfaces, type literals in parentheses.
type I1 interface{ x() }
type I2 interface{ x() }

func compares(a I1, b I2, c chan int, d <-chan int, e any) bool {
	return a == b && c == d && 5 == e && (interface{}(nil) == e) && ([2]int{} == [2]int{})
}

// A tagless switch compares with true: an interface case is fine.
func tagless(b bool) string {
	switch i := interface{}(b); {
	case i:
		return fmt.Sprint(i)
	}
	return ""
}

// Blank methods and fields do not clash.
type Blank struct {
	_, _ int
}

func (Blank) _() {}
func (Blank) _() {}
