// An unrecovered panic in a goroutine ends the whole program (exit 2),
// even while main is blocked.
package main

import "fmt"

func main() {
	done := make(chan bool)
	go func() {
		defer fmt.Println("deferred call of the panicking goroutine")
		var m map[int]int
		m[1] = 2
		done <- true
	}()
	<-done
	fmt.Println("not reached")
}
