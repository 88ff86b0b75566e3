package cloudwatch

import (
	"sync"
	"time"
)

// spinMutex is a sync.Mutex whose Lock spins for a short while, retrying
// TryLock, before it parks the goroutine as sync.Mutex.Lock does. The
// queue's lock is one, for the tail latency of a log call.
//
// Why: queue.add holds the lock for a few hundred nanoseconds, and the
// holder is almost always running on another P, so the lock is free again
// long before a parked goroutine could run. sync.Mutex spins only while
// its P's run queue is empty (runtime_canSpin); with more logging
// goroutines than Ps that queue is rarely empty, so a contended Lock parks
// at once. The woken waiter then sits in a run queue until one of the
// busy goroutines blocks or is preempted (up to a 10 ms time slice), and
// may lose the lock again; once one waited 1 ms the mutex hands off in
// FIFO order and every Unlock waits for a goroutine that is not running.
// Measured with cmd/cwbench -outage -g 4 on 2 Ps: about 1% of the calls
// parked, off-CPU for 200-300 µs on average, which made the p99 of a call
// 20-40 µs against a p50 near 1 µs.
//
// Spinning instead keeps the waiter running while the holder finishes on
// the other P: in that load 99% of the contended Locks got the lock within
// 1 µs of spinning; most of the rest waited 8-30 µs, for a holder that was
// not running (preempted inside the section, or its P taken by a GC worker
// or another goroutine). Then spinning cannot help, and it hurts: the
// spinner keeps a P that the holder could run on. So spinFor is short, and
// past it the waiter parks as before. Measured (cwbench -outage, 2 Ps):
// spinning up to 20 µs doubled the p99 with 2 logging goroutines (5 to
// 10-12 µs) where up to 2 µs left it as it was; with 4 goroutines both
// brought the p99 from about 40 µs to about 5 µs. Yielding
// (runtime.Gosched) instead of parking did not help: it puts the waiter on
// the global run queue behind the same busy goroutines (p99 29-49 µs).
//
// The spin only loads the mutex's state (TryLock writes nothing while the
// lock is held), and the queue keeps the mutex on a cache line of its own,
// so that the spinning does not take from the holder the lines it writes.
//
// Unlock is sync.Mutex's: it wakes a parked waiter if there is one. The
// race detector sees the sync.Mutex, so -race checks what it guards as
// before.
type spinMutex struct {
	mu sync.Mutex
}

// spinFor bounds how long Lock spins before it parks: a few times the
// queue's locked section.
const spinFor = 2 * time.Microsecond

// Lock locks m, spinning for up to about spinFor before it parks.
func (m *spinMutex) Lock() {
	if !m.mu.TryLock() {
		m.lockSlow()
	}
}

func (m *spinMutex) lockSlow() {
	var start time.Time
	for i := 1; ; i++ {
		if m.mu.TryLock() {
			return
		}
		// Look at the clock only now and then: the lock is usually free
		// again within the first few dozen tries.
		if i%64 == 0 {
			if start.IsZero() {
				start = time.Now()
			} else if time.Since(start) > spinFor {
				break
			}
		}
	}
	m.mu.Lock()
}

// Unlock unlocks m.
func (m *spinMutex) Unlock() { m.mu.Unlock() }
