package main

import (
	"errors"
	"fmt"
	"os"
	"strconv"
)

type MyErr struct{ Code int }

func (e *MyErr) Error() string { return "myerr " + strconv.Itoa(e.Code) }

var ErrNotFound = errors.New("not found")

func find(k string) error {
	if k == "x" {
		return fmt.Errorf("find %q: %w", k, ErrNotFound)
	}
	if k == "y" {
		return &MyErr{42}
	}
	return nil
}

func safeDiv(a, b int) (q int, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("recovered: %v", r)
		}
	}()
	q = a / b
	return
}

func index(s []int, i int) (v int, err error) {
	defer func() {
		if r := recover(); r != nil {
			if re, ok := r.(error); ok {
				err = re
			}
		}
	}()
	return s[i], nil
}

func deferOrder() {
	for i := 0; i < 3; i++ {
		defer fmt.Println("deferred", i)
	}
	fmt.Println("body")
}

func nested() (s string) {
	defer func() {
		r := recover()
		s = fmt.Sprint("outer recovered: ", r)
	}()
	func() {
		defer func() {
			panic("second")
		}()
		panic("first")
	}()
	return "unreachable"
}

type T struct{ v int }

func (t *T) get() int { return t.v }

func nilDeref() (res string) {
	defer func() {
		if r := recover(); r != nil {
			res = fmt.Sprint(r)
		}
	}()
	var t *T
	return strconv.Itoa(t.get())
}

func assertFail() (res string) {
	defer func() {
		if r := recover(); r != nil {
			res = fmt.Sprint(r)
		}
	}()
	var i interface{} = "str"
	n := i.(int)
	return strconv.Itoa(n)
}

func mapNil() (res string) {
	defer func() {
		res = fmt.Sprint(recover())
	}()
	var m map[string]int
	m["a"] = 1
	return "ok"
}

func main() {
	err := find("x")
	fmt.Println(err, errors.Is(err, ErrNotFound), errors.Unwrap(err) == ErrNotFound)
	err = find("y")
	var me *MyErr
	fmt.Println(err, errors.As(err, &me), me.Code)
	fmt.Println(find("z") == nil)
	q, e := safeDiv(10, 2)
	fmt.Println(q, e)
	q, e = safeDiv(1, 0)
	fmt.Println(q, e)
	v, e := index([]int{1, 2, 3}, 5)
	fmt.Println(v, e)
	v, e = index([]int{1, 2, 3}, -1)
	fmt.Println(v, e)
	deferOrder()
	fmt.Println(nested())
	fmt.Println(nilDeref())
	fmt.Println(assertFail())
	fmt.Println(mapNil())
	n, err := strconv.Atoi("12a")
	fmt.Println(n, err)
	n, err = strconv.Atoi("-77")
	fmt.Println(n, err)
	s := []int{1, 2, 3}
	i := 3
	if len(os.Args) > 5 {
		i = 0
	}
	defer fmt.Println("main deferred runs before the crash report")
	fmt.Println(s[i])
}
