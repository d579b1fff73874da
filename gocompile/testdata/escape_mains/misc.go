
// gocompile/testdata/escape_mains/misc.go replaces the main of
// escape/testdata/misc.go (renamed testdataMain; its selfAssign(&Pair{}, nil)
// slices nil[1:], so the eight calls after it never ran): every function runs.
func main() {
	_ = devirt()
	selfAssign(&Pair{}, []int{1, 2})
	explicitConv(1, 'a', 2.5)
	_ = ifaceMethodValue(Cat{})()
	_ = ifaceMethodValue(&Dog{name: "rex"})()
	_ = switchLabels([]int{1, -1})
	_ = multiType(3)
	_ = multiType("s")
	_ = multiType(2.5)
	_ = structCopy(Pair{})
	_ = arrayOfPtrs(1, 2)
	_ = closureReassigned()()
	printLocal()
}
