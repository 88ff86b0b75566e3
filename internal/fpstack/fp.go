//go:build amd64

package fpstack

import "unsafe"

// getfp returns the frame pointer register as its caller sees it: the
// caller's own frame.
func getfp() unsafe.Pointer

// Callers fills pcs with return addresses of the calling goroutine's
// physical frames, innermost first, and returns how many it wrote: the
// first is in the function that called Callers. Compiler-made wrappers
// (method value and go-statement wrappers), which runtime.Callers elides,
// are included: identify the wanted frame by function, not by position. Inlined calls share their physical frame's return
// address; runtime.CallersFrames expands them, as for runtime.Callers.
// It is safe for concurrent use and does not allocate.
//
//go:noinline
func Callers(pcs []uintptr) int {
	fp := getfp()
	n := 0
	for n < len(pcs) && fp != nil {
		// The return address sits one word above the saved frame pointer.
		pcs[n] = *(*uintptr)(unsafe.Add(fp, unsafe.Sizeof(uintptr(0))))
		fp = *(*unsafe.Pointer)(fp)
		n++
	}
	return n
}
