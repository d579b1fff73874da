package main

import (
	"fmt"
	"sync"
)

func producer(n int, out chan<- int, wg *sync.WaitGroup) {
	defer wg.Done()
	for i := 0; i < n; i++ {
		out <- i
	}
}

func square(in <-chan int, out chan<- int) {
	for v := range in {
		out <- v * v
	}
	close(out)
}

type Counter struct {
	mu sync.Mutex
	n  map[string]int
}

func (c *Counter) Inc(k string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.n[k]++
}

func main() {
	// Pipeline.
	nums := make(chan int, 4)
	sq := make(chan int)
	var wg sync.WaitGroup
	for p := 0; p < 3; p++ {
		wg.Add(1)
		go producer(100, nums, &wg)
	}
	go func() {
		wg.Wait()
		close(nums)
	}()
	go square(nums, sq)
	sum := 0
	count := 0
	for v := range sq {
		sum += v
		count++
	}
	fmt.Println("pipeline", count, sum)

	// Mutex.
	c := Counter{n: map[string]int{}}
	var wg2 sync.WaitGroup
	for i := 0; i < 8; i++ {
		wg2.Add(1)
		go func(id int) {
			defer wg2.Done()
			for j := 0; j < 1000; j++ {
				c.Inc(fmt.Sprintf("k%d", j%5))
			}
		}(i)
	}
	wg2.Wait()
	fmt.Println(c.n)

	// Select with timeout-free channels.
	a := make(chan string)
	b := make(chan string)
	done := make(chan bool)
	go func() {
		for i := 0; i < 3; i++ {
			a <- fmt.Sprint("a", i)
		}
		done <- true
	}()
	go func() {
		for i := 0; i < 3; i++ {
			b <- fmt.Sprint("b", i)
		}
		done <- true
	}()
	got := 0
	finished := 0
	for finished < 2 {
		select {
		case s := <-a:
			_ = s
			got++
		case s, ok := <-b:
			if ok {
				got++
			}
			_ = s
		case <-done:
			finished++
		}
	}
	fmt.Println("select got", got)
	// Default case.
	ch := make(chan int, 1)
	select {
	case v := <-ch:
		fmt.Println("unexpected", v)
	default:
		fmt.Println("empty")
	}
	ch <- 5
	select {
	case ch <- 6:
		fmt.Println("unexpected send")
	default:
		fmt.Println("full")
	}
	v, ok := <-ch
	close(ch)
	v2, ok2 := <-ch
	fmt.Println(v, ok, v2, ok2)
	var once sync.Once
	for i := 0; i < 3; i++ {
		once.Do(func() { fmt.Println("once") })
	}
}
