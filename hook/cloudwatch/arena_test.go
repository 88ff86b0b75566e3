package cloudwatch

import (
	"fmt"
	"runtime"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"
)

// Messages live in arena chunks that are recycled once no held event uses
// them: what the server stores must be exactly what was logged, through
// many recycled chunks (small and large messages, two senders, small
// batches), and Close must give all of the memory back.
func TestArenaMessagesSurviveRecycling(t *testing.T) {
	srv := newServerWithStream(t)
	var log errLog
	o := testOptions(srv, &log)
	o.MaxBatchEvents = 64
	o.Senders = 2
	h := newHandler(t, o)
	var want []string
	now := time.Now()
	size := 0
	for i := 0; size < 4*maxSpare*chunkSize; i++ {
		msg := fmt.Sprintf("event %06d ", i) + strings.Repeat(string(rune('a'+i%26)), 100+i%50)
		if i%700 == 0 {
			msg += strings.Repeat("L", arenaMax) // a mapping of its own
		}
		want = append(want, msg)
		size += len(msg)
		emit(h, now, msg)
	}
	flush(t, h)
	got := messages(srv.Events(testGroup, testStream))
	slices.Sort(got)
	slices.Sort(want)
	if !slices.Equal(got, want) {
		t.Fatalf("server stored %d events, want %d (or contents differ)", len(got), len(want))
	}
	// Held now: the chunk being filled, a ring block and the spare chunks,
	// which the owner trims (every 5 ms here) down to maxSpare.
	most := int64(maxSpare+2) * chunkSize
	eventually(t, "idle spare chunks unmapped", func() bool {
		h.q.mu.Lock()
		defer h.q.mu.Unlock()
		return h.q.ar.mapped <= most
	})
	if err := h.Close(t.Context()); err != nil {
		t.Fatal(err)
	}
	h.q.mu.Lock()
	mapped, chunks, blocks := h.q.ar.mapped, len(h.q.ar.chunks), len(h.q.blocks)
	h.q.mu.Unlock()
	if mapped != 0 || chunks != 0 || blocks != 0 {
		t.Errorf("after Close: %d bytes mapped, %d chunks, %d blocks", mapped, chunks, blocks)
	}
	checkInvariant(t, h.Stats())
}

// While the service hangs and drop_oldest evicts, what the handler keeps
// (Go heap growth plus arena mappings) stays within MaxQueueBytes plus the
// two batches in flight and their serialised copies. With the queue on the
// Go heap, the live data alone exceeded that (ring slots, their doubling,
// the messages), and GOGC doubled it again in RSS.
func TestOutageMemoryWithinQueueBytes(t *testing.T) {
	if raceEnabled || runtime.GOOS != "linux" {
		t.Skip("the arena is on the Go heap here: heap growth counts it")
	}
	srv := newServerWithStream(t)
	srv.Hang()
	defer srv.Resume()
	var log errLog
	o := testOptions(srv, &log)
	o.MaxQueueBytes = 32 << 20
	o.MaxQueueEvents = 10_000_000
	o.OnError = func(error) {}
	base := liveHeap()
	h := newHandler(t, o)
	line := []byte(strings.Repeat("x", 100))
	const goroutines, each = 2, 250_000
	var wg sync.WaitGroup
	for range goroutines {
		wg.Go(func() {
			r := record("app", time.Now(), "m")
			for range each {
				_ = h.Emit(r, line)
			}
		})
	}
	wg.Wait()
	s := h.Stats()
	if s.QueueBytes > o.MaxQueueBytes || s.Dropped.Overflow == 0 {
		t.Fatalf("queue %d bytes (bound %d), %d overflow drops: the flood did not fill the queue",
			s.QueueBytes, o.MaxQueueBytes, s.Dropped.Overflow)
	}
	heap := liveHeap() - base
	h.q.mu.Lock()
	mapped := h.q.ar.mapped
	h.q.mu.Unlock()
	bound := o.MaxQueueBytes + 4*MaxBatchBytes
	t.Logf("heap +%.1f MiB, arena %.1f MiB, queue %.1f MiB of %.0f", mib(heap), mib(mapped), mib(s.QueueBytes), mib(o.MaxQueueBytes))
	if heap+mapped > bound {
		t.Errorf("holding %.1f MiB (heap +%.1f, arena %.1f) for a %.0f MiB queue, want at most %.1f MiB",
			mib(heap+mapped), mib(heap), mib(mapped), mib(o.MaxQueueBytes), mib(bound))
	}
	if mapped > o.MaxQueueBytes+arenaSlack {
		t.Errorf("arena %d bytes, above its cap %d", mapped, o.MaxQueueBytes+arenaSlack)
	}
}

func liveHeap() int64 {
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return int64(m.HeapAlloc)
}

func mib(b int64) float64 { return float64(b) / (1 << 20) }
