package fpstack_test

import (
	"fmt"
	"runtime"
	"strings"

	"github.com/logdict/logging/internal/fpstack"
)

// Find the nearest frame outside this package's helpers: the pattern a
// logger uses to report its call site.
func Example() {
	var pcs [16]uintptr
	n := fpstack.Callers(pcs[:])
	frames := runtime.CallersFrames(pcs[:n])
	for {
		f, more := frames.Next()
		if strings.HasSuffix(f.Function, ".Example") {
			fmt.Println("found", f.Function[strings.LastIndexByte(f.Function, '.')+1:])
			return
		}
		if !more {
			return
		}
	}
	// Output: found Example
}
