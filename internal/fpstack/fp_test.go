package fpstack

import (
	"runtime"
	"strings"
	"testing"
)

//go:noinline
func leaf(pcs []uintptr) int { return Callers(pcs) }

//go:noinline
func middle(pcs []uintptr) int { return leaf(pcs) }

//go:noinline
func outer(pcs []uintptr) int { return middle(pcs) }

// names expands pcs into function names, as a caller of Callers would.
func names(pcs []uintptr) []string {
	var out []string
	frames := runtime.CallersFrames(pcs)
	for {
		f, more := frames.Next()
		// The runtime elides compiler-made wrappers (such as the go
		// statement's gowrap); the frame pointer walk sees them.
		if !strings.Contains(f.Function, ".gowrap") {
			out = append(out, f.Function[strings.LastIndexByte(f.Function, '/')+1:])
		}
		if !more {
			return out
		}
	}
}

func TestCallersMatchesRuntime(t *testing.T) {
	var fast, slow [64]uintptr
	n := outer(fast[:])
	got := names(fast[:n])
	m := runtime.Callers(1, slow[:])
	want := names(slow[:m])
	// The runtime's list starts at leaf's call of runtime.Callers... here,
	// at the test; Callers's starts inside its own call chain. From the
	// first common function on, the two must agree frame for frame.
	start := -1
	for i, fn := range got {
		if fn == "fpstack.leaf" {
			start = i
		}
	}
	if start < 0 {
		t.Fatalf("leaf not found in %q", got)
	}
	got = got[start:]
	wantTail := append([]string{"fpstack.leaf", "fpstack.middle", "fpstack.outer"}, want...)
	if len(got) != len(wantTail) {
		t.Fatalf("frames:\n got %q\nwant %q", got, wantTail)
	}
	for i := range got {
		if got[i] != wantTail[i] {
			t.Fatalf("frame %d: got %q, want %q\n got %q\nwant %q", i, got[i], wantTail[i], got, wantTail)
		}
	}
}

func TestCallersBounded(t *testing.T) {
	for _, size := range []int{0, 1, 3} {
		pcs := make([]uintptr, size)
		if n := outer(pcs); n != size {
			t.Errorf("buffer of %d: wrote %d", size, n)
		}
	}
}

func TestCallersDoesNotAllocate(t *testing.T) {
	var pcs [16]uintptr
	if n := testing.AllocsPerRun(100, func() { outer(pcs[:]) }); n != 0 {
		t.Errorf("%v allocations", n)
	}
}

func BenchmarkCallers(b *testing.B) {
	var pcs [16]uintptr
	b.Run("fpstack", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			outer(pcs[:12])
		}
	})
	b.Run("runtime", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			runtime.Callers(1, pcs[:12])
		}
	})
}
