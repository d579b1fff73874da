package channels

type Msg struct {
	p    *int
	text string
}

type Pipe struct {
	in  chan *Msg
	out <-chan *Msg
	ack chan<- bool
}

func send(c chan *int) {
	x := 1
	c <- &x
}

func recv(c chan *int) *int {
	return <-c
}

func commaOk(c <-chan *Msg) (*Msg, bool) {
	m, ok := <-c
	return m, ok
}

func makeAndClose(n int) int {
	c := make(chan int)
	d := make(chan *Msg, n)
	e := make(chan [2]int, 3)
	close(c)
	return len(d) + cap(e)
}

func rangeOver(c chan *Msg) *int {
	var last *int
	for m := range c {
		last = m.p
	}
	return last
}

func sel(a, b chan *int, done chan struct{}) *int {
	y := 2
	select {
	case p := <-a:
		return p
	case p, ok := <-b:
		if ok {
			return p
		}
	case a <- &y:
	case <-done:
	default:
	}
	return nil
}

func newPipe() *Pipe {
	return &Pipe{in: make(chan *Msg), out: make(chan *Msg, 1)}
}

func worker(jobs <-chan *Msg, results chan<- string) {
	for j := range jobs {
		results <- j.text
	}
}

func spawn() {
	jobs := make(chan *Msg, 10)
	results := make(chan string, 10)
	go worker(jobs, results)
	jobs <- &Msg{text: "a"}
	close(jobs)
	<-results
}

func chanOfChan(c chan chan *int) {
	inner := make(chan *int)
	c <- inner
	z := 3
	inner <- &z
}

func stmtRecv(c chan int) {
	<-c
	select {}
}
