package cloudwatch

import (
	"sort"
	"time"
	"unsafe"
)

// item is one event taken off the ring by the owner. msg aliases arena
// memory (chunk chunk, at off) that is never written again while the event
// is held: it stays valid until release or evictOldest drops the event.
type item struct {
	ts    int64  // milliseconds since the epoch
	seq   uint64 // admission order, for Flush
	msg   string
	st    *stream
	cost  int // CloudWatch's charge for msg, without EventOverhead
	chunk uint32
	off   uint32
}

// slot is one event in the ring. It holds no Go pointer, so the ring can
// live in arena memory, outside the garbage collector's view.
//
// seq keeps the low 32 bits of the sequence number: every event admitted
// after a ring event is still held (it leaves the ring after it), so
// nextSeq - seq <= maxEvents < 1<<32 and the rest is recovered from
// nextSeq (queue.seqOf).
type slot struct {
	ts    int64
	seq   uint32
	off   uint32 // of the message in its chunk
	n     uint32 // message length
	cost  uint32
	chunk uint32 // arena message chunk id
	sid   uint32 // stream id (queue.sids)
}

// cacheLine is the size of a CPU cache line (64 bytes on amd64 and most
// arm64), for padding.
const cacheLine = 64

// slotBytes is what the handler itself spends per held event (its ring
// slot), charged against MaxQueueBytes on top of CloudWatch's size.
const slotBytes = 32

// The build fails unless slotBytes is the size of a slot.
var _ = [1]struct{}{}[unsafe.Sizeof(slot{})-slotBytes]

// blockShift sizes ring blocks: 1<<blockShift slots fill a chunk.
const blockShift = 11

var _ = [1]struct{}{}[chunkSize-slotBytes<<blockShift]

// heldOverhead is the per-event charge against MaxQueueBytes beyond the
// message's CloudWatch cost.
const heldOverhead = EventOverhead + slotBytes

// part is one event cut from a record's message: msg[prev.end:end].
type part struct {
	end  int
	cost int
}

// chunkRun is n events whose messages live in arena chunk id.
type chunkRun struct {
	id uint32
	n  int
}

// chunkRuns appends to dst the chunks items use, consecutive equal chunks
// merged, for release.
func chunkRuns(dst []chunkRun, items []item) []chunkRun {
	for i := range items {
		id := items[i].chunk
		if n := len(dst); n > 0 && dst[n-1].id == id {
			dst[n-1].n++
		} else {
			dst = append(dst, chunkRun{id: id, n: 1})
		}
	}
	return dst
}

// queue is the bounded hand-off between the logging goroutines and the
// owner. It bounds everything the handler holds, not only what waits in
// the ring: an event counts against maxEvents and maxBytes (its CloudWatch
// size + EventOverhead + slotBytes) from admission until it is sent,
// dropped or rejected, so a hung service cannot make the batches in flight
// grow memory without limit.
//
// Ring slots and message bytes live in the arena (arena.go), outside the
// Go heap, which also caps what is mapped at maxBytes + arenaSlack: an
// event that would need more is handled by the overflow policy, as when
// maxBytes binds.
//
// All fields are guarded by mu. The ring holds events in admission order:
// drop_oldest evicts from the head, the owner pops from the head (and may
// push back at the head what it did not use), Emit pushes at the tail. It
// is a list of arena blocks of perBlock slots; blocks[0][head] is the
// oldest event.
type queue struct {
	// The lock has cache lines of its own: a goroutine that spins on it
	// (lock.go) reads its line over and over, which must not take from
	// the holder the lines it writes.
	_  [cacheLine]byte
	mu spinMutex
	_  [cacheLine - unsafe.Sizeof(spinMutex{})]byte

	// Hot: what every Emit reads or writes under mu, packed together.
	closed     bool
	hasCur     bool
	policy     Overflow
	heldEvents int64
	heldBytes  int64
	overflow   int64 // events dropped by the overflow policy (Stats.Dropped.Overflow)
	maxEvents  int64
	maxBytes   int64
	head, n    int
	blockShift int // a block holds 1<<blockShift slots
	blocks     [][]slot
	cur        uint32 // the message chunk being filled, when hasCur
	evChunk    uint32 // chunk of the last evicted events, ...
	evN        int    // ... evN of them, not yet unreferenced
	curUsed    int
	curRefs    int    // references to cur not yet in the chunk table
	nextSeq    uint64 // sequence number of the next admitted event
	streams    map[string]*stream
	last       *stream   // the stream of the last add, nil after evictIdle
	sids       []*stream // by stream id
	c          *counters
	wake       chan struct{} // cap 1: tells the owner the ring is no longer empty

	ar       arena
	freeSids []uint32
	blockFor time.Duration
	space    chan struct{} // made by a blocked Emit, closed when room frees
}

func newQueue(o *Options, c *counters) *queue {
	return &queue{
		blockShift: blockShift,
		ar:         arena{limit: o.MaxQueueBytes + arenaSlack},
		// Below 1<<32, for slot.seq.
		maxEvents: min(int64(o.MaxQueueEvents), 1<<31),
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
//
// The locked section is kept short, because with more logging goroutines
// than Ps a log call that finds q.mu taken is what makes the tail of the
// call's latency (see lock.go): the enqueued counter is added after
// unlocking, drops are counted in a plain field under the lock (so every
// drop made before Close is in the owner's last loss report: close takes
// the lock),
// the stream of the previous call is reused without a map lookup, and a
// stream's held count is written once, with the net change of the call.
func (q *queue) add(name []byte, ts int64, msg []byte, marker bool, parts []part) {
	q.mu.Lock()
	if q.closed {
		q.mu.Unlock()
		q.c.closed.Add(int64(len(parts)))
		return
	}
	st := q.last
	if st == nil || st.name != string(name) {
		if st = q.streams[string(name)]; st == nil {
			st = q.newStream(string(name))
		}
		q.last = st
	}
	var deadline time.Time
	var admitted, dropped, stHeld int // applied after the loop
	start := 0
	for i, pt := range parts {
		body := msg[start:min(pt.end, len(msg))]
		start = pt.end
		size := len(body)
		if marker {
			size += len(TruncationMarker)
		}
		need := int64(pt.cost + heldOverhead)
		ok := true
		for ok && (q.heldEvents+1 > q.maxEvents || q.heldBytes+need > q.maxBytes || !q.fits(size)) {
			switch {
			case need > q.maxBytes:
				ok = false // can never fit
			case q.policy == DropOldest && q.n > 0:
				if sid := q.evictOldest(); sid == st.id {
					stHeld--
				} else {
					q.sids[sid].held--
				}
				dropped++
			case q.policy == Block:
				if deadline.IsZero() {
					deadline = time.Now().Add(q.blockFor)
				}
				// waitSpace unlocks: what was counted so far goes first.
				st.held += stHeld
				stHeld = 0
				q.overflow += int64(dropped)
				dropped = 0
				if !q.waitSpace(deadline) {
					ok = false
				}
				if q.closed {
					q.mu.Unlock()
					q.c.enqueued.Add(int64(admitted))
					q.c.closed.Add(int64(len(parts) - i))
					return
				}
				if q.sids[st.id] != st {
					// Forgotten by evictIdle while unlocked (it held
					// nothing): look the name up again.
					if st = q.streams[string(name)]; st == nil {
						st = q.newStream(string(name))
					}
					q.last = st
				}
			default:
				// DropNewest, or DropOldest with nothing left in the ring
				// to evict (all held events are already being sent).
				ok = false
			}
		}
		if !ok {
			dropped++
			continue
		}
		chunk, off := q.copyMsg(body, marker)
		q.push(slot{ts: ts, seq: uint32(q.nextSeq), off: off, n: uint32(size), cost: uint32(pt.cost), chunk: chunk, sid: st.id})
		q.nextSeq++
		q.heldEvents++
		q.heldBytes += need
		stHeld++
		admitted++
	}
	if stHeld != 0 {
		st.held += stHeld
	}
	q.overflow += int64(dropped)
	q.mu.Unlock()
	if admitted > 0 {
		q.c.enqueued.Add(int64(admitted))
	}
}

// newStream registers a stream name and gives it an id. Called with q.mu
// held.
func (q *queue) newStream(name string) *stream {
	st := &stream{name: name}
	if k := len(q.freeSids); k > 0 {
		st.id, q.freeSids = q.freeSids[k-1], q.freeSids[:k-1]
		q.sids[st.id] = st
	} else {
		st.id = uint32(len(q.sids))
		q.sids = append(q.sids, st)
	}
	q.streams[name] = st
	return st
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

// fits reports whether the arena can take one more event with a message
// of size bytes: a ring slot and the message. Called with q.mu held.
func (q *queue) fits(size int) bool {
	if q.canFit(size) {
		return true
	}
	if q.evN > 0 {
		q.flushEvicted() // may recycle a chunk
		return q.canFit(size)
	}
	return false
}

func (q *queue) canFit(size int) bool {
	k, large := 0, 0
	if q.head+q.n == len(q.blocks)<<q.blockShift {
		k++ // a new ring block
	}
	if size > arenaMax {
		large = size
	} else if !q.hasCur || chunkSize-q.curUsed < size {
		k++ // a new message chunk
	}
	if k == 0 && large == 0 {
		return true // the arena's fields stay out of the common path
	}
	return q.ar.canTake(k, large)
}

// at returns the slot at index i, counted from the start of blocks[0].
func (q *queue) at(i int) *slot {
	return &q.blocks[i>>q.blockShift][i&(1<<q.blockShift-1)]
}

// seqOf returns the full sequence number of a ring slot.
func (q *queue) seqOf(s *slot) uint64 {
	return q.nextSeq - uint64(uint32(q.nextSeq)-s.seq)
}

// unref drops n references to message chunk id. The chunk being filled
// counts its references in curRefs, so that Emit does not touch the chunk
// table per event. Called with q.mu held.
func (q *queue) unref(id uint32, n int) {
	if q.hasCur && id == q.cur {
		q.curRefs -= n
		return
	}
	q.ar.unref(id, n)
}

// flushEvicted applies the references that evictOldest has dropped but
// not yet applied (they are gathered while evictions stay in one chunk).
// Called with q.mu held.
func (q *queue) flushEvicted() {
	if q.evN > 0 {
		q.unref(q.evChunk, q.evN)
		q.evN = 0
	}
}

// newBlock takes a ring block from the arena.
func (q *queue) newBlock() []slot {
	b := q.ar.take()
	return unsafe.Slice((*slot)(unsafe.Pointer(unsafe.SliceData(b))), 1<<q.blockShift)
}

// dropBlock returns the first ring block to the arena.
func (q *queue) dropBlock() {
	b := q.blocks[0]
	q.ar.give(unsafe.Slice((*byte)(unsafe.Pointer(unsafe.SliceData(b))), chunkSize))
	q.blocks[0] = nil
	q.blocks = q.blocks[1:]
}

// push appends s at the tail. Called with q.mu held.
func (q *queue) push(s slot) {
	i := q.head + q.n
	if i == len(q.blocks)<<q.blockShift {
		q.blocks = append(q.blocks, q.newBlock())
	}
	*q.at(i) = s
	q.n++
	if q.n == 1 {
		select {
		case q.wake <- struct{}{}:
		default:
		}
	}
}

// popHead removes and returns the oldest slot; q.n > 0. Called with q.mu
// held.
func (q *queue) popHead() slot {
	s := *q.at(q.head)
	q.head++
	q.n--
	if q.head == 1<<q.blockShift {
		q.dropBlock()
		q.head = 0
	}
	if q.n == 0 {
		q.head = 0 // keep the one block left, if any, for the next push
	}
	return s
}

// evictOldest drops the event at the head and returns its stream id: the
// caller takes it off that stream's held count and counts the drop.
// Called with q.mu held.
func (q *queue) evictOldest() (sid uint32) {
	s := q.popHead()
	q.heldEvents--
	q.heldBytes -= int64(s.cost) + heldOverhead
	if q.evN > 0 && q.evChunk != s.chunk {
		q.flushEvicted()
	}
	q.evChunk = s.chunk
	q.evN++
	return s.sid
}

// copyMsg copies body (and the marker) into arena memory the queue never
// writes again while it is referenced, and takes one reference to it.
// Called with q.mu held, after fits.
func (q *queue) copyMsg(body []byte, marker bool) (chunk, off uint32) {
	n := len(body)
	if marker {
		n += len(TruncationMarker)
	}
	var dst []byte
	if n > arenaMax {
		chunk = q.ar.newChunk(n) // its one reference is the event's
		dst = q.ar.chunks[chunk].mem
	} else {
		if !q.hasCur || chunkSize-q.curUsed < n {
			q.retireCur()
			q.cur, q.curUsed, q.hasCur = q.ar.newChunk(chunkSize), 0, true
		}
		q.curRefs++
		chunk, off = q.cur, uint32(q.curUsed)
		dst = q.ar.chunks[q.cur].mem[q.curUsed : q.curUsed+n]
		q.curUsed += n
	}
	m := copy(dst, body)
	if marker {
		copy(dst[m:], TruncationMarker)
	}
	return chunk, off
}

// retireCur stops filling the current message chunk: its references go
// to the chunk table, less the one it had for being current. Called with
// q.mu held.
func (q *queue) retireCur() {
	if !q.hasCur {
		return
	}
	q.hasCur = false
	q.ar.chunks[q.cur].refs += q.curRefs
	q.curRefs = 0
	q.ar.unref(q.cur, 1)
}

// pop moves up to max items from the head into dst. Owner only.
func (q *queue) pop(dst []item, max int) []item {
	q.mu.Lock()
	defer q.mu.Unlock()
	for q.n > 0 && max > 0 {
		s := q.popHead()
		dst = append(dst, item{ts: s.ts, seq: q.seqOf(&s), msg: q.ar.str(s.chunk, s.off, s.n),
			st: q.sids[s.sid], cost: int(s.cost), chunk: s.chunk, off: s.off})
		max--
	}
	return dst
}

// unpop puts items taken by pop back at the head, in order, so that
// drop_oldest can still evict them. Owner only.
func (q *queue) unpop(items []item) {
	q.mu.Lock()
	defer q.mu.Unlock()
	for q.head < len(items) {
		// Events already held: their block is taken whatever the limit.
		q.blocks = append(q.blocks, nil)
		copy(q.blocks[1:], q.blocks)
		q.blocks[0] = q.newBlock()
		q.head += 1 << q.blockShift
	}
	for i := len(items) - 1; i >= 0; i-- {
		it := &items[i]
		q.head--
		*q.at(q.head) = slot{ts: it.ts, seq: uint32(it.seq), off: it.off, n: uint32(len(it.msg)),
			cost: uint32(it.cost), chunk: it.chunk, sid: it.st.id}
		q.n++
	}
}

// headSeq returns the sequence number of the oldest event in the ring,
// which is the lowest there: the ring keeps admission order.
func (q *queue) headSeq() (uint64, bool) {
	q.mu.Lock()
	defer q.mu.Unlock()
	if q.n == 0 {
		return 0, false
	}
	return q.seqOf(q.at(q.head)), true
}

// countBelow returns how many events in the ring have a sequence number
// below target.
func (q *queue) countBelow(target uint64) int {
	q.mu.Lock()
	defer q.mu.Unlock()
	return sort.Search(q.n, func(i int) bool { return q.seqOf(q.at(q.head+i)) >= target })
}

// tail returns the sequence number the next admitted event will get.
func (q *queue) tail() uint64 {
	q.mu.Lock()
	defer q.mu.Unlock()
	return q.nextSeq
}

// release forgets resolved events (sent, dropped or rejected) of stream
// st: bytes is their charge, and runs the arena chunks their messages use
// (chunkRuns), which may be recycled now. Nothing may read those messages
// after. Owner only.
func (q *queue) release(st *stream, events int, bytes int64, runs []chunkRun) {
	q.mu.Lock()
	q.heldEvents -= int64(events)
	q.heldBytes -= bytes
	st.held -= events
	if q.ar.chunks != nil {
		for _, r := range runs {
			q.unref(r.id, r.n)
		}
	}
	q.signalSpace()
	q.mu.Unlock()
}

// trim unmaps the arena's spare chunks that went unused since the last
// call, beyond a few. Owner only (once a report interval).
func (q *queue) trim() {
	q.mu.Lock()
	idle, region := q.ar.trim(), q.ar.region
	q.mu.Unlock()
	if back := dropAll(region, idle); len(back) > 0 {
		q.mu.Lock()
		q.ar.free = append(q.ar.free, back...)
		q.mu.Unlock()
	}
}

// free returns the arena's memory once nothing is held any more and no
// sender runs (the owner's shutdown). Owner only.
func (q *queue) free() {
	q.mu.Lock()
	defer q.mu.Unlock()
	q.blocks, q.head, q.n = nil, 0, 0
	q.hasCur, q.curRefs, q.evN = false, 0, 0
	q.ar.release()
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

// fill sets the parts of s that the queue keeps under its lock: what it
// holds, and its overflow drops.
func (q *queue) fill(s *Stats) {
	q.mu.Lock()
	defer q.mu.Unlock()
	s.QueueLen, s.QueueBytes = q.heldEvents, q.heldBytes
	s.Dropped.Overflow = q.overflow
}

// evictIdle forgets stream names that hold no events and that the owner
// has not seen since before. Owner only.
func (q *queue) evictIdle(before time.Time) {
	q.mu.Lock()
	defer q.mu.Unlock()
	for name, st := range q.streams {
		if st.held == 0 && st.lastUsed.Before(before) {
			delete(q.streams, name)
			if q.last == st {
				q.last = nil
			}
			q.sids[st.id] = nil
			q.freeSids = append(q.freeSids, st.id)
		}
	}
}

// streamCount returns the number of stream names in use (for tests).
func (q *queue) streamCount() int {
	q.mu.Lock()
	defer q.mu.Unlock()
	return len(q.streams)
}
