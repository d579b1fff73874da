
// gocompile/testdata/escape_mains/control.go replaces the main of
// escape/testdata/control.go (renamed testdataMain; its ifElse(nil, nil,
// false) dereferences nil, so outerLoopVar never ran): every function runs.
func main() {
	_ = loops(3)
	_ = labels(4)
	_ = gotoLoop(2)
	_ = gotoForward(1)
	for i := 0; i < 5; i++ {
		_ = switches(i, "a")
		_ = switches(i, "b")
	}
	x, y := 1, 2
	_ = ifElse(&x, nil, true)
	_ = ifElse(nil, &y, false)
	_ = ifElse(&x, nil, false)
	outerLoopVar()
}
