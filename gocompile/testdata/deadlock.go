// All goroutines block: Go's "fatal error: all goroutines are asleep - deadlock!".
package main

import "fmt"

func main() {
	ch := make(chan int)
	go func() {
		v := <-ch
		fmt.Println("never", v)
		ch <- 1
	}()
	fmt.Println("waiting")
	<-ch
}
