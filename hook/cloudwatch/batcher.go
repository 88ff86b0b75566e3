package cloudwatch

import (
	"time"
)

// batch is the events of one stream cut for one PutLogEvents call. The
// owner builds it; a sender has it while it is in flight.
type batch struct {
	st             *stream
	items          []item
	bytes          int64 // charged size, EventOverhead included
	minTS, maxTS   int64
	minSeq, maxSeq uint64
	deadline       time.Time // send by then even if not full
}

// result is a sender's account of one batch: every event is in exactly
// one of the counts.
type result struct {
	b                       *batch
	sent, batches           int
	tooNew, tooOld, expired int
	invalid, undeliverable  int
	err                     error // the last error, if any
}

func (r *result) failed() int {
	return r.tooNew + r.tooOld + r.expired + r.invalid + r.undeliverable
}

// flushReq is a Flush or Close waiting for the owner. target is set by the
// owner: the request is done when no event with a sequence number below it
// is held any more.
type flushReq struct {
	reply   chan flushReply // cap 1, so the owner never blocks answering
	closing bool
	target  uint64
	failed  int
	cause   error
}

type flushReply struct {
	undelivered, pending int
	cause                error
}

func (r flushReply) err() error {
	if r.undelivered == 0 {
		return nil
	}
	return &UndeliveredError{Events: r.undelivered, Pending: r.pending, Cause: r.cause}
}

// owner is the state of the one goroutine that cuts batches, keeps the
// timer, hands batches to the senders and answers Flush and Close. No
// other goroutine touches these fields.
type owner struct {
	builders map[*stream]*batch
	ready    []*batch
	inflight map[*batch]struct{}
	flushes  []*flushReq
	scratch  []item
	runs     []chunkRun // scratch for release
	free     [][]item
	timer    *time.Timer
	timerAt  time.Time
	aborting bool
	closing  bool
	reported Stats // counters at the last LossError report
}

// run is the owner goroutine.
func (h *Handler) run() {
	defer close(h.done)
	o := &h.own
	o.timer = time.NewTimer(time.Hour)
	o.timer.Stop()
	tick := time.NewTicker(h.opts.reportEvery)
	defer tick.Stop()
	abort := h.abortCh
	for {
		if !o.aborting {
			h.fill(false)
			if len(o.flushes) > 0 {
				h.cutFlushed()
			}
		}
		var work chan<- *batch
		var next *batch
		if len(o.ready) > 0 && !o.aborting {
			work, next = h.work, o.ready[0]
		}
		select {
		case work <- next:
			o.ready[0] = nil
			o.ready = o.ready[1:]
			o.inflight[next] = struct{}{}
		case <-h.q.wake:
			if h.q.blocked() {
				// An Emit waits for room: what is held must move, so do
				// not wait for the send interval.
				h.fill(true)
				h.cutAll()
			}
		case <-o.timer.C:
			o.timerAt = time.Time{}
			h.cutDue(time.Now())
		case <-tick.C:
			h.clockMS.Store(time.Now().UnixMilli())
			h.report()
			h.q.evictIdle(time.Now().Add(-h.opts.StreamIdle))
			h.q.trim()
		case res := <-h.results:
			h.resolve(res)
		case f := <-h.flushCh:
			h.startFlush(f)
		case f := <-h.cancelCh:
			h.cancelFlush(f)
		case <-abort:
			abort = nil
			h.startAbort()
		}
		if h.finishFlushes() {
			h.shutdown()
			return
		}
	}
}

// fill moves events from the queue into per-stream batches. Unless all is
// set it stops once a batch is ready: while the senders are busy, events
// wait in the ring, where drop_oldest can still evict them.
func (h *Handler) fill(all bool) {
	o := &h.own
	for all || len(o.ready) == 0 {
		o.scratch = h.q.pop(o.scratch[:0], 512)
		if len(o.scratch) == 0 {
			return
		}
		now := time.Now()
		for i := range o.scratch {
			h.addItem(&o.scratch[i], now)
			if !all && len(o.ready) > 0 && i+1 < len(o.scratch) {
				h.q.unpop(o.scratch[i+1:])
				break
			}
		}
		clear(o.scratch)
	}
}

func (h *Handler) addItem(it *item, now time.Time) {
	seq := it.seq
	o := &h.own
	it.st.lastUsed = now
	need := int64(it.cost + EventOverhead)
	b := o.builders[it.st]
	if b != nil {
		lo, hi := min(b.minTS, it.ts), max(b.maxTS, it.ts)
		if len(b.items) >= h.opts.MaxBatchEvents || b.bytes+need > int64(h.opts.MaxBatchBytes) ||
			hi-lo >= MaxBatchSpan.Milliseconds() {
			h.cut(b)
			b = nil
		}
	}
	if b == nil {
		b = &batch{st: it.st, minTS: it.ts, maxTS: it.ts, minSeq: seq, deadline: now.Add(h.opts.SendInterval)}
		if n := len(o.free); n > 0 {
			b.items, o.free = o.free[n-1], o.free[:n-1]
		}
		o.builders[it.st] = b
		if o.timerAt.IsZero() || b.deadline.Before(o.timerAt) {
			o.timer.Reset(b.deadline.Sub(now))
			o.timerAt = b.deadline
		}
	}
	b.items = append(b.items, *it)
	b.bytes += need
	b.minTS, b.maxTS = min(b.minTS, it.ts), max(b.maxTS, it.ts)
	b.maxSeq = seq
	// Full: send now rather than when the next event shows it.
	if len(b.items) >= h.opts.MaxBatchEvents || b.bytes+EventOverhead+1 > int64(h.opts.MaxBatchBytes) {
		h.cut(b)
	}
}

// cut moves a batch from the builders to the ready list.
func (h *Handler) cut(b *batch) {
	delete(h.own.builders, b.st)
	h.own.ready = append(h.own.ready, b)
}

// cutDue cuts the batches whose send interval has passed and re-arms the
// timer for the earliest remaining one.
func (h *Handler) cutDue(now time.Time) {
	o := &h.own
	var next time.Time
	for _, b := range o.builders {
		if !b.deadline.After(now) {
			h.cut(b)
		} else if next.IsZero() || b.deadline.Before(next) {
			next = b.deadline
		}
	}
	if !next.IsZero() {
		o.timer.Reset(next.Sub(now))
		o.timerAt = next
	}
}

// cutAll cuts every batch being built.
func (h *Handler) cutAll() {
	for _, b := range h.own.builders {
		h.cut(b)
	}
}

// resolve accounts for a batch a sender finished with.
func (h *Handler) resolve(r result) {
	o := &h.own
	delete(o.inflight, r.b)
	h.settle(r)
}

// settle counts the outcome of a batch, frees its room in the queue and
// charges its failures to the waiting Flush and Close calls.
func (h *Handler) settle(r result) {
	c := &h.c
	c.sent.Add(int64(r.sent))
	c.batches.Add(int64(r.batches))
	c.tooNew.Add(int64(r.tooNew))
	c.tooOld.Add(int64(r.tooOld))
	c.expired.Add(int64(r.expired))
	c.invalid.Add(int64(r.invalid))
	c.undeliverable.Add(int64(r.undeliverable))
	b := r.b
	// The senders are done with b: its messages may be recycled.
	h.own.runs = chunkRuns(h.own.runs[:0], b.items)
	h.q.release(b.st, len(b.items), b.bytes+int64(len(b.items))*slotBytes, h.own.runs)
	if n := r.failed(); n > 0 {
		for _, f := range h.own.flushes {
			if b.maxSeq < f.target {
				f.failed += n
				if r.err != nil {
					f.cause = r.err
				}
			}
		}
	}
	clear(b.items)
	if len(h.own.free) < h.opts.Senders+2 {
		h.own.free = append(h.own.free, b.items[:0])
	}
	b.items = nil
}

// startFlush registers a Flush or Close. The events it waits for leave
// the ring as fast as the senders take batches (fill), not all at once:
// in the ring an event costs its arena slot, in a batch a Go heap item,
// and with a hung service a Close would otherwise double what the handler
// holds for its whole deadline. Once none is left in the ring, the
// batches holding them are cut at once (cutFlushed).
func (h *Handler) startFlush(f *flushReq) {
	o := &h.own
	f.target = h.q.tail()
	if f.closing {
		o.closing = true
	}
	o.flushes = append(o.flushes, f)
	if o.aborting {
		h.cutAll()
		h.dropReady()
		return
	}
	h.fill(false)
	h.cutFlushed()
}

// cutFlushed cuts the batches holding events that a pending Flush or
// Close waits for, once the ring holds none of those events.
func (h *Handler) cutFlushed() {
	o := &h.own
	var target uint64
	for _, f := range o.flushes {
		target = max(target, f.target)
	}
	if seq, ok := h.q.headSeq(); ok && seq < target {
		return // fill pulls them as the senders free up
	}
	for _, b := range o.builders {
		if b.minSeq < target {
			h.cut(b)
		}
	}
}

// cancelFlush answers a Flush whose context ended: what failed so far plus
// what is still held.
func (h *Handler) cancelFlush(f *flushReq) {
	o := &h.own
	for i, g := range o.flushes {
		if g != f {
			continue
		}
		o.flushes = append(o.flushes[:i], o.flushes[i+1:]...)
		pending := 0
		count := func(b *batch) {
			if b.maxSeq < f.target {
				pending += len(b.items)
			}
		}
		for _, b := range o.builders {
			count(b)
		}
		for _, b := range o.ready {
			count(b)
		}
		for b := range o.inflight {
			count(b)
		}
		pending += h.q.countBelow(f.target)
		f.reply <- flushReply{undelivered: f.failed + pending, pending: pending, cause: f.cause}
		return
	}
	// Already answered: the reply is in f.reply.
}

// startAbort gives up on everything not yet in flight, after Close's
// deadline; senders see the cancelled context and return their batches.
// The ring is drained a batch at a time, so that giving up costs no
// memory.
func (h *Handler) startAbort() {
	h.own.aborting = true
	for {
		h.fill(false)
		h.cutAll()
		h.dropReady()
		if _, ok := h.q.headSeq(); !ok {
			return // admission has stopped: nothing more comes
		}
	}
}

func (h *Handler) dropReady() {
	o := &h.own
	for _, b := range o.ready {
		h.settle(result{b: b, undeliverable: len(b.items), err: errAborted})
	}
	clear(o.ready)
	o.ready = o.ready[:0]
}

// finishFlushes answers the requests that are done and reports whether
// the owner should stop (Close is done).
func (h *Handler) finishFlushes() bool {
	o := &h.own
	if len(o.flushes) == 0 {
		return false
	}
	low := ^uint64(0)
	for _, b := range o.builders {
		low = min(low, b.minSeq)
	}
	for _, b := range o.ready {
		low = min(low, b.minSeq)
	}
	for b := range o.inflight {
		low = min(low, b.minSeq)
	}
	if seq, ok := h.q.headSeq(); ok {
		low = min(low, seq) // the ring's head is its oldest event
	}
	stop := false
	keep := o.flushes[:0]
	for _, f := range o.flushes {
		if low < f.target {
			keep = append(keep, f)
			continue
		}
		f.reply <- flushReply{undelivered: f.failed, cause: f.cause}
		stop = stop || f.closing
	}
	clear(o.flushes[len(keep):])
	o.flushes = keep
	return stop
}

// shutdown ends the senders and reports the last losses. Close has
// stopped admission, and every admitted event has been resolved.
func (h *Handler) shutdown() {
	close(h.work)
	h.senders.Wait()
	h.q.free() // nothing is held and no sender runs: unmap the arena
	h.cancelSend()
	h.own.timer.Stop()
	h.report()
	for _, f := range h.own.flushes {
		f.reply <- flushReply{undelivered: f.failed, cause: f.cause}
	}
}
