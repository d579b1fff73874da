package unsafe_ptrs

import (
	"reflect"
	"unsafe"
)

type header struct {
	data unsafe.Pointer
	n    int
}

func toPtr(p *float64) *uint64 {
	return (*uint64)(unsafe.Pointer(p))
}

func arith() unsafe.Pointer {
	var buf [16]byte
	return unsafe.Pointer(uintptr(unsafe.Pointer(&buf[0])) + 8)
}

func roundTrip(p *int) uintptr {
	return uintptr(unsafe.Pointer(p))
}

func backAgain(u uintptr) *int {
	return (*int)(unsafe.Pointer(u))
}

func sizes() uintptr {
	var h header
	return unsafe.Sizeof(h) + unsafe.Alignof(h.n) + unsafe.Offsetof(h.n)
}

func add(p *[4]int) *int {
	return (*int)(unsafe.Add(unsafe.Pointer(p), 8))
}

func slice(p *int, n int) []int {
	return unsafe.Slice(p, n)
}

func sliceData(s []byte) unsafe.Pointer {
	return unsafe.Pointer((*reflect.SliceHeader)(unsafe.Pointer(&s)).Data)
}

func store(h *header, x *int) {
	h.data = unsafe.Pointer(x)
}

var sink uintptr

func leakAsUintptr() {
	var x int
	sink = uintptr(unsafe.Pointer(&x))
}
