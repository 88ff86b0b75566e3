// Package fpstack walks the calling goroutine's frame pointers: the cheap
// way to find a call site, as the runtime's execution tracer and block
// profiler do. [runtime.Callers] runs the general unwinder, which decodes
// tables for every frame (about 100 ns a frame); following the saved frame
// pointers costs a load or two per frame.
//
// On amd64 Go code always keeps frame pointers. Elsewhere [Callers] falls
// back to runtime.Callers (arm64 keeps them too, and the runtime walks them
// there, but this package has not been tested on arm64 hardware yet). The walk reads only the calling
// goroutine's own stack, makes no calls (so the stack cannot move under
// it), and is bounded by the length of the buffer and by the zero frame
// pointer that ends every goroutine's chain.
package fpstack
