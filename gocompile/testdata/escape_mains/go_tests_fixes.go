
// gocompile/testdata/escape_mains/go_tests_fixes.go, appended to
// escape/testdata/go_tests_fixes.go (a package without main) by
// //gocompile/testdata:escape_go_tests_fixes: runs each function and prints
// its results (stdout must not depend on the escape mode).
func main() {
	fmt.Println(len(<-early))
	fmt.Println(shifts(8, 2, 3))
	fmt.Println(constStrings())
	offsets()
	fmt.Println(methodExprs())
	var i1 I1
	var i2 I2
	c := make(chan int)
	fmt.Println(compares(i1, i2, c, c, 5))
	fmt.Println(compares(i1, i2, c, c, nil))
	fmt.Println(tagless(true), tagless(false) == "")
	var bl Blank
	_ = bl
}
