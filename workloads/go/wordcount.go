// A map-heavy word count over generated text: words are split, lowered
// and counted in a map[string]int, then the most frequent are printed.
// Usage: wordcount [words] (default 200000)
package main

import (
	"fmt"
	"os"
	"sort"
	"strconv"
	"strings"
)

var vocabulary = []string{
	"The", "quick", "brown", "fox", "jumps", "over", "lazy", "dog", "garbage",
	"collector", "Heap", "stack", "escape", "analysis", "pointer", "object", "mark",
	"sweep", "allocate", "free", "Go", "runtime", "barrier", "pause", "cycle",
	"goroutine", "channel", "select", "map", "slice", "string", "interface",
}

type rng struct{ s uint64 }

func (r *rng) intn(n int) int {
	r.s ^= r.s << 13
	r.s ^= r.s >> 7
	r.s ^= r.s << 17
	return int(r.s % uint64(n))
}

// text returns n words, with a line break every 12 words; suffixes make
// the vocabulary grow (fox1, fox2, ...).
func text(n int, r *rng) string {
	var b strings.Builder
	for i := 0; i < n; i++ {
		w := vocabulary[r.intn(len(vocabulary))]
		if r.intn(4) == 0 {
			w = w + strconv.Itoa(r.intn(50))
		}
		b.WriteString(w)
		if i%12 == 11 {
			b.WriteByte('\n')
		} else {
			b.WriteByte(' ')
		}
	}
	return b.String()
}

type entry struct {
	word  string
	count int
}

func main() {
	n := 200000
	if len(os.Args) > 1 {
		if v, err := strconv.Atoi(os.Args[1]); err == nil {
			n = v
		}
	}
	r := &rng{s: 88172645463325252}
	counts := map[string]int{}
	lines := strings.Split(text(n, r), "\n")
	for _, line := range lines {
		for _, w := range strings.Fields(line) {
			counts[strings.ToLower(w)]++
		}
	}
	entries := make([]entry, 0, len(counts))
	for w, c := range counts {
		entries = append(entries, entry{w, c})
	}
	sort.Slice(entries, func(i, j int) bool {
		if entries[i].count != entries[j].count {
			return entries[i].count > entries[j].count
		}
		return entries[i].word < entries[j].word
	})
	fmt.Printf("lines %d distinct words %d\n", len(lines), len(counts))
	for i := 0; i < 20 && i < len(entries); i++ {
		fmt.Printf("%-12s %6d\n", entries[i].word, entries[i].count)
	}
}
