package frontend_fixes

import (
	"fmt"
	"strings"
	"sync"
)

const N = 4
const Big = 1 << 20

type Buf [N]*int

type Grid [N * 2][N]byte

func first(b [N]*int) *int { return b[0] }

func cells(g *Grid) []byte { return g[0][:] }

func nilcmp(s []int, m map[string]int, f func() int) bool {
	return s == nil || m != nil || f == nil
}

func literals() (int, float64, complex128) {
	a := 0o17 + 0b101 + 0x_1F + 1_000
	b := 0x1p-2 + 0x1.8p1 + 1e3
	c := 3i + 2.5i
	return a, b, c
}

func noBody(p *int, u uintptr, s []string) *int

//go:noescape
func noBodyNoEscape(p *int) int

func builder(parts []string) string {
	var b strings.Builder
	for _, p := range parts {
		b.WriteString(p)
	}
	var mu sync.RWMutex
	mu.RLock()
	defer mu.RUnlock()
	return b.String()
}

func nested(s string) {
	fmt.Println(strings.ToUpper(s), strings.Repeat(s, 2))
}

func convs(a, b int, m map[string]any, s string) (any, any) {
	fmt.Println(a, b)
	m["k"] = a
	m[s] = &b
	if a > 0 {
		panic("x" + s)
	}
	return a, b
}

func swap(s []*int, t *[2]*int) {
	s[0], s[1] = s[1], s[0]
	t[0], t[1] = t[1], t[0]
}

func folded(n int) ([]byte, []byte, []byte) {
	return make([]byte, 1<<20), make([]byte, Big), make([]byte, n*2+1)
}

func typeSwitch(x any) *int {
	switch y := x.(type) {
	case int:
		return &y
	case string, []byte:
		_ = y
	}
	return nil
}

type Base struct{ n *int }

func (b *Base) Inc() *int { return b.n }

type Derived struct {
	Base
	name string
}

type Incer interface{ Inc() *int }

func promoted() *int {
	var i Incer = &Derived{}
	return i.Inc()
}

func methodValue(d *Derived) func() *int {
	f := d.Inc
	return f
}

var café int

func unicodeNames(ñ *int) *int {
	Σ := ñ
	café++
	return Σ
}
