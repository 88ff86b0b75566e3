package cloudwatch

import (
	"sync"
	"time"
	"unsafe"
)

// item is one event held by the handler. msg points into an arena chunk
// (or its own allocation) that is never written again once msg is made.
type item struct {
	ts   int64  // milliseconds since the epoch
	seq  uint64 // admission order, for Flush
	msg  string
	st   *stream
	cost int // CloudWatch's charge for msg, without EventOverhead
}

// part is one event cut from a record's message: msg[prev.end:end].
type part struct {
	end  int
	cost int
}

const (
	arenaChunk = 64 << 10 // messages are copied into chunks of this size
	arenaMax   = 8 << 10  // larger messages get their own allocation
)

// queue is the bounded hand-off between the logging goroutines and the
// owner. It bounds everything the handler holds, not only what waits in
// the ring: an event counts against maxEvents and maxBytes from admission
// until it is sent, dropped or rejected, so a hung service cannot make the
// batches in flight grow memory without limit.
//
// All fields are guarded by mu. The ring holds events in admission order:
// drop_oldest evicts from the head, the owner pops from the head (and may
// push back at the head what it did not use), Emit pushes at the tail.
type queue struct {
	mu         sync.Mutex
	ring       []item
	head, n    int
	nextSeq    uint64 // sequence number of the next admitted event
	heldEvents int64
	heldBytes  int64
	maxEvents  int64
	maxBytes   int64
	policy     Overflow
	blockFor   time.Duration
	closed     bool
	space      chan struct{} // made by a blocked Emit, closed when room frees
	arena      []byte
	streams    map[string]*stream
	wake       chan struct{} // cap 1: tells the owner the ring is no longer empty
	c          *counters
}

func newQueue(o *Options, c *counters) *queue {
	return &queue{
		ring:      make([]item, min(256, o.MaxQueueEvents)),
		maxEvents: int64(o.MaxQueueEvents),
		maxBytes:  o.MaxQueueBytes,
		policy:    o.Overflow,
		blockFor:  o.BlockTimeout,
		streams:   make(map[string]*stream),
		wake:      make(chan struct{}, 1),
		c:         c,
	}
}

// add admits the events of one record, cut from msg as parts say (with
// TruncationMarker appended when marker is set), applying the overflow
// policy to each. name is the sanitised stream name; it is copied if new.
// Neither msg nor parts is kept.
func (q *queue) add(name []byte, ts int64, msg []byte, marker bool, parts []part) {
	q.mu.Lock()
	if q.closed {
		q.mu.Unlock()
		q.c.closed.Add(int64(len(parts)))
		return
	}
	st := q.streams[string(name)]
	if st == nil {
		st = &stream{name: string(name)}
		q.streams[st.name] = st
	}
	var s string // msg copied on the first admitted part
	var deadline time.Time
	start := 0
	for i, pt := range parts {
		need := int64(pt.cost + EventOverhead)
		admitted := true
		for admitted && (q.heldEvents+1 > q.maxEvents || q.heldBytes+need > q.maxBytes) {
			switch {
			case need > q.maxBytes:
				admitted = false // can never fit
			case q.policy == DropOldest && q.n > 0:
				q.evictOldest()
			case q.policy == Block:
				if deadline.IsZero() {
					deadline = time.Now().Add(q.blockFor)
				}
				if !q.waitSpace(deadline) {
					admitted = false
				}
				if q.closed {
					q.mu.Unlock()
					q.c.closed.Add(int64(len(parts) - i))
					return
				}
			default:
				// DropNewest, or DropOldest with nothing left in the ring
				// to evict (all held events are already being sent).
				admitted = false
			}
		}
		if !admitted {
			q.c.overflow.Add(1)
			start = pt.end
			continue
		}
		if s == "" {
			s = q.copyMsg(msg, marker)
		}
		q.push(item{ts: ts, seq: q.nextSeq, msg: s[start:pt.end], st: st, cost: pt.cost})
		q.nextSeq++
		q.heldEvents++
		q.heldBytes += need
		st.held++
		q.c.enqueued.Add(1)
		start = pt.end
	}
	q.mu.Unlock()
}

// waitSpace waits, without q.mu, until room may have been freed, Close
// began or deadline passed; it reports false on the deadline. Called with
// q.mu held; returns with it held.
func (q *queue) waitSpace(deadline time.Time) bool {
	d := time.Until(deadline)
	if d <= 0 {
		return false
	}
	if q.space == nil {
		q.space = make(chan struct{})
	}
	ch := q.space
	select {
	case q.wake <- struct{}{}:
	default:
	}
	q.mu.Unlock()
	t := time.NewTimer(d)
	select {
	case <-ch:
		t.Stop()
		q.mu.Lock()
		return true
	case <-t.C:
		q.mu.Lock()
		return false
	}
}

// blocked reports whether an Emit waits for room.
func (q *queue) blocked() bool {
	q.mu.Lock()
	defer q.mu.Unlock()
	return q.space != nil
}

// signalSpace wakes blocked Emits. Called with q.mu held.
func (q *queue) signalSpace() {
	if q.space != nil {
		close(q.space)
		q.space = nil
	}
}

func (q *queue) push(it item) {
	q.grow(1)
	q.ring[(q.head+q.n)%len(q.ring)] = it
	q.n++
	if q.n == 1 {
		select {
		case q.wake <- struct{}{}:
		default:
		}
	}
}

// grow makes room for k more items. The ring never needs more than
// maxEvents slots, since every item in it is held.
func (q *queue) grow(k int) {
	if q.n+k <= len(q.ring) {
		return
	}
	bigger := make([]item, min(max(2*len(q.ring), q.n+k), int(q.maxEvents)))
	m := copy(bigger, q.ring[q.head:min(q.head+q.n, len(q.ring))])
	if m < q.n {
		copy(bigger[m:], q.ring[:q.n-m])
	}
	q.ring, q.head = bigger, 0
}

// evictOldest drops the item at the head. Called with q.mu held.
func (q *queue) evictOldest() {
	it := q.ring[q.head]
	q.ring[q.head] = item{}
	q.head = (q.head + 1) % len(q.ring)
	q.n--
	q.heldEvents--
	q.heldBytes -= int64(it.cost + EventOverhead)
	it.st.held--
	q.c.overflow.Add(1)
}

// copyMsg copies msg (and the marker) into memory the queue never writes
// again and returns it as a string without a second copy.
func (q *queue) copyMsg(msg []byte, marker bool) string {
	n := len(msg)
	if marker {
		n += len(TruncationMarker)
	}
	var b []byte
	if n > arenaMax {
		b = make([]byte, 0, n)
	} else {
		if cap(q.arena)-len(q.arena) < n {
			q.arena = make([]byte, 0, arenaChunk)
		}
		b = q.arena[len(q.arena):len(q.arena):cap(q.arena)]
		q.arena = q.arena[:len(q.arena)+n]
	}
	b = append(b, msg...)
	if marker {
		b = append(b, TruncationMarker...)
	}
	return unsafe.String(unsafe.SliceData(b), n)
}

// pop moves up to max items from the head into dst. Owner only.
func (q *queue) pop(dst []item, max int) []item {
	q.mu.Lock()
	defer q.mu.Unlock()
	for q.n > 0 && max > 0 {
		dst = append(dst, q.ring[q.head])
		q.ring[q.head] = item{}
		q.head = (q.head + 1) % len(q.ring)
		q.n--
		max--
	}
	return dst
}

// unpop puts items taken by pop back at the head, in order, so that
// drop_oldest can still evict them. Owner only.
func (q *queue) unpop(items []item) {
	q.mu.Lock()
	defer q.mu.Unlock()
	q.grow(len(items))
	for i := len(items) - 1; i >= 0; i-- {
		q.head = (q.head - 1 + len(q.ring)) % len(q.ring)
		q.ring[q.head] = items[i]
		q.n++
	}
}

// tail returns the sequence number the next admitted event will get.
func (q *queue) tail() uint64 {
	q.mu.Lock()
	defer q.mu.Unlock()
	return q.nextSeq
}

// release forgets resolved events (sent, dropped or rejected). Owner only.
func (q *queue) release(st *stream, events int, bytes int64) {
	q.mu.Lock()
	q.heldEvents -= int64(events)
	q.heldBytes -= bytes
	st.held -= events
	q.signalSpace()
	q.mu.Unlock()
}

// close stops admission and wakes blocked Emits; it returns the sequence
// number after the last admitted event.
func (q *queue) close() uint64 {
	q.mu.Lock()
	defer q.mu.Unlock()
	q.closed = true
	q.signalSpace()
	return q.nextSeq
}

// held returns the events and bytes the handler holds.
func (q *queue) held() (int64, int64) {
	q.mu.Lock()
	defer q.mu.Unlock()
	return q.heldEvents, q.heldBytes
}

// evictIdle forgets stream names that hold no events and that the owner
// has not seen since before. Owner only.
func (q *queue) evictIdle(before time.Time) {
	q.mu.Lock()
	defer q.mu.Unlock()
	for name, st := range q.streams {
		if st.held == 0 && st.lastUsed.Before(before) {
			delete(q.streams, name)
		}
	}
}

// streamCount returns the number of stream names in use (for tests).
func (q *queue) streamCount() int {
	q.mu.Lock()
	defer q.mu.Unlock()
	return len(q.streams)
}
