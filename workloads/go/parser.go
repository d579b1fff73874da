// A tokenizer and recursive-descent parser over generated program text:
// "let x = (a + 3) * max(b, 7) - c / 2;" and "print x;" statements are
// scanned into tokens (substrings of the source), parsed into ASTs and
// evaluated. The lexer, the parser state, the token buffer of a statement
// and the evaluator's argument lists are temporaries that Go's escape
// analysis keeps on the stack; the ASTs and the environment are on the heap.
// Usage: parser [statements] (default 20000)
package main

import (
	"fmt"
	"os"
	"strconv"
	"strings"
)

const (
	tEOF = iota
	tIdent
	tNumber
	tOp
	tLParen
	tRParen
	tComma
	tSemi
	tAssign
	tKeyword
)

type Token struct {
	Kind int
	Text string
	Pos  int
}

type Lexer struct {
	src string
	pos int
}

func isLetter(c byte) bool { return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == '_' }
func isDigit(c byte) bool  { return c >= '0' && c <= '9' }

func (l *Lexer) next() Token {
	for l.pos < len(l.src) && (l.src[l.pos] == ' ' || l.src[l.pos] == '\n' || l.src[l.pos] == '\t') {
		l.pos++
	}
	if l.pos >= len(l.src) {
		return Token{Kind: tEOF, Pos: l.pos}
	}
	start := l.pos
	c := l.src[l.pos]
	switch {
	case isLetter(c):
		for l.pos < len(l.src) && (isLetter(l.src[l.pos]) || isDigit(l.src[l.pos])) {
			l.pos++
		}
		text := l.src[start:l.pos]
		if text == "let" || text == "print" {
			return Token{tKeyword, text, start}
		}
		return Token{tIdent, text, start}
	case isDigit(c):
		for l.pos < len(l.src) && isDigit(l.src[l.pos]) {
			l.pos++
		}
		return Token{tNumber, l.src[start:l.pos], start}
	}
	l.pos++
	kind := tOp
	switch c {
	case '(':
		kind = tLParen
	case ')':
		kind = tRParen
	case ',':
		kind = tComma
	case ';':
		kind = tSemi
	case '=':
		kind = tAssign
	}
	return Token{kind, l.src[start:l.pos], start}
}

type Expr struct {
	Op    byte // 'n' number, 'v' variable, 'c' call, or an operator
	Num   int
	Name  string
	Left  *Expr
	Right *Expr
	Args  []*Expr
}

type Parser struct {
	toks []Token
	i    int
	err  error
}

func (p *Parser) peek() Token { return p.toks[p.i] }

func (p *Parser) expect(kind int) Token {
	t := p.toks[p.i]
	if t.Kind != kind {
		if p.err == nil {
			p.err = fmt.Errorf("offset %d: unexpected %q", t.Pos, t.Text)
		}
		return t
	}
	p.i++
	return t
}

func precedence(op string) int {
	switch op {
	case "+", "-":
		return 1
	case "*", "/", "%":
		return 2
	}
	return 0
}

func (p *Parser) primary() *Expr {
	t := p.peek()
	switch t.Kind {
	case tNumber:
		p.i++
		n, _ := strconv.Atoi(t.Text)
		return &Expr{Op: 'n', Num: n}
	case tIdent:
		p.i++
		if p.peek().Kind == tLParen {
			p.i++
			call := &Expr{Op: 'c', Name: t.Text}
			for p.peek().Kind != tRParen && p.err == nil {
				call.Args = append(call.Args, p.binary(1))
				if p.peek().Kind == tComma {
					p.i++
				}
			}
			p.expect(tRParen)
			return call
		}
		return &Expr{Op: 'v', Name: t.Text}
	case tLParen:
		p.i++
		e := p.binary(1)
		p.expect(tRParen)
		return e
	}
	p.expect(tNumber)
	return &Expr{Op: 'n'}
}

func (p *Parser) binary(minPrec int) *Expr {
	left := p.primary()
	for {
		t := p.peek()
		prec := precedence(t.Text)
		if t.Kind != tOp || prec < minPrec {
			return left
		}
		p.i++
		right := p.binary(prec + 1)
		left = &Expr{Op: t.Text[0], Left: left, Right: right}
	}
}

type evalStats struct {
	nodes, calls int
}

func eval(e *Expr, env map[string]int, st *evalStats) int {
	st.nodes++
	switch e.Op {
	case 'n':
		return e.Num
	case 'v':
		return env[e.Name]
	case 'c':
		st.calls++
		args := make([]int, 0, 8)
		for _, a := range e.Args {
			args = append(args, eval(a, env, st))
		}
		return builtin(e.Name, args)
	}
	l, r := eval(e.Left, env, st), eval(e.Right, env, st)
	switch e.Op {
	case '+':
		return l + r
	case '-':
		return l - r
	case '*':
		return l * r % 1000003
	case '/':
		if r == 0 {
			return 0
		}
		return l / r
	case '%':
		if r == 0 {
			return 0
		}
		return l % r
	}
	return 0
}

func builtin(name string, args []int) int {
	switch name {
	case "max":
		m := args[0]
		for _, a := range args[1:] {
			if a > m {
				m = a
			}
		}
		return m
	case "min":
		m := args[0]
		for _, a := range args[1:] {
			if a < m {
				m = a
			}
		}
		return m
	case "abs":
		if args[0] < 0 {
			return -args[0]
		}
		return args[0]
	}
	return 0
}

// run scans, parses and evaluates one statement; false for a syntax error.
func run(src string, env map[string]int, st *evalStats, out *strings.Builder) bool {
	lx := &Lexer{src: src}
	toks := make([]Token, 0, 64)
	for {
		t := lx.next()
		toks = append(toks, t)
		if t.Kind == tEOF {
			break
		}
	}
	p := &Parser{toks: toks}
	kw := p.expect(tKeyword)
	switch kw.Text {
	case "let":
		name := p.expect(tIdent)
		p.expect(tAssign)
		e := p.binary(1)
		p.expect(tSemi)
		if p.err != nil {
			return false
		}
		env[name.Text] = eval(e, env, st)
	case "print":
		name := p.expect(tIdent)
		p.expect(tSemi)
		if p.err != nil {
			return false
		}
		out.WriteString(name.Text)
		out.WriteByte('=')
		out.WriteString(strconv.Itoa(env[name.Text]))
		out.WriteByte('\n')
	}
	return p.err == nil
}

type rng struct{ s uint64 }

func (r *rng) intn(n int) int {
	r.s = r.s*6364136223846793005 + 1442695040888963407
	return int((r.s >> 33) % uint64(n))
}

func genExpr(r *rng, depth int, vars int) string {
	if depth == 0 || r.intn(3) == 0 {
		if vars > 0 && r.intn(2) == 0 {
			return "v" + strconv.Itoa(r.intn(vars))
		}
		return strconv.Itoa(r.intn(100))
	}
	switch r.intn(5) {
	case 0:
		return "(" + genExpr(r, depth-1, vars) + ")"
	case 1:
		fn := []string{"max", "min", "abs"}[r.intn(3)]
		return fn + "(" + genExpr(r, depth-1, vars) + ", " + genExpr(r, depth-1, vars) + ")"
	}
	op := []string{" + ", " - ", " * ", " / ", " % "}[r.intn(5)]
	return genExpr(r, depth-1, vars) + op + genExpr(r, depth-1, vars)
}

func main() {
	n := 20000
	if len(os.Args) > 1 {
		if v, err := strconv.Atoi(os.Args[1]); err == nil {
			n = v
		}
	}
	r := &rng{s: 7}
	stmts := make([]string, 0, n)
	for i := 0; i < n; i++ {
		if i%10 == 9 {
			stmts = append(stmts, "print v"+strconv.Itoa(r.intn(i/2+1))+";")
		} else {
			stmts = append(stmts, "let v"+strconv.Itoa(i/2)+" = "+genExpr(r, 4, i/2)+";")
		}
	}
	env := map[string]int{}
	st := &evalStats{}
	var out strings.Builder
	errs := 0
	for _, s := range stmts {
		if !run(s, env, st, &out) {
			errs++
		}
	}
	lines := strings.Split(strings.TrimSpace(out.String()), "\n")
	sum := 0
	for _, l := range lines {
		if i := strings.IndexByte(l, '='); i >= 0 {
			v, _ := strconv.Atoi(l[i+1:])
			sum += v
		}
	}
	fmt.Printf("statements %d variables %d errors %d nodes %d calls %d\n", n, len(env), errs,
		st.nodes, st.calls)
	fmt.Printf("printed %d checksum %d\n", len(lines), sum)
	for _, l := range lines[:5] {
		fmt.Println(l)
	}
}
