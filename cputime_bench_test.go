//go:build linux

package logging

import (
	"runtime"
	"syscall"
	"testing"
	"time"
)

// cpuMeter reports the CPU time the benchmark's own thread spent per
// operation ("cpu-ns/op"), beside the wall time of ns/op. On a shared
// machine a descheduled benchmark's wall time grows while its CPU time
// does not, so cpu-ns/op is the figure to compare across runs taken
// under load. Serial benchmarks only: it pins the goroutine to its thread.
type cpuMeter struct {
	b     *testing.B
	start time.Duration
}

const rusageThread = 1 // RUSAGE_THREAD: the calling thread only

func threadCPU() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(rusageThread, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// startCPU pins the goroutine and starts measuring; call stop after the
// b.Loop loop.
func startCPU(b *testing.B) *cpuMeter {
	runtime.LockOSThread()
	return &cpuMeter{b: b, start: threadCPU()}
}

func (m *cpuMeter) stop() {
	d := threadCPU() - m.start
	runtime.UnlockOSThread()
	if m.b.N > 0 {
		m.b.ReportMetric(float64(d.Nanoseconds())/float64(m.b.N), "cpu-ns/op")
	}
}
