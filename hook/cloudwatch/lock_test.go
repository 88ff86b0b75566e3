package cloudwatch

import (
	"fmt"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// TestSpinMutexExcludes checks that spinMutex admits one holder at a time,
// both when a waiter gets the lock while spinning and when it falls back
// to parking (holders that sleep past spinFor), also with one P (where a
// holder never runs while a waiter spins). Under -race the plain counter
// also checks that Unlock happens before the next Lock returns.
func TestSpinMutexExcludes(t *testing.T) {
	t.Run("procs", testSpinMutexExcludes)
	t.Run("one-proc", func(t *testing.T) {
		defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(1))
		testSpinMutexExcludes(t)
	})
}

func testSpinMutexExcludes(t *testing.T) {
	var (
		m       spinMutex
		inside  atomic.Int32
		overlap atomic.Int32
		count   int // guarded by m
	)
	const goroutines, rounds = 8, 2000
	var wg sync.WaitGroup
	for g := range goroutines {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range rounds {
				m.Lock()
				if inside.Add(1) != 1 {
					overlap.Add(1)
				}
				count++
				if i%500 == g {
					// Longer than spinFor: the others give up spinning
					// and park.
					time.Sleep(10 * spinFor)
				}
				inside.Add(-1)
				m.Unlock()
			}
		}()
	}
	wg.Wait()
	if n := overlap.Load(); n != 0 {
		t.Errorf("%d times two goroutines held the lock at once", n)
	}
	m.Lock()
	defer m.Unlock()
	if count != goroutines*rounds {
		t.Errorf("count %d, want %d", count, goroutines*rounds)
	}
}

// TestQueueConcurrentAdd runs the queue as the handler does, under each
// overflow policy: several logging goroutines add events (some records
// split in parts) to streams of their own and shared ones, while an owner
// pops, sometimes gives back, releases, and forgets idle streams, and a
// checker looks at the bounds. Whatever the interleaving, the bounds hold
// at every moment, each stream's held count is exact, the owner gets the
// events in admission order with their own message and stream, and every
// event ends in exactly one place.
func TestQueueConcurrentAdd(t *testing.T) {
	for _, policy := range []Overflow{DropOldest, DropNewest, Block} {
		// The event bound binds, with ring blocks of 16 slots that come
		// and go (and are prepended by unpop); then the byte bound binds.
		t.Run(policy.String()+"/events", func(t *testing.T) {
			testQueueConcurrentAdd(t, Options{MaxQueueEvents: 64, MaxQueueBytes: 1 << 20, Overflow: policy}, 4)
		})
		t.Run(policy.String()+"/bytes", func(t *testing.T) {
			testQueueConcurrentAdd(t, Options{MaxQueueEvents: 1000, MaxQueueBytes: 40 * (20 + heldOverhead), Overflow: policy}, blockShift)
		})
	}
}

func testQueueConcurrentAdd(t *testing.T, o Options, shift int) {
	policy := o.Overflow
	o.BlockTimeout = time.Second
	var c counters
	q := newQueue(&o, &c)
	q.blockShift = shift
	defer q.free()

	const goroutines, records = 4, 3000
	var wg sync.WaitGroup
	var parts atomic.Int64
	for g := range goroutines {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range records {
				stream := fmt.Sprintf("s%d", (g+i)%3) // shared with other goroutines
				if i%4 == 0 {
					stream = fmt.Sprintf("own%d", g)
				}
				// Each part says who made it: goroutine, record, part, stream.
				var msg []byte
				var ps []part
				n := 1 + i%3
				for p := range n {
					msg = fmt.Appendf(msg, "%d/%d/%d/%s;", g, i, p, stream)
					ps = append(ps, part{end: len(msg), cost: 0})
				}
				for k := range ps {
					start := 0
					if k > 0 {
						start = ps[k-1].end
					}
					ps[k].cost = ps[k].end - start
				}
				q.add([]byte(stream), int64(i), msg, false, ps)
				parts.Add(int64(n))
			}
		}()
	}

	var checkErr atomic.Value
	fail := func(format string, args ...any) {
		checkErr.CompareAndSwap(nil, fmt.Sprintf(format, args...))
	}
	check := func() {
		q.mu.Lock()
		defer q.mu.Unlock()
		if q.heldEvents > q.maxEvents || q.heldBytes > q.maxBytes {
			fail("held %d events, %d bytes: over the bounds %d, %d", q.heldEvents, q.heldBytes, q.maxEvents, q.maxBytes)
		}
		sum := 0
		for _, st := range q.sids {
			if st != nil {
				if st.held < 0 {
					fail("stream %s holds %d events", st.name, st.held)
				}
				sum += st.held
			}
		}
		if int64(sum) != q.heldEvents {
			fail("streams hold %d events, the queue %d", sum, q.heldEvents)
		}
	}

	done := make(chan struct{})
	go func() { wg.Wait(); close(done) }()
	var released int64
	lastSeq, haveSeq := uint64(0), false
	var items []item
	var runs []chunkRun
	for finished := false; !finished; {
		select {
		case <-done:
			finished = true
		default:
		}
		check()
		items = q.pop(items[:0], 8)
		if len(items) > 2 && len(items)%2 == 0 {
			q.unpop(items[len(items)/2:]) // first out next time
			items = items[:len(items)/2]
		}
		for _, it := range items {
			if haveSeq && it.seq <= lastSeq {
				fail("seq %d after %d", it.seq, lastSeq)
			}
			lastSeq, haveSeq = it.seq, true
			f := strings.Split(strings.TrimSuffix(it.msg, ";"), "/")
			if len(f) != 4 || f[3] != it.st.name || it.cost != len(it.msg) {
				fail("event %q (cost %d) in stream %s", it.msg, it.cost, it.st.name)
			}
		}
		// Release per stream, as the owner does per batch.
		for len(items) > 0 {
			st := items[0].st
			var mine, rest []item
			var bytes int64
			for _, it := range items {
				if it.st == st {
					mine = append(mine, it)
					bytes += int64(it.cost + heldOverhead)
				} else {
					rest = append(rest, it)
				}
			}
			runs = chunkRuns(runs[:0], mine)
			q.release(st, len(mine), bytes, runs)
			released += int64(len(mine))
			items = append(items[:0], rest...)
		}
		q.evictIdle(time.Now())
		if s := checkErr.Load(); s != nil {
			t.Fatal(s)
		}
	}
	// Drain what is left.
	for {
		items = q.pop(items[:0], 64)
		if len(items) == 0 {
			break
		}
		for _, it := range items {
			runs = chunkRuns(runs[:0], []item{it})
			q.release(it.st, 1, int64(it.cost+heldOverhead), runs)
			released++
		}
	}
	check()
	if s := checkErr.Load(); s != nil {
		t.Fatal(s)
	}
	total := parts.Load()
	var st Stats
	q.fill(&st)
	enq, over := c.enqueued.Load(), st.Dropped.Overflow
	if ev, by := q.held(); ev != 0 || by != 0 {
		t.Errorf("held %d events, %d bytes after draining", ev, by)
	}
	// Every event: released by the owner, or dropped (evicted or refused).
	if released+over != total {
		t.Errorf("released %d + overflow %d != %d added", released, over, total)
	}
	if tail := q.tail(); uint64(enq) != tail || enq > total {
		t.Errorf("enqueued %d, tail %d, added %d", enq, tail, total)
	}
	if policy == DropOldest && over == 0 {
		t.Error("the queue never overflowed: the eviction path was not exercised")
	}
}
