
// gocompile/testdata/escape_mains/channels.go, appended to
// escape/testdata/channels.go (a package without main) by
// //gocompile/testdata:escape_channels: calls every function that returns,
// so the escape checks see each of its allocation sites execute.
func main() {
	c := make(chan *int, 1)
	send(c)
	if p := recv(c); *p != 1 {
		panic("recv")
	}
	d := make(chan *Msg, 1)
	d <- &Msg{text: "m"}
	if m, ok := commaOk(d); !ok || m.text != "m" {
		panic("commaOk")
	}
	if n := makeAndClose(4); n != 3 {
		panic("makeAndClose")
	}
	r := make(chan *Msg, 2)
	one, two := 1, 2
	r <- &Msg{p: &one}
	r <- &Msg{p: &two}
	close(r)
	if p := rangeOver(r); *p != 2 {
		panic("rangeOver")
	}
	a, b, done := make(chan *int, 1), make(chan *int), make(chan struct{})
	if p := sel(a, b, done); p != nil {
		panic("sel sent")
	}
	if p := sel(a, b, done); *p != 2 {
		panic("sel received")
	}
	if p := newPipe(); cap(p.out) != 1 {
		panic("newPipe")
	}
	spawn()
	cc := make(chan chan *int, 1)
	got := make(chan int)
	go func() {
		inner := <-cc
		got <- *<-inner
	}()
	chanOfChan(cc)
	if <-got != 3 {
		panic("chanOfChan")
	}
}
