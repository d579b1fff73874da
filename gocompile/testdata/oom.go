// Keeps everything it allocates: at the heap limit, Go's "out of memory"
// fatal error.
package main

import "fmt"

func main() {
	var keep [][]byte
	for i := 0; ; i++ {
		keep = append(keep, make([]byte, 1<<20))
		if i%256 == 0 {
			fmt.Println("allocated MiB:", i)
		}
	}
}
