package cloudwatch

import (
	"os"
	"slices"
	"unsafe"
)

// The queue keeps what it holds (ring slots and message bytes) outside
// the Go heap, in chunks mapped from the OS (mapMem, arena_linux.go), so
// that it does not move the garbage collector's pacing. The GC lets the
// heap grow to (1 + GOGC/100) times the live data before it collects: with
// the queue on the heap, a full 64 MiB queue made a 200+ MiB process, twice
// the queue plus the ring's doubling. Off the heap, a full queue costs its
// own size once, and the heap stays as small as the rest of the program.

const (
	chunkSize = 64 << 10 // the unit of arena memory: ring blocks, shared message chunks
	arenaMax  = 8 << 10  // longer messages get a mapping of their own
	// maxSpare is how many freed chunks stay mapped for reuse even when
	// idle (2 MiB, two batches' worth). Freed chunks are always kept at
	// first, so that a steady load recycles them instead of mapping and
	// faulting in fresh pages; trim unmaps the ones beyond maxSpare that
	// went unused for a whole report interval, so RSS falls back after a
	// burst or an outage.
	maxSpare = 32
	// arenaSlack is what the arena may map beyond max_queue_bytes: one
	// ring block, one message chunk being filled, and partly used chunks.
	arenaSlack = 4 * chunkSize
)

var pageSize = os.Getpagesize()

// msgChunk is memory that holds messages. refs counts the held events
// whose message is in mem, plus one while it is the chunk being filled;
// at zero the memory is recycled. mem is never written again below used.
type msgChunk struct {
	mem  []byte
	refs int
}

// arena hands out memory outside the Go heap (or from it, where mapMem
// does not map). It is not safe for concurrent use: the queue guards it
// with its mutex. The zero value is empty and usable once limit is set.
type arena struct {
	chunks  []msgChunk // by id
	freeIDs []uint32
	spare   [][]byte // unused chunkSize mappings, most recently freed last
	// lowSpare is the fewest spare chunks since the last trim: that many
	// went unused for the whole interval.
	lowSpare int
	mapped   int64 // bytes mapped, spare included
	limit    int64 // most bytes mapped at once

	// region is one reservation of address space for all the chunks,
	// made at the first take where the platform can reserve (linux): the
	// kernel backs its pages only when they are first written, so RSS
	// still follows what is used, but taking a chunk makes no system call
	// under the queue's lock (an mmap per chunk put p99 of a log call at
	// 40 µs during an outage). next is where the next unused chunk starts;
	// free holds region chunks whose pages trim gave back.
	region []byte
	next   int
	free   [][]byte
}

// inRegion reports whether b was carved from the reservation.
func (a *arena) inRegion(b []byte) bool { return within(a.region, b) }

func within(region, b []byte) bool {
	if len(region) == 0 || len(b) == 0 {
		return false
	}
	start := uintptr(unsafe.Pointer(&region[0]))
	p := uintptr(unsafe.Pointer(&b[0]))
	return p >= start && p < start+uintptr(len(region))
}

func roundPage(n int) int { return (n + pageSize - 1) / pageSize * pageSize }

// canTake reports whether k more chunks and a private mapping of large
// bytes (0 for none) fit under the limit.
func (a *arena) canTake(k, large int) bool {
	fresh := max(k-len(a.spare), 0)
	if large > 0 {
		large = roundPage(large)
	}
	return a.mapped+int64(fresh*chunkSize+large) <= a.limit
}

// take returns a chunkSize block, from the spare ones if it can. The
// caller has checked canTake, or must have the memory regardless (unpop).
func (a *arena) take() []byte {
	if n := len(a.spare); n > 0 {
		b := a.spare[n-1]
		a.spare[n-1] = nil
		a.spare = a.spare[:n-1]
		a.lowSpare = min(a.lowSpare, n-1)
		return b
	}
	a.mapped += chunkSize
	if n := len(a.free); n > 0 {
		b := a.free[n-1]
		a.free[n-1] = nil
		a.free = a.free[:n-1]
		return b
	}
	if a.region == nil {
		a.region = reserveMem(roundPage(int(a.limit) + chunkSize))
	}
	if a.next+chunkSize <= len(a.region) {
		b := a.region[a.next : a.next+chunkSize : a.next+chunkSize]
		a.next += chunkSize
		return b
	}
	return mapMem(chunkSize)
}

// give returns a block from take (kept for reuse) or from a private
// mapping (unmapped).
func (a *arena) give(b []byte) {
	if len(b) == chunkSize {
		a.spare = append(a.spare, b)
		return
	}
	a.mapped -= int64(len(b))
	unmapMem(b)
}

// trim removes from the spare chunks those beyond maxSpare that went
// unused since the last trim, least recently freed first, and returns them
// for the caller to unmap (with unmapAll, outside the queue's lock).
func (a *arena) trim() [][]byte {
	n := min(a.lowSpare, len(a.spare)) - maxSpare
	if n <= 0 {
		a.lowSpare = len(a.spare)
		return nil
	}
	idle := slices.Clone(a.spare[:n])
	m := copy(a.spare, a.spare[n:])
	clear(a.spare[m:])
	a.spare = a.spare[:m]
	a.mapped -= int64(n) * chunkSize
	a.lowSpare = len(a.spare)
	return idle
}

// dropAll gives idle chunks' memory back to the kernel: it unmaps chunks
// of their own, and drops the pages of region chunks, which it returns for
// the caller to put on the free list (under the queue's lock: only after
// their pages were dropped may they be used again).
//
// region is the arena's, read under the lock: dropAll runs outside it.
func dropAll(region []byte, bs [][]byte) (regionChunks [][]byte) {
	for _, b := range bs {
		if within(region, b) {
			dropPages(b)
			regionChunks = append(regionChunks, b)
			continue
		}
		unmapMem(b)
	}
	return regionChunks
}

// newChunk makes a message chunk of at least n bytes with one reference
// and returns its id.
func (a *arena) newChunk(n int) uint32 {
	var mem []byte
	if n <= chunkSize {
		mem = a.take()
	} else {
		mem = mapMem(roundPage(n))
		a.mapped += int64(len(mem))
	}
	var id uint32
	if k := len(a.freeIDs); k > 0 {
		id, a.freeIDs = a.freeIDs[k-1], a.freeIDs[:k-1]
		a.chunks[id] = msgChunk{mem: mem, refs: 1}
	} else {
		id = uint32(len(a.chunks))
		a.chunks = append(a.chunks, msgChunk{mem: mem, refs: 1})
	}
	return id
}

// unref drops n references to chunk id and recycles it at zero.
func (a *arena) unref(id uint32, n int) {
	c := &a.chunks[id]
	c.refs -= n
	if c.refs > 0 {
		return
	}
	if c.refs < 0 {
		panic("cloudwatch: arena chunk released twice")
	}
	a.give(c.mem)
	*c = msgChunk{}
	a.freeIDs = append(a.freeIDs, id)
}

// str returns the message bytes mem[off:off+n] of chunk id as a string
// that aliases the chunk: valid until the chunk's last reference goes.
func (a *arena) str(id, off, n uint32) string {
	return unsafe.String(&a.chunks[id].mem[off], int(n))
}

// release unmaps everything. Nothing may use the arena's memory after.
func (a *arena) release() {
	for i := range a.chunks {
		if m := a.chunks[i].mem; m != nil && !a.inRegion(m) {
			unmapMem(m)
		}
	}
	for _, b := range a.spare {
		if !a.inRegion(b) {
			unmapMem(b)
		}
	}
	if a.region != nil {
		unmapMem(a.region)
	}
	*a = arena{limit: a.limit}
}
