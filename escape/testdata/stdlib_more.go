package stdlib_more

import (
	"bytes"
	"errors"
	"math"
	"os"
	"runtime"
	"sort"
	"strconv"
	"strings"
	"sync/atomic"
	"time"
	"unicode/utf8"
	"unsafe"
)

type byLen []string

func (b byLen) Len() int           { return len(b) }
func (b byLen) Less(i, j int) bool { return len(b[i]) < len(b[j]) }
func (b byLen) Swap(i, j int)      { b[i], b[j] = b[j], b[i] }

func numbers(s string) (int, error) {
	n, err := strconv.Atoi(s)
	if err != nil {
		return 0, errors.New("bad number: " + s)
	}
	f := strconv.FormatFloat(math.Sqrt(float64(n)), 'f', 2, 64)
	q := strconv.Quote(f)
	return n + len(q) + strconv.IntSize, nil
}

func sorting(words []string) []string {
	sort.Sort(byLen(words))
	sort.Strings(words)
	i := sort.SearchInts([]int{1, 2, 3}, 2)
	_ = i
	return words
}

func files(name string) ([]byte, error) {
	data, err := os.ReadFile(name)
	if err != nil {
		return nil, err
	}
	if len(os.Args) > 1 {
		os.Exit(1)
	}
	return bytes.TrimSpace(data), nil
}

func timing() time.Duration {
	start := time.Now()
	t := time.NewTimer(time.Second)
	t.Stop()
	return time.Since(start) + 2*time.Millisecond
}

func runtimeStuff(p *int) int {
	runtime.GC()
	runtime.KeepAlive(p)
	return runtime.NumGoroutine()
}

var counter int64
var ptr unsafe.Pointer

func atomics(v *int) int64 {
	atomic.AddInt64(&counter, 1)
	atomic.StorePointer(&ptr, unsafe.Pointer(v))
	return atomic.LoadInt64(&counter)
}

func runes(s string) int {
	n := utf8.RuneCountInString(s)
	buf := make([]byte, 4)
	utf8.EncodeRune(buf, 'é')
	return n + utf8.RuneLen('x')
}

func buffers(parts []string) string {
	var b bytes.Buffer
	for _, p := range parts {
		b.WriteString(p)
	}
	var sb strings.Builder
	sb.WriteString(b.String())
	return sb.String()
}

func wrapped(err error) bool {
	var target *os.PathError
	return errors.Is(err, os.ErrNotExist) || errors.As(err, &target)
}
