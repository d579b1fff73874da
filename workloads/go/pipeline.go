// A goroutine and channel pipeline: a generator, a fan-out of workers that
// parse and transform records, and a collector, connected by buffered and
// unbuffered channels; a WaitGroup closes the fan-in channel.
// Usage: pipeline [records workers] (default 20000 4)
package main

import (
	"fmt"
	"os"
	"strconv"
	"strings"
	"sync"
)

type Record struct {
	ID    int
	Name  string
	Score int
}

type Result struct {
	ID    int
	Key   string
	Value int
}

func generate(n int, out chan<- string) {
	for i := 0; i < n; i++ {
		out <- fmt.Sprintf("%d,item-%d,%d", i, i%97, (i*7919)%1000)
	}
	close(out)
}

func parse(line string) (*Record, error) {
	parts := strings.Split(line, ",")
	if len(parts) != 3 {
		return nil, fmt.Errorf("bad line %q", line)
	}
	id, err := strconv.Atoi(parts[0])
	if err != nil {
		return nil, err
	}
	score, err := strconv.Atoi(parts[2])
	if err != nil {
		return nil, err
	}
	return &Record{ID: id, Name: parts[1], Score: score}, nil
}

func worker(in <-chan string, out chan<- *Result, wg *sync.WaitGroup) {
	defer wg.Done()
	for line := range in {
		rec, err := parse(line)
		if err != nil {
			continue
		}
		out <- &Result{ID: rec.ID, Key: strings.ToUpper(rec.Name), Value: rec.Score * 2}
	}
}

func main() {
	n, workers := 20000, 4
	if len(os.Args) > 2 {
		n, _ = strconv.Atoi(os.Args[1])
		workers, _ = strconv.Atoi(os.Args[2])
	}
	lines := make(chan string, 64)
	results := make(chan *Result)
	go generate(n, lines)
	var wg sync.WaitGroup
	for i := 0; i < workers; i++ {
		wg.Add(1)
		go worker(lines, results, &wg)
	}
	go func() {
		wg.Wait()
		close(results)
	}()
	sums := map[string]int{}
	count, total := 0, 0
	for r := range results {
		sums[r.Key] += r.Value
		total += r.Value
		count++
	}
	fmt.Printf("records %d total %d keys %d\n", count, total, len(sums))
	for _, k := range []string{"ITEM-0", "ITEM-1", "ITEM-42", "ITEM-96"} {
		fmt.Printf("%s %d\n", k, sums[k])
	}
}
