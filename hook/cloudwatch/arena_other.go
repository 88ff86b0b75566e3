//go:build !linux || race || cwheaparena

package cloudwatch

// mapMem allocates n zeroed bytes. Off linux the queue's memory stays on
// the Go heap: the bound still holds for what the queue holds, but the
// garbage collector's headroom (GOGC) comes on top of it. Under -race the
// heap is used on linux too, because the race detector does not watch
// memory mapped outside the Go heap: there a sender reading a message
// while Emit reuses its chunk is reported as a race.
func mapMem(n int) []byte { return make([]byte, n) }

// unmapMem leaves b to the garbage collector.
func unmapMem(b []byte) {}

// reserveMem reserves nothing off linux: chunks are allocated one by one.
func reserveMem(int) []byte { return nil }

// dropPages does nothing: heap chunks are only ever unmapped (dropped).
func dropPages([]byte) {}
