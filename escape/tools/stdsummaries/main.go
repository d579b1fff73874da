// Command stdsummaries writes gclab's summaries of standard packages
// (escape/stdlib_generated.cc) from go 1.19 itself:
//
//   - the exported API of each package, from its sources (go/types): types
//     (unexported fields kept as blank fields of a type with the same memory
//     layout), functions, methods, constants and variables;
//   - the escape tag of every parameter, from the compiler's own diagnostics
//     when it builds the package as usual (with inlining):
//     go build -gcflags=PKG=-m=2 PKG. The -m=2 lines "parameter p leaks to
//     SINK with derefs=N" give the dereference counts; the -m lines
//     ("leaking param: p", "... content: p", "... to result r level=N",
//     "p does not escape") are checked against them.
//
// Usage (see regen.sh): go run . -o ../../stdlib_generated.cc PKG...
package main

import (
	"bufio"
	"bytes"
	"flag"
	"fmt"
	"go/constant"
	"go/importer"
	"go/token"
	"go/types"
	"os"
	"os/exec"
	"regexp"
	"sort"
	"strconv"
	"strings"
)

var out = flag.String("o", "", "output .cc file")

// A parameter's diagnostics, keyed by its position.
type paramInfo struct {
	name      string
	leak0     bool           // leaking param: p
	content   bool           // leaking param content: p
	results   map[string]int // leaking param: p to result r level=N
	noEscape  bool           // p does not escape
	uintptr   bool           // assuming p is unsafe uintptr
	movedHeap bool           // moved to heap: p
	events    map[string]int // -m=2: sink -> minimal derefs
}

var (
	reLeak     = regexp.MustCompile(`^(.+:\d+:\d+): leaking param: (\S+)$`)
	reContent  = regexp.MustCompile(`^(.+:\d+:\d+): leaking param content: (\S+)$`)
	reResult   = regexp.MustCompile(`^(.+:\d+:\d+): leaking param: (\S+) to result (\S+) level=(\d+)$`)
	reNoEscape = regexp.MustCompile(`^(.+:\d+:\d+): (\S+) does not escape$`)
	reUintptr  = regexp.MustCompile(`^(.+:\d+:\d+): assuming (\S+) is unsafe uintptr$`)
	reMoved    = regexp.MustCompile(`^(.+:\d+:\d+): moved to heap: (\S+)$`)
	reEvent    = regexp.MustCompile(`^(.+:\d+:\d+): parameter (\S+) leaks to (.+) with derefs=(\d+):$`)
)

func diagnostics(pkg string) map[string]*paramInfo {
	cmd := exec.Command("go", "build", "-gcflags="+pkg+"=-m=2", pkg)
	var buf bytes.Buffer
	cmd.Stdout = &buf
	cmd.Stderr = &buf
	if err := cmd.Run(); err != nil {
		fmt.Fprintf(os.Stderr, "go build %s: %v\n%s", pkg, err, buf.String())
		os.Exit(1)
	}
	infos := map[string]*paramInfo{}
	get := func(pos, name string) *paramInfo {
		p := infos[pos]
		if p == nil {
			p = &paramInfo{name: name, results: map[string]int{}, events: map[string]int{}}
			infos[pos] = p
		}
		return p
	}
	sc := bufio.NewScanner(&buf)
	sc.Buffer(make([]byte, 1<<20), 1<<26)
	for sc.Scan() {
		line := sc.Text()
		if m := reResult.FindStringSubmatch(line); m != nil {
			l, _ := strconv.Atoi(m[4])
			get(m[1], m[2]).results[m[3]] = l
		} else if m := reLeak.FindStringSubmatch(line); m != nil {
			get(m[1], m[2]).leak0 = true
		} else if m := reContent.FindStringSubmatch(line); m != nil {
			get(m[1], m[2]).content = true
		} else if m := reNoEscape.FindStringSubmatch(line); m != nil {
			get(m[1], m[2]).noEscape = true
		} else if m := reUintptr.FindStringSubmatch(line); m != nil {
			get(m[1], m[2]).uintptr = true
		} else if m := reMoved.FindStringSubmatch(line); m != nil {
			get(m[1], m[2]).movedHeap = true
		} else if m := reEvent.FindStringSubmatch(line); m != nil {
			d, _ := strconv.Atoi(m[4])
			p := get(m[1], m[2])
			if old, ok := p.events[m[3]]; !ok || d < old {
				p.events[m[3]] = d
			}
		}
	}
	return infos
}

var mismatches int

// tag computes a parameter's escape tag (see escape/stdlib.h).
func tag(fset *token.FileSet, fn *types.Func, v *types.Var, infos map[string]*paramInfo) string {
	if !hasPointers(v.Type()) {
		return "-"
	}
	if v.Name() == "" || v.Name() == "_" {
		return "-"
	}
	pos := fset.Position(v.Pos())
	key := fmt.Sprintf("%s:%d:%d", pos.Filename, pos.Line, pos.Column)
	p := infos[key]
	if p == nil {
		fmt.Fprintf(os.Stderr, "warning: no diagnostics for %s param %s (%s): assuming it leaks\n", fn.FullName(), v.Name(), key)
		return "h0"
	}
	if p.movedHeap || p.uintptr {
		if p.uintptr {
			return "-"
		}
		return "h0"
	}
	sig := fn.Type().(*types.Signature)
	resultName := func(i int) string {
		if n := sig.Results().At(i).Name(); n != "" && n != "_" {
			return n
		}
		return fmt.Sprintf("~r%d", i)
	}
	heap := -1
	results := make([]int, sig.Results().Len())
	for i := range results {
		results[i] = -1
	}
	for sink, d := range p.events {
		ri := -1
		for i := range results {
			if resultName(i) == sink {
				ri = i
			}
		}
		if ri >= 0 && ri < 7 {
			if results[ri] < 0 || d < results[ri] {
				results[ri] = d
			}
		} else if heap < 0 || d < heap {
			heap = d
		}
	}
	// Optimize: result flows no shorter than the heap flow are dropped.
	if heap >= 0 {
		for i := range results {
			if results[i] >= heap {
				results[i] = -1
			}
		}
	}
	// Cross-check with the -m lines, which are exact about what they say.
	check := func(ok bool, what string) {
		if !ok {
			mismatches++
			fmt.Fprintf(os.Stderr, "note: %s param %s: %s (events %v)\n", fn.FullName(), v.Name(), what, p.events)
		}
	}
	if p.leak0 {
		check(heap == 0, "-m says leaking param")
		heap = 0
	} else if p.content {
		check(heap > 0, "-m says leaking param content")
		if heap <= 0 {
			heap = 1
		}
	} else if heap >= 0 && !p.noEscape {
		check(false, "heap flow without a -m line")
	}
	for i := range results {
		want, ok := p.results[resultName(i)]
		if ok {
			check(results[i] == want, "-m result level differs")
			results[i] = want
		} else if results[i] >= 0 {
			check(false, "result flow without a -m line")
			results[i] = -1
		}
	}
	if p.noEscape {
		check(heap < 0, "-m says does not escape")
		heap = -1
		for i := range results {
			results[i] = -1
		}
	}
	var parts []string
	if heap >= 0 {
		parts = append(parts, fmt.Sprintf("h%d", heap))
	}
	for i, r := range results {
		if r >= 0 {
			parts = append(parts, fmt.Sprintf("r%d:%d", i, r))
		}
	}
	if len(parts) == 0 {
		return "-"
	}
	return strings.Join(parts, ",")
}

func hasPointers(t types.Type) bool {
	switch u := t.Underlying().(type) {
	case *types.Basic:
		return u.Kind() == types.String || u.Kind() == types.UnsafePointer
	case *types.Array:
		return u.Len() > 0 && hasPointers(u.Elem())
	case *types.Struct:
		for i := 0; i < u.NumFields(); i++ {
			if hasPointers(u.Field(i).Type()) {
				return true
			}
		}
		return false
	default:
		return true
	}
}

// writer spells types of package pkg for gclab's parser.
type writer struct {
	pkg      *types.Package
	modelled map[string]bool
	imports  map[string]bool
}

func internal(path string) bool {
	return strings.HasPrefix(path, "internal/") || strings.Contains(path, "/internal/") ||
		strings.HasPrefix(path, "vendor/")
}

func (w *writer) qualify(p *types.Package) string {
	if p == w.pkg {
		return ""
	}
	w.imports[p.Path()] = true
	return p.Name() + "."
}

// typ spells t; names that cannot be used become layout equivalents.
func (w *writer) typ(t types.Type) string {
	switch t := t.(type) {
	case *types.Basic:
		if t.Kind() == types.UnsafePointer {
			w.imports["unsafe"] = true
			return "unsafe.Pointer"
		}
		return t.Name()
	case *types.Named:
		obj := t.Obj()
		if obj.Pkg() == nil {
			return obj.Name() // error, comparable
		}
		if t.TypeArgs().Len() > 0 || t.TypeParams().Len() > 0 || !obj.Exported() ||
			internal(obj.Pkg().Path()) || (obj.Pkg() != w.pkg && !w.modelled[obj.Pkg().Path()]) {
			return w.layout(t.Underlying())
		}
		return w.qualify(obj.Pkg()) + obj.Name()
	case *types.Pointer:
		return "*" + w.typ(t.Elem())
	case *types.Slice:
		return "[]" + w.typ(t.Elem())
	case *types.Array:
		return fmt.Sprintf("[%d]%s", t.Len(), w.typ(t.Elem()))
	case *types.Map:
		return "map[" + w.typ(t.Key()) + "]" + w.typ(t.Elem())
	case *types.Chan:
		switch t.Dir() {
		case types.SendOnly:
			return "chan<- " + w.typ(t.Elem())
		case types.RecvOnly:
			return "<-chan " + w.typ(t.Elem())
		}
		e := w.typ(t.Elem())
		if c, ok := t.Elem().(*types.Chan); ok && c.Dir() == types.RecvOnly {
			e = "(" + e + ")"
		}
		return "chan " + e
	case *types.Signature:
		return "func" + w.sig(t, false)
	case *types.Struct:
		var fs []string
		for i := 0; i < t.NumFields(); i++ {
			f := t.Field(i)
			if !f.Exported() {
				fs = append(fs, "_ "+w.layout(f.Type()))
				continue
			}
			ft := w.typ(f.Type())
			if f.Embedded() {
				// Kept embedded when it can still be named.
				base := f.Type()
				if p, ok := base.(*types.Pointer); ok {
					base = p.Elem()
				}
				if n, ok := base.(*types.Named); ok && !strings.HasPrefix(strings.TrimPrefix(ft, "*"), "struct") &&
					!strings.HasPrefix(strings.TrimPrefix(ft, "*"), "[") && n.Obj().Exported() {
					fs = append(fs, ft)
					continue
				}
			}
			fs = append(fs, f.Name()+" "+ft)
		}
		return "struct{" + strings.Join(fs, "; ") + "}"
	case *types.Interface:
		var ms []string
		for i := 0; i < t.NumMethods(); i++ {
			m := t.Method(i)
			if !m.Exported() {
				continue
			}
			ms = append(ms, m.Name()+w.sig(m.Type().(*types.Signature), false))
		}
		return "interface{" + strings.Join(ms, "; ") + "}"
	case *types.TypeParam:
		return "*uint8"
	}
	panic(fmt.Sprintf("unexpected type %T", t))
}

// layout spells a type with the size, alignment and pointers of t.
func (w *writer) layout(t types.Type) string {
	switch u := t.Underlying().(type) {
	case *types.Basic:
		if u.Kind() == types.UnsafePointer {
			return "*uint8"
		}
		return types.Typ[u.Kind()].Name()
	case *types.Pointer, *types.Map, *types.Chan, *types.Signature:
		return "*uint8"
	case *types.Slice:
		return "[]uint8"
	case *types.Interface:
		return "interface{}"
	case *types.Array:
		return fmt.Sprintf("[%d]%s", u.Len(), w.layout(u.Elem()))
	case *types.Struct:
		var fs []string
		for i := 0; i < u.NumFields(); i++ {
			fs = append(fs, "_ "+w.layout(u.Field(i).Type()))
		}
		return "struct{" + strings.Join(fs, "; ") + "}"
	}
	return "*uint8"
}

func (w *writer) tuple(tu *types.Tuple, variadic bool, named bool) string {
	var ps []string
	for i := 0; i < tu.Len(); i++ {
		v := tu.At(i)
		var t string
		if variadic && i == tu.Len()-1 {
			t = "..." + w.typ(v.Type().(*types.Slice).Elem())
		} else {
			t = w.typ(v.Type())
		}
		if named {
			name := v.Name()
			if name == "" {
				name = "_"
			}
			t = name + " " + t
		}
		ps = append(ps, t)
	}
	return strings.Join(ps, ", ")
}

func (w *writer) sig(s *types.Signature, named bool) string {
	params := "(" + w.tuple(s.Params(), s.Variadic(), named) + ")"
	switch s.Results().Len() {
	case 0:
		return params
	case 1:
		return params + " " + w.typ(s.Results().At(0).Type())
	default:
		return params + " (" + w.tuple(s.Results(), false, false) + ")"
	}
}

func constValue(c *types.Const) string {
	v := c.Val()
	switch v.Kind() {
	case constant.Bool:
		return v.String()
	case constant.String:
		return strconv.Quote(constant.StringVal(v))
	case constant.Int:
		return v.ExactString()
	case constant.Float:
		f, _ := constant.Float64Val(v)
		return strconv.FormatFloat(f, 'g', -1, 64)
	}
	return ""
}

func summarize(fset *token.FileSet, pkg *types.Package, modelled map[string]bool) string {
	infos := diagnostics(pkg.Path())
	w := &writer{pkg: pkg, modelled: modelled, imports: map[string]bool{}}
	var body strings.Builder
	funcDecl := func(fn *types.Func, recv string) {
		s := fn.Type().(*types.Signature)
		if s.TypeParams().Len() > 0 || (s.Recv() != nil && s.RecvTypeParams().Len() > 0) {
			return
		}
		var tags []string
		if s.Recv() != nil {
			tags = append(tags, tag(fset, fn, s.Recv(), infos))
		}
		for i := 0; i < s.Params().Len(); i++ {
			tags = append(tags, tag(fset, fn, s.Params().At(i), infos))
		}
		fmt.Fprintf(&body, "//gclab:esc %s\n", strings.Join(tags, " "))
		fmt.Fprintf(&body, "func %s%s%s\n", recv, fn.Name(), w.sig(s, true))
	}
	scope := pkg.Scope()
	for _, name := range scope.Names() {
		if !token.IsExported(name) {
			continue
		}
		switch o := scope.Lookup(name).(type) {
		case *types.Const:
			if b, ok := o.Type().(*types.Basic); ok && b.Info()&types.IsUntyped != 0 {
				if v := constValue(o); v != "" {
					fmt.Fprintf(&body, "const %s = %s\n", name, v)
				}
			} else if v := constValue(o); v != "" {
				fmt.Fprintf(&body, "const %s %s = %s\n", name, w.typ(o.Type()), v)
			}
		case *types.Var:
			fmt.Fprintf(&body, "var %s %s\n", name, w.typ(o.Type()))
		case *types.Func:
			funcDecl(o, "")
		case *types.TypeName:
			if o.IsAlias() {
				fmt.Fprintf(&body, "type %s = %s\n", name, w.typ(o.Type()))
				continue
			}
			n, ok := o.Type().(*types.Named)
			if !ok || n.TypeParams().Len() > 0 {
				continue
			}
			fmt.Fprintf(&body, "type %s %s\n", name, w.typ(n.Underlying()))
			for i := 0; i < n.NumMethods(); i++ {
				m := n.Method(i)
				if !m.Exported() {
					continue
				}
				recv := m.Type().(*types.Signature).Recv()
				rname := recv.Name()
				if rname == "" {
					rname = "_"
				}
				rt := name
				if _, ptr := recv.Type().(*types.Pointer); ptr {
					rt = "*" + name
				}
				funcDecl(m, fmt.Sprintf("(%s %s) ", rname, rt))
			}
		}
	}
	var hdr strings.Builder
	fmt.Fprintf(&hdr, "package %s\n", pkg.Name())
	var imps []string
	for p := range w.imports {
		imps = append(imps, p)
	}
	sort.Strings(imps)
	for _, p := range imps {
		fmt.Fprintf(&hdr, "import %q\n", p)
	}
	return hdr.String() + body.String()
}

func main() {
	flag.Parse()
	fset := token.NewFileSet()
	imp := importer.ForCompiler(fset, "source", nil)
	modelled := map[string]bool{"unsafe": true}
	for _, p := range flag.Args() {
		modelled[p] = true
	}
	var b strings.Builder
	b.WriteString(`// GENERATED by escape/tools/stdsummaries/regen.sh from ` + goVersion() + `; DO NOT EDIT.
#include "escape/stdlib_generated.h"

namespace gclab::escape {

const std::vector<StdPackage>& GeneratedStdPackages() {
  static const auto* v = new std::vector<StdPackage>{
`)
	for _, path := range flag.Args() {
		pkg, err := imp.Import(path)
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		src := summarize(fset, pkg, modelled)
		fmt.Fprintf(&b, "      {%q, %q, R\"GO(%s)GO\"},\n", path, pkg.Name(), src)
		fmt.Fprintf(os.Stderr, "%s: %d lines\n", path, strings.Count(src, "\n"))
	}
	b.WriteString(`  };
  return *v;
}

const StdPackage* FindGeneratedStdPackage(absl::string_view path) {
  for (const StdPackage& p : GeneratedStdPackages())
    if (path == p.path) return &p;
  return nullptr;
}

}  // namespace gclab::escape
`)
	fmt.Fprintf(os.Stderr, "%d parameters where -m and -m=2 disagreed (the -m lines were used)\n", mismatches)
	if err := os.WriteFile(*out, []byte(b.String()), 0o644); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}

func goVersion() string {
	o, err := exec.Command("go", "version").Output()
	if err != nil {
		return "go"
	}
	return strings.TrimSpace(string(o))
}
