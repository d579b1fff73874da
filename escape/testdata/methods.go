package main

type Node struct {
	Val  int
	Next *Node
}

type List struct {
	Head *Node
	size int
}

type Base struct {
	ID int
}

func (b *Base) SetID(id int) { b.ID = id }
func (b Base) GetID() int    { return b.ID }

type Derived struct {
	Base
	Name string
}

func (l *List) Push(v int) {
	l.Head = &Node{Val: v, Next: l.Head}
	l.size++
}

func (l *List) First() *Node {
	return l.Head
}

func (l List) Len() int {
	return l.size
}

func (n *Node) Self() *Node { return n }

func (n Node) Copy() Node { return n }

func useList() int {
	var l List
	l.Push(1)
	l.Push(2)
	f := l.First()
	return l.Len() + f.Val
}

func useDerived() int {
	d := Derived{Name: "d"}
	d.SetID(3)
	return d.GetID() + d.ID
}

func methodValue(l *List) func(int) {
	return l.Push
}

func localMethodValue() int {
	var n Node
	f := n.Self
	return f().Val
}

func chain(n *Node) int {
	return n.Self().Copy().Val
}

func main() {
	_ = useList()
	_ = useDerived()
	_ = methodValue(&List{})
	_ = localMethodValue()
	_ = chain(&Node{})
}
