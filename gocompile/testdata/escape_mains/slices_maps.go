
// gocompile/testdata/escape_mains/slices_maps.go replaces the main of
// escape/testdata/slices_maps.go (renamed testdataMain; its mapGlobal
// assigns into the nil gmap, so the eight calls after it never ran): every
// function runs, with non-nil arguments.
func main() {
	_ = appendLocal()
	x, y := 1, 2
	_ = appendPtr(&x)
	appendGlobal(1)
	_ = appendSpread([]*int{&x}, []*int{&y})
	_ = copySlices(make([]*int, 1), []*int{&y})
	_ = copyBytes(make([]byte, 2), "xy")
	_ = sliceOps([8]int{})
	_ = sliceEscape()
	_ = maps("a", &Item{Key: "a", Val: &x})
	gmap = map[string]*Item{}
	mapGlobal("k", 1)
	_ = rangeSlice([]*Item{{Key: "a", Val: &x}, {Key: "b", Val: &y}})
	_ = rangeMap(map[string]int{"a": 1, "b": 2})
	_ = rangeArrayPtr(&[4]*int{&x, &y})
	_ = rangeString("abc")
	_ = byteConv("abc")
	_ = concat("a", "b")
	_ = literals()
	_ = nested2D(3)
}
