package main

import (
	"math/bits"
	"time"
)

// hist is a latency histogram with 8 buckets per power of two (at most
// 12.5% error), small enough to keep one per goroutine without touching
// the memory being measured. The zero value is empty; not safe for
// concurrent use.
type hist struct {
	counts [512]int64
	n, max int64
}

func bucket(ns int64) int {
	if ns < 8 {
		return int(max(ns, 0))
	}
	b := bits.Len64(uint64(ns))
	m := ns >> (b - 4) // 8..15
	return (b-3)*8 + int(m-8)
}

// upper returns the largest value in bucket i.
func upper(i int) int64 {
	if i < 16 {
		return int64(i)
	}
	b := i/8 + 3
	m := int64(i%8 + 8)
	return (m+1)<<(b-4) - 1
}

func (h *hist) add(ns int64) {
	h.counts[bucket(ns)]++
	h.n++
	h.max = max(h.max, ns)
}

func (h *hist) merge(o *hist) {
	for i, c := range o.counts {
		h.counts[i] += c
	}
	h.n += o.n
	h.max = max(h.max, o.max)
}

// quantile returns an upper bound of the q-quantile (0 < q <= 1).
func (h *hist) quantile(q float64) time.Duration {
	if h.n == 0 {
		return 0
	}
	rank := int64(q*float64(h.n) + 0.5)
	rank = min(max(rank, 1), h.n)
	var seen int64
	for i, c := range h.counts {
		seen += c
		if seen >= rank {
			return time.Duration(min(upper(i), h.max))
		}
	}
	return time.Duration(h.max)
}
