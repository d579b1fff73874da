package dot_unsafe

import . "unsafe"

func f(p *int) uintptr { return uintptr(Pointer(p)) + Sizeof(*p) }

func g(p *int) *int { return (*int)(Add(Pointer(p), 8)) }
