package main

import (
	"errors"
	"fmt"
	"strings"
	"sync"
)

type Counter struct {
	mu sync.Mutex
	n  int
}

func (c *Counter) Inc() {
	c.mu.Lock()
	c.n++
	c.mu.Unlock()
}

var ErrNotFound = errors.New("not found")

func find(xs []string, x string) (int, error) {
	for i, s := range xs {
		if strings.EqualFold(s, x) {
			return i, nil
		}
	}
	return -1, fmt.Errorf("missing %s: %w", x, ErrNotFound)
}

func format(n int, name string) string {
	s := fmt.Sprintf("%d-%s", n, name)
	return strings.ToUpper(s)
}

func printAll(xs []int) {
	for _, x := range xs {
		fmt.Println(x)
	}
	fmt.Printf("%v\n", xs)
	fmt.Print("done\n")
}

func join(parts []string) string {
	fields := strings.Fields(strings.TrimSpace(" a b "))
	_ = strings.Split("a,b", ",")
	return strings.Join(parts, ",") + strings.Repeat("x", len(fields))
}

func checks(s string) bool {
	return strings.HasPrefix(s, "a") && strings.Contains(s, "b") && strings.Index(s, "c") > 0
}

func waitAll(n int) int {
	var wg sync.WaitGroup
	var mu sync.Mutex
	total := 0
	for i := 0; i < n; i++ {
		wg.Add(1)
		go func(k int) {
			defer wg.Done()
			mu.Lock()
			total += k
			mu.Unlock()
		}(i)
	}
	wg.Wait()
	return total
}

func wrapErr(err error) error {
	if errors.Is(err, ErrNotFound) {
		return err
	}
	return errors.Unwrap(err)
}

func main() {
	c := &Counter{}
	c.Inc()
	_, _ = find([]string{"a"}, "A")
	_ = format(1, "x")
	printAll([]int{1, 2})
	_ = join([]string{"a", "b"})
	_ = checks("abc")
	_ = waitAll(3)
	_ = wrapErr(nil)
}
